"""Staff edit lessons in the browser: preview, drafts, publish, conflicts, history, order, export."""
import re
from html.parser import HTMLParser
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from training.courses.export import export_library
from training.courses.files import load_library
from training.courses.operations import database_files, sync_library
from training.extensions import db
from training.models import Lesson, LessonDraft, LessonVersion, Module, Role

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def content(db, tmp_path):
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    sync_library(load_library(target))
    db.session.commit()
    return target


@pytest.fixture()
def gifts(content):
    return db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))


def _form(client, lesson):
    page = client.get(f"/author/lessons/{lesson.id}/edit").get_data(as_text=True)
    base = re.search(r'name="base_version_id" type="hidden" value="(\d*)"', page).group(1)
    source = db.session.get(LessonVersion, lesson.current_version_id).source
    return {"source": source, "base_version_id": base}


def _versions(lesson):
    return db.session.scalars(select(LessonVersion).where(LessonVersion.lesson_id == lesson.id)
                              .order_by(LessonVersion.number)).all()


def test_preview_renders_without_publishing(client, login_as, gifts):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    data["source"] += "\n\n!!! tip \"Preview me\"\n    Shown only in the preview.\n"
    page = client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "preview"}).get_data(as_text=True)
    assert '<div class="admonition tip">' in page and "Shown only in the preview." in page
    assert len(_versions(gifts)) == 1


def test_publish_creates_a_version_trainees_see(client, login_as, make_user, gifts):
    staff = login_as(Role.STAFF)
    data = _form(client, gifts)
    data["source"] = data["source"].replace("##", "## A new section\n\nFresh words.\n\n##", 1)
    response = client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish", "note": "new section"})
    assert response.status_code == 302
    versions = _versions(gifts)
    assert [v.number for v in versions] == [1, 2] and versions[1].created_by_id == staff.id
    assert versions[1].origin == "editor" and versions[1].note == "new section"
    client.sign_in_as(make_user(Role.TRAINEE))
    assert "Fresh words." in client.get("/courses/core/boundaries/gifts").get_data(as_text=True)


def test_drafts_are_kept_even_with_problems_and_stay_unpublished(client, login_as, make_user, gifts):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    broken = "---\ntitle: [unclosed\n---\nDraft words"
    assert client.post(f"/author/lessons/{gifts.id}/edit",
                       {**data, "source": broken, "action": "draft"}).status_code == 302
    assert db.session.scalar(select(LessonDraft)).source == broken
    page = client.get(f"/author/lessons/{gifts.id}/edit").get_data(as_text=True)
    assert "Draft words" in page and "your saved draft" in page
    client.sign_in_as(make_user(Role.TRAINEE))
    assert "Draft words" not in client.get("/courses/core/boundaries/gifts").get_data(as_text=True)


@pytest.mark.parametrize("source,message", [
    ("no header at all", "Line 1:"),
    ("---\ntitle: Gifts\nminutes: 5\n---\n\nText", "computed from its words"),
    ("---\ntitle: Gifts\nactivities: [{title: Reflect, minutes: ten}]\n---\n\nText", "Line 3:"),
    ("---\ntitle: Gifts\nactivities: [{title: Role-play with a partner, minutes: 20}]\n---\n\nText", "make it a lab"),
    ("---\ntitle: Gifts\n---\n\nSee [missing](nowhere.md).", "nowhere"),
])
def test_publishing_text_with_problems_says_where_and_saves_nothing(client, login_as, gifts, source, message):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    response = client.post(f"/author/lessons/{gifts.id}/edit", {**data, "source": source, "action": "publish"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "cannot be published yet" in page
    assert len(_versions(gifts)) == 1
    assert source.split("\n")[-1].replace("[", "") in page.replace("[", "")  # their text is still there


def test_second_editor_is_told_and_loses_nothing(app, client, login_as, make_user, gifts):
    login_as(Role.STAFF)
    other = type(client)(app)
    other.sign_in_as(make_user(Role.STAFF))
    mine, theirs = _form(client, gifts), _form(other, gifts)
    mine["source"] = mine["source"].replace("##", "## Mine\n\nMy words.\n\n##", 1)
    theirs["source"] = theirs["source"].replace("##", "## Theirs\n\nTheir words.\n\n##", 1)
    assert client.post(f"/author/lessons/{gifts.id}/edit", {**mine, "action": "publish"}).status_code == 302
    response = other.post(f"/author/lessons/{gifts.id}/edit", {**theirs, "action": "publish"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "published version 2" in page and "My words." in page and "Their words." in page
    assert len(_versions(gifts)) == 2
    assert "Their words." in db.session.scalar(select(LessonDraft)).source
    # Publishing again from the conflict page (which carries the new base) works.
    new_base = re.search(r'name="base_version_id" type="hidden" value="(\d+)"', page).group(1)
    merged = mine["source"].replace("##", "## Theirs\n\nTheir words.\n\n##", 1)
    response = other.post(f"/author/lessons/{gifts.id}/edit",
                          {"source": merged, "base_version_id": new_base, "action": "publish"})
    assert response.status_code == 302 and len(_versions(gifts)) == 3


def test_history_diff_and_restore(client, login_as, gifts):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    data["source"] = data["source"].replace("##", "## Added line\n\n##", 1)
    client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish"})
    first, second = _versions(gifts)
    page = client.get(f"/author/lessons/{gifts.id}/history?a={first.id}&b={second.id}").get_data(as_text=True)
    assert 'class="diff-add"' in page and "+## Added line" in page
    assert client.post(f"/author/lessons/{gifts.id}/restore/{first.id}").status_code == 302
    versions = _versions(gifts)
    assert len(versions) == 3 and versions[2].source == first.source and versions[2].origin == "restore"
    db.session.refresh(gifts)
    assert gifts.current_version_id == versions[2].id


def test_script_in_a_browser_edit_is_neutralised(client, login_as, gifts):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    data["source"] += '\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>\n'
    client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish"})
    html = _versions(gifts)[-1].html
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))
    Collector().feed(html)
    assert "script" not in {tag for tag, _ in tags} and "img" not in {tag for tag, _ in tags}
    assert all(not name.startswith("on") for _, attrs in tags for name in attrs)
    assert all("javascript" not in (attrs.get("href") or "") for _, attrs in tags)
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_add_and_reorder_lessons_and_modules_update_the_order_lists(client, login_as, content):
    login_as(Role.STAFF)
    boundaries = db.session.scalar(select(Module).where(Module.slug == "boundaries"))
    response = client.post(f"/author/modules/{boundaries.id}/lessons",
                           {"lesson-slug": "touch", "lesson-title": "Touch and closeness"})
    assert response.status_code == 302
    touch = db.session.scalar(select(Lesson).where(Lesson.slug == "touch"))
    assert client.post(f"/author/lessons/{touch.id}/move", {"direction": "up"}).status_code == 302
    db.session.refresh(boundaries)
    assert "  - why-boundaries-matter\n  - touch\n  - gifts" in boundaries.source
    assert "# in reading order" in boundaries.source  # the author's comment survives
    course = boundaries.course
    assert client.post(f"/author/courses/{course.id}/modules",
                       {"module-slug": "self-care", "module-title": "Self-care"}).status_code == 302
    self_care = db.session.scalar(select(Module).where(Module.slug == "self-care"))
    client.post(f"/author/modules/{self_care.id}/move", {"direction": "up"})
    db.session.refresh(course)
    assert re.search(r"modules:\n\s*- boundaries\n\s*- self-care\n\s*- ethics", course.source)


def test_bad_new_lesson_slug_is_explained(client, login_as, content):
    login_as(Role.STAFF)
    boundaries = db.session.scalar(select(Module).where(Module.slug == "boundaries"))
    response = client.post(f"/author/modules/{boundaries.id}/lessons",
                           {"lesson-slug": "Bad Slug!", "lesson-title": "X"})
    assert response.status_code == 302
    assert "lower-case letters" in client.get("/author/").get_data(as_text=True)
    response = client.post(f"/author/modules/{boundaries.id}/lessons", {"lesson-slug": "gifts", "lesson-title": "X"})
    assert "already used" in client.get("/author/").get_data(as_text=True)


def test_round_trip_sync_edit_export_changes_just_that_file(client, login_as, gifts, content):
    login_as(Role.STAFF)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    data = _form(client, gifts)
    data["source"] = data["source"].replace("##", "## Edited in the browser\n\n##", 1)
    client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish"})
    export_library(database_files(), content)
    after = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    changed = [p.relative_to(content).as_posix() for p in after if before.get(p) != after[p]]
    assert changed == ["core/boundaries/gifts.md"]
    assert b"## Edited in the browser" in after[content / "core/boundaries/gifts.md"]
    # Syncing the exported files back creates nothing new.
    assert sync_library(load_library(content)).counts.get("lesson versions created", 0) == 0


def test_untouched_files_do_not_overwrite_browser_edits_on_sync(client, login_as, gifts, content):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    data["source"] = data["source"].replace("##", "## Browser only\n\n##", 1)
    client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish"})
    sync_library(load_library(content))
    db.session.commit()
    db.session.refresh(gifts)
    assert "Browser only" in db.session.get(LessonVersion, gifts.current_version_id).source


def test_titles_with_yaml_characters_and_a_new_course(client, login_as, content, tmp_path):
    login_as(Role.STAFF)
    response = client.post("/author/courses", {"course-slug": "refresher", "course-title": 'Refresher: "year two" #1',
                                               "course-summary": ""})
    assert response.status_code == 302
    from training.models import Course
    course = db.session.scalar(select(Course).where(Course.slug == "refresher"))
    client.post(f"/author/courses/{course.id}/modules", {"module-slug": "recap", "module-title": "Recap: key ideas"})
    module = db.session.scalar(select(Module).where(Module.slug == "recap"))
    client.post(f"/author/modules/{module.id}/lessons", {"lesson-slug": "first", "lesson-title": "First: #1 'quotes'"})
    db.session.expire_all()  # the requests changed rows this test session loaded earlier
    export_library(database_files(), tmp_path / "out")
    shutil.copy(content / "framework.yml", tmp_path / "out" / "framework.yml")
    library = load_library(tmp_path / "out")
    assert library.courses["refresher"].title == 'Refresher: "year two" #1'
    assert library.courses["refresher"].modules[0].lessons[0].title == "First: #1 'quotes'"


def test_browser_line_breaks_are_stored_as_in_the_files(client, login_as, gifts):
    login_as(Role.STAFF)
    data = _form(client, gifts)
    original = data["source"]
    data["source"] = original.replace("\n", "\r\n").replace("##", "## CRLF\r\n\r\n##", 1)
    assert client.post(f"/author/lessons/{gifts.id}/edit", {**data, "action": "publish"}).status_code == 302
    assert "\r" not in _versions(gifts)[-1].source
