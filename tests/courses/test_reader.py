"""Sync, the trainee reader and progress, on a small course copied from the fixtures."""
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from training.authoring.editing import publish
from training.courses import lessonpage
from training.courses.files import load_library
from training.courses.operations import database_files, sync_library
from training.courses.revision import current as content_revision
from training.extensions import db
from training.models import Course, Lesson, LessonProgress, LessonVersion, Module, Quiz, QuizAttempt, Role, utcnow

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture()
def content(tmp_path):
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture()
def synced(db, content):
    """The fixture course imported into the database."""
    sync_library(load_library(content))
    db.session.commit()
    return content


def resync(content):
    report = sync_library(load_library(content))
    db.session.commit()
    return report


def _edit(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_sync_twice_creates_nothing_the_second_time(synced):
    before = db.session.scalar(select(db.func.count(LessonVersion.id)))
    assert resync(synced).summary() == "Nothing changed."
    assert db.session.scalar(select(db.func.count(LessonVersion.id))) == before == 4


def test_a_changed_lesson_gets_a_new_version_and_keeps_the_old(synced):
    _edit(synced / "core/boundaries/gifts.md", "##", "## Added heading\n\nNew words.\n\n##")
    report = resync(synced)
    assert report.counts["lesson versions created"] == 1
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    versions = db.session.scalars(select(LessonVersion).where(LessonVersion.lesson_id == lesson.id)
                                  .order_by(LessonVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert lesson.current_version_id == versions[1].id and "New words." in versions[1].html


def test_a_removed_lesson_is_retired_not_deleted_and_progress_stays(synced, make_user):
    trainee = make_user(Role.TRAINEE)
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    db.session.add(LessonProgress(trainee_id=trainee.id, lesson_id=lesson.id,
                                  completed_version_id=lesson.current_version_id))
    db.session.commit()
    (synced / "core/boundaries/gifts.md").unlink()
    _edit(synced / "core/boundaries/module.yml", "  - gifts\n", "")
    _edit(synced / "core/boundaries/why-boundaries-matter.md", "[gifts](gifts.md)", "gifts")
    report = resync(synced)
    assert report.counts["lessons retired"] == 1
    db.session.refresh(lesson)
    assert lesson.retired_at is not None
    progress = db.session.scalar(select(LessonProgress))
    assert db.session.get(LessonVersion, progress.completed_version_id).lesson_id == lesson.id


def test_sync_with_errors_imports_nothing(synced):
    _edit(synced / "core/boundaries/gifts.md", "##", "## Changed\n\n##")
    _edit(synced / "core/ethics/module.yml", "title:", "titel:")
    from flask import current_app
    result = current_app.test_cli_runner().invoke(args=["courses", "sync", str(synced)])
    assert result.exit_code == 1
    assert "core/ethics/module.yml:" in result.output and "Nothing was imported" in result.output
    assert db.session.scalar(select(db.func.count(LessonVersion.id))) == 4


def test_export_round_trips_byte_for_byte(synced, tmp_path):
    from training.courses.export import export_library
    out = tmp_path / "exported"
    export_library(database_files(), out)
    originals = {p.relative_to(synced): p.read_bytes() for p in synced.rglob("*") if p.is_file()
                 and p.name != "README.md"}
    exported = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert exported == originals


def test_internal_links_point_at_reader_pages(synced):
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "why-boundaries-matter"))
    html = db.session.get(LessonVersion, lesson.current_version_id).html
    assert 'href="/courses/core/boundaries/gifts"' in html


def test_catalogue_course_and_lesson_pages(client, login_as, synced):
    login_as(Role.TRAINEE)
    catalogue = client.get("/courses/").get_data(as_text=True)
    assert "Core Training" in catalogue and "0 of 4 lessons done" in catalogue
    page = client.get("/courses/core").get_data(as_text=True)
    assert "0 of 4 lessons done" in page and "Start:" in page
    response = client.get("/courses/core/boundaries/gifts")
    assert response.status_code == 200
    assert "Mark this lesson complete" in response.get_data(as_text=True)


def test_locked_module_says_which_prerequisite(client, login_as, synced):
    login_as(Role.TRAINEE)
    page = client.get("/courses/core/ethics/scope-of-practice").get_data(as_text=True)
    boundaries = db.session.scalar(select(Module).where(Module.slug == "boundaries"))
    assert "This module opens when you have completed" in page and boundaries.title in page
    assert client.post("/courses/core/ethics/scope-of-practice/complete").status_code == 404


def test_lessons_the_quiz_and_the_required_lab_unlock_the_next_module(client, login_as, synced, attend_lab):
    trainee = login_as(Role.TRAINEE)
    for slug in ("why-boundaries-matter", "gifts"):
        assert client.post(f"/courses/core/boundaries/{slug}/complete").status_code == 302
    page = client.get("/courses/core").get_data(as_text=True)
    assert "2 of 4 lessons done" in page and "This module opens" in page  # the quiz is not passed yet
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                               review="after_pass", score=9, max_score=10, percent=90.0, passed=True))
    db.session.commit()
    page = client.get("/courses/core").get_data(as_text=True)
    assert "This module opens" in page and "needed to complete the module" in page  # the lab is not attended yet
    attend_lab(trainee, "boundaries-practice", status="left-early", minutes=45)
    assert "This module opens" in client.get("/courses/core").get_data(as_text=True)  # part of it is not enough
    attend_lab(trainee, "boundaries-practice")
    page = client.get("/courses/core").get_data(as_text=True)
    assert "This module opens" not in page and "Module complete" in page and "Attended" in page
    assert client.get("/courses/core/ethics/scope-of-practice").status_code == 200
    rows = db.session.scalars(select(LessonProgress).where(LessonProgress.trainee_id == trainee.id)).all()
    assert all(r.completed_version_id for r in rows if r.completed_at)


def test_later_edits_never_undo_a_completion(client, login_as, synced):
    login_as(Role.TRAINEE)
    client.post("/courses/core/boundaries/gifts/complete")
    first = db.session.scalar(select(LessonProgress)).completed_version_id
    _edit(synced / "core/boundaries/gifts.md", "##", "## Revised\n\n##")
    resync(synced)
    client.post("/courses/core/boundaries/gifts/complete")
    progress = db.session.scalar(select(LessonProgress))
    db.session.refresh(progress)
    assert progress.completed_at is not None and progress.completed_version_id == first
    assert "Completed" in client.get("/courses/core/boundaries/gifts").get_data(as_text=True)


def test_resume_where_you_left_off(client, login_as, synced):
    login_as(Role.TRAINEE)
    client.get("/courses/core/boundaries/gifts")
    page = client.get("/courses/core").get_data(as_text=True)
    assert "You were last reading" in page


def test_unknown_course_or_lesson_is_404(client, login_as, synced):
    login_as(Role.TRAINEE)
    assert client.get("/courses/nope").status_code == 404
    assert client.get("/courses/core/boundaries/nope").status_code == 404


def test_only_trainees_mark_lessons_complete(client, login_as, synced):
    login_as(Role.STAFF)
    assert client.get("/courses/core/ethics/scope-of-practice").status_code == 200  # no locks for staff
    assert client.post("/courses/core/boundaries/gifts/complete").status_code == 403


def _count_queries(app, action):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_page_query_counts_do_not_grow_with_lessons(app, client, login_as, synced):
    login_as(Role.TRAINEE)
    urls = ["/courses/", "/courses/core", "/courses/core/boundaries/gifts"]
    client.get(urls[-1])  # the first view inserts a progress row; measure the usual path
    small = [_count_queries(app, lambda u=u: client.get(u)) for u in urls]
    # Add many lessons to the first module and import them.
    module_file = synced / "core/boundaries/module.yml"
    extra = [f"extra-{n}" for n in range(30)]
    for slug in extra:
        (synced / f"core/boundaries/{slug}.md").write_text(f"---\ntitle: Extra {slug}\n---\n\nText.\n")
    _edit(module_file, "  - gifts\n", "  - gifts\n" + "".join(f"  - {s}\n" for s in extra))
    resync(synced)
    # The first lesson view after a content change builds the parts every reader shares (the
    # course's shape and the lesson's HTML: six queries, however many lessons); later ones reuse them.
    cold = _count_queries(app, lambda: client.get(urls[-1]))
    large = [_count_queries(app, lambda u=u: client.get(u)) for u in urls]
    assert large == small, f"queries grew with lessons: {small} -> {large}"
    assert cold == small[-1] + 6
    assert max(large) <= 13  # including the menu's count of unread notifications


# --- the lesson page's shared parts, cached per content revision: every content change shows on
# the next view, and nothing else changes the revision

GIFTS = "/courses/core/boundaries/gifts"


def test_an_edited_lesson_shows_on_the_next_view(client, login_as, synced):
    login_as(Role.TRAINEE)
    assert "Why gifts are complicated" in client.get(GIFTS).get_data(as_text=True)
    _edit(synced / "core/boundaries/gifts.md", "## Why gifts are complicated", "## When a gift is offered")
    resync(synced)
    page = client.get(GIFTS).get_data(as_text=True)
    assert "When a gift is offered" in page and "Why gifts are complicated" not in page


def test_a_lesson_published_in_the_editor_shows_on_the_next_view(client, login_as, make_user, synced):
    login_as(Role.TRAINEE)
    client.get(GIFTS)
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    source = lesson.current_version.source.replace("Maria brings you a hand-made card.",
                                                   "Ana brings you a jar of jam she made.")
    publish(lesson, make_user(Role.STAFF), source, lesson.current_version_id, note="A new example")
    db.session.commit()
    page = client.get(GIFTS).get_data(as_text=True)
    assert "Ana brings you a jar of jam" in page and "Maria brings you" not in page


def test_titles_order_and_retirement_show_on_the_next_view(client, login_as, synced):
    login_as(Role.TRAINEE)
    client.get(GIFTS)
    module = db.session.scalar(select(Module).where(Module.slug == "boundaries"))
    module.title = "Boundaries in practice"
    db.session.commit()
    assert "Boundaries in practice" in client.get(GIFTS).get_data(as_text=True)  # the breadcrumb
    db.session.scalar(select(Lesson).where(Lesson.slug == "gifts")).retired_at = utcnow()
    db.session.commit()
    assert client.get(GIFTS).status_code == 404
    db.session.scalar(select(Course).where(Course.slug == "core")).retired_at = utcnow()
    db.session.commit()
    assert client.get("/courses/core/boundaries/why-boundaries-matter").status_code == 404


def test_only_content_changes_change_the_revision(app, make_user, synced):
    before = content_revision()
    trainee = make_user(Role.TRAINEE)
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    db.session.add(LessonProgress(trainee_id=trainee.id, lesson_id=lesson.id, last_viewed_at=utcnow()))
    trainee.name = "Another name"
    db.session.commit()
    assert content_revision() == before  # a person's records are not content
    lesson.position = 7
    db.session.commit()
    changed = content_revision()
    assert changed != before
    lesson.position = 8
    db.session.flush()
    db.session.rollback()  # a change that is not committed leaves it as it was
    assert content_revision() == changed


def test_a_locked_module_still_says_what_opens_it(client, login_as, synced):
    login_as(Role.TRAINEE)
    page = client.get("/courses/core/ethics/scope-of-practice").get_data(as_text=True)
    assert "This module opens when you have completed" in page and "Boundaries" in page


def test_the_caches_stay_bounded(app, client, login_as, synced, monkeypatch):
    login_as(Role.TRAINEE)
    monkeypatch.setattr(lessonpage._shapes, "most", 3)
    for n in range(10):
        assert client.get(f"/courses/no-such-course-{n}/a/b").status_code == 404
    assert len(lessonpage._shapes.items) <= 3


def test_resume_is_written_only_when_the_reader_moves(client, login_as, synced):
    user = login_as(Role.TRAINEE)
    client.get(GIFTS)
    row = db.session.scalar(select(LessonProgress).where(LessonProgress.trainee_id == user.id))
    seen = row.last_viewed_at
    row.last_viewed_at = seen - timedelta(minutes=5)
    db.session.commit()
    client.get(GIFTS)  # the same lesson again: nothing written
    db.session.expire_all()
    assert db.session.get(LessonProgress, row.id).last_viewed_at == seen - timedelta(minutes=5)
    client.get("/courses/core/boundaries/why-boundaries-matter")
    client.get(GIFTS)  # back again: a move, so "resume" follows
    db.session.expire_all()
    assert db.session.get(LessonProgress, row.id).last_viewed_at > seen - timedelta(minutes=5)
