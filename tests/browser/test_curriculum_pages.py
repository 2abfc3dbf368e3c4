"""Every page of the real curriculum as a reader sees it on a small phone: each lesson (with
its body and at least one scenario), each practice lab and each quiz page, axe-core clean and
with nothing wider than the screen. (At desktop width the every-page sweep reads the pages
the menus reach.)"""
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Course, Lab, Lesson, Module, Role

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
PHONE = {"width": 320, "height": 800}


@pytest.fixture()
def pages(db, make_user):
    sync_library(content_library(CURRICULUM))
    db.session.commit()
    rows = db.session.execute(select(Course.slug, Module.slug, Lesson.slug).join(Module, Module.course_id == Course.id)
                              .join(Lesson, Lesson.module_id == Module.id)
                              .order_by(Module.position, Lesson.position)).all()
    lessons = [f"/courses/{course}/{module}/{lesson}" for course, module, lesson in rows]
    quizzes = sorted({f"/courses/{course}/{module}/quiz" for course, module, _ in rows})
    labs = [f"/labs/{lab_id}" for lab_id in db.session.scalars(select(Lab.id).order_by(Lab.id))]
    return make_user(Role.STAFF, email="reader@example.org"), lessons, labs + quizzes


@pytest.mark.sweep
def test_every_lesson_lab_and_quiz_page_reads_well_on_a_phone(page, live_server, pages, sign_in, assert_accessible):
    reader, lessons, others = pages
    urls = lessons + others
    assert len(lessons) >= 56 and len(others) >= 11 + 10  # lessons; labs and quizzes
    page.set_viewport_size(PHONE)
    sign_in(reader.email, PASSWORD)
    too_wide = []
    for url in urls:
        response = page.goto(live_server + url)
        assert response.status == 200, url
        assert page.locator("h1").count() == 1, url
        if url in lessons:
            assert page.locator(".lesson-body").is_visible(), url
            assert page.locator(".admonition.scenario").count() >= 1, f"{url} has no scenario"
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            too_wide.append(url)
        assert_accessible(page)
    assert too_wide == []
