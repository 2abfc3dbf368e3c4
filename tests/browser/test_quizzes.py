"""Real-browser journeys through quizzes on the real curriculum: take, resume, submit, review;
staff in the question bank. axe-core checks every page on the way."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db
from training.models import QuizAccommodation, QuizAttempt, User
from tests.quizzes.conftest import right_answer

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
QUIZ = "/courses/peer-support-core/orientation/quiz"


@pytest.fixture()
def curriculum(db):
    seed_demo()
    sync_library(content_library(CURRICULUM))
    db.session.commit()


def open_attempt(email: str) -> QuizAttempt:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                             .order_by(QuizAttempt.id.desc()))


def answer_in_page(page, item) -> None:
    """Answer one item correctly the way a person would: click, choose, type."""
    for name, value in right_answer(item).items():
        values = value if isinstance(value, list) else [value]
        kind = item.question["type"]
        if kind in ("single", "multiple", "true_false"):
            for one in values:
                page.locator(f'input[name="{name}"][value="{one}"]').check()
        elif kind == "matching":
            page.locator(f'select[name="{name}"]').select_option(values[0])
        else:
            page.locator(f'[name="{name}"]').fill(values[0])


def expect_answer_shown(page, item) -> None:
    for name, value in right_answer(item).items():
        values = value if isinstance(value, list) else [value]
        if item.question["type"] in ("single", "multiple", "true_false"):
            for one in values:
                expect(page.locator(f'input[name="{name}"][value="{one}"]')).to_be_checked()
        else:
            expect(page.locator(f'[name="{name}"]')).to_have_value(values[0].strip())


def test_trainee_takes_resumes_submits_and_reviews_a_quiz(page, live_server, curriculum, sign_in,
                                                           assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.goto(live_server + QUIZ)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quiz:")
    expect(page.get_by_text("There is no time limit")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("group", name=re.compile(r"^Question 1 of \d+"))).to_be_visible()
    assert_accessible(page)

    attempt = open_attempt("trainee@example.org")
    first = attempt.items[0]
    answer_in_page(page, first)
    expect(page.get_by_role("status").filter(has_text="Your answers are saved.")).to_be_visible()
    page.reload()  # leaving and coming back keeps the answer
    assert open_attempt("trainee@example.org").items[0].answer is not None
    expect_answer_shown(page, first)
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text(f"{len(attempt.items) - 1} questions have no answer yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("Not passed this time")).to_be_visible()
    expect(page.get_by_text("appear here once you pass")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server + QUIZ)
    expect(page.get_by_text("There is a break between attempts")).to_be_visible()  # 60 minutes in the real quiz
    trainee = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    db.session.add(QuizAccommodation(quiz_id=attempt.quiz_id, user_id=trainee.id, waive_cooldown=True,
                                     reason="Test: no wait", granted_by_id=staff.id))
    db.session.commit()
    page.reload()
    with page.expect_navigation():  # the attempt exists once its page has come back
        page.get_by_role("button", name="Start a new attempt").click()
    attempt = open_attempt("trainee@example.org")
    for item in attempt.items:
        answer_in_page(page, item)
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("Every question has an answer")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("100% · Passed")).to_be_visible()
    expect(page.get_by_text("Correct answer").first).to_be_visible()
    expect(page.locator(".explanation").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_server + "/courses/peer-support-core")
    expect(page.locator(".module-quiz").first).to_contain_text("Passed")


def test_the_quiz_works_by_keyboard_alone(page, live_server, curriculum, sign_in):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.goto(live_server + QUIZ)
    page.get_by_role("button", name="Start the quiz").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name=re.compile(r"^Question 1 of \d+"))).to_be_visible()
    attempt = open_attempt("trainee@example.org")
    first = attempt.items[0]
    if first.question["type"] in ("single", "true_false", "multiple"):
        page.locator(f'[name="q{first.position}"]').first.focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Save my answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your answers are saved. You can come back")).to_be_visible()


def test_staff_work_in_the_question_bank(page, live_server, curriculum, sign_in, assert_accessible):
    sign_in("staff@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/author/quizzes/")
    assert_accessible(page)
    page.get_by_role("link", name="Boundaries and dual relationships").click()
    expect(page.get_by_role("table", name="Questions in the bank")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table", name="Questions in the bank").get_by_role("link").first.click()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview, with the answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Import GIFT").click()
    page.get_by_label("Or paste GIFT text").fill("::broken::A question{=yes\n")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Accommodations").click()
    page.get_by_label("Trainee’s email address").fill("trainee@example.org")
    page.get_by_label("Extra attempts").fill("1")
    page.get_by_label("Reason").fill("Agreed adjustment for reading time.")
    page.get_by_role("button", name="Record the accommodation").click()
    expect(page.get_by_text("The accommodation for")).to_be_visible()
    assert_accessible(page)
