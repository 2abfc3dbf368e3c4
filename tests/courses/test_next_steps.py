"""What comes next for a trainee: after a module's last lesson, on a locked module and on the
course page, the next step is what really remains (lessons, the quiz, a required lab)."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from training.courses.files import load_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Lab, Quiz, QuizAttempt, Role

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture()
def synced(db, tmp_path):
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    sync_library(load_library(target))
    db.session.commit()
    return target


def pass_module_quiz(trainee):
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                               review="after_pass", score=9, max_score=10, percent=90.0, passed=True))
    db.session.commit()


def test_the_last_lesson_of_a_module_leads_to_its_quiz_and_the_course_page_says_what_remains(client, login_as,
                                                                                           synced):
    login_as(Role.TRAINEE)
    first = client.post("/courses/core/boundaries/why-boundaries-matter/complete")
    assert first.headers["Location"] == "/courses/core/boundaries/gifts"  # the next lesson, as before
    last = client.post("/courses/core/boundaries/gifts/complete")
    assert last.headers["Location"] == "/courses/core/boundaries/quiz"  # not the locked next module
    quiz_page = client.get(last.headers["Location"]).get_data(as_text=True)
    assert "the module quiz is next" in quiz_page and "Start the quiz" in quiz_page

    page = client.get("/courses/core").get_data(as_text=True)
    assert "completed every lesson" not in page and "completed every module" not in page
    assert "Still to do: 2 lessons to read, 1 module quiz to pass, 1 practice lab to attend." in page
    assert 'class="button" href="/courses/core/boundaries/quiz">Next: the module quiz of' in page

    locked = client.get("/courses/core/ethics/scope-of-practice").get_data(as_text=True)
    assert "This module opens when you have completed" in locked and "What remains in Boundaries" in locked
    assert '<a href="/courses/core/boundaries/quiz">Pass the module quiz of Boundaries' in locked
    lab = db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))
    assert f'<a href="/labs/{lab.id}">Attend the practice lab' in locked


def test_with_the_quiz_passed_the_required_lab_comes_next_then_the_next_module(client, login_as, synced,
                                                                               attend_lab):
    trainee = login_as(Role.TRAINEE)
    pass_module_quiz(trainee)
    client.post("/courses/core/boundaries/why-boundaries-matter/complete")
    last = client.post("/courses/core/boundaries/gifts/complete")
    lab = db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))
    assert last.headers["Location"] == f"/labs/{lab.id}"
    assert "attend the practice lab" in client.get(last.headers["Location"]).get_data(as_text=True)
    page = client.get("/courses/core").get_data(as_text=True)
    assert "Still to do: 2 lessons to read, 1 practice lab to attend." in page
    assert f'href="/labs/{lab.id}">Next: the practice lab' in page

    attend_lab(trainee, "boundaries-practice")
    assert "Continue: Scope of practice" in client.get("/courses/core").get_data(as_text=True)
    assert client.post("/courses/core/ethics/scope-of-practice/complete").headers["Location"] == \
        "/courses/core/ethics/confidentiality"
    end = client.post("/courses/core/ethics/confidentiality/complete")
    assert end.headers["Location"] == "/courses/core"
    page = client.get("/courses/core").get_data(as_text=True)
    assert "the last module of this course" in page and "Still to do" not in page
    assert "What remains is the final exam" in page  # the fixture course has one, not passed yet


def test_a_lesson_left_unread_comes_before_the_quiz(client, login_as, synced):
    login_as(Role.TRAINEE)
    skipped = client.post("/courses/core/boundaries/gifts/complete")  # the last lesson first
    assert skipped.headers["Location"] == "/courses/core/boundaries/why-boundaries-matter"  # not the locked module
    assert "One lesson of Boundaries and dual relationships is not marked complete yet" in \
        client.get(skipped.headers["Location"]).get_data(as_text=True)
    client.post("/courses/core/boundaries/why-boundaries-matter/complete")
    again = client.post("/courses/core/boundaries/gifts/complete")  # nothing left to read: the quiz
    assert again.headers["Location"] == "/courses/core/boundaries/quiz"
