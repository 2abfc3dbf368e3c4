"""The quiz page counts questions as an attempt does; a result that did not pass points to the
lessons to look back over and says when a retake is possible; a pass points to what is next."""
import re

from sqlalchemy import select

from tests.quizzes.conftest import QUIZ_URL, answers, set_quiz, set_quiz_draw_by_competency, start, sync
from training.courses.progress import course_outline
from training.extensions import db
from training.models import Course, QuizAttempt
from training.quizzes.afterwards import after_result


def reload(attempt) -> QuizAttempt:
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


def submitted(client, trainee, *, wrong_all=False) -> QuizAttempt:
    attempt = start(client, trainee)
    wrong = {item.position for item in attempt.items} if wrong_all else ()
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong=wrong))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    return reload(attempt)


def section(page: str, heading_id: str) -> str:
    return re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', page, re.S).group(1)


def test_the_quiz_page_counts_questions_the_way_an_attempt_does(client, people, content):
    set_quiz(content, draw=None, essay=False)
    set_quiz_draw_by_competency(content)
    sync(content)
    client.sign_in_as(people["trainee"])
    page = client.get(QUIZ_URL).get_data(as_text=True)
    attempt = start(client, people["trainee"])
    # The scenario's two questions are two questions of the attempt ("Question 5 of 9"), not one.
    assert f"Each attempt has {len(attempt.items)} questions." in page
    assert f"{len(attempt.items)} questions" in client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)

    set_quiz(content, draw=6)
    sync(content)
    page = client.get(QUIZ_URL).get_data(as_text=True)
    bank = len(attempt.items)
    assert (f"Each attempt has 6 to 7 questions (a scenario brings a few questions about one situation), "
            f"chosen at random from a bank of {bank}") in page


def test_a_result_that_did_not_pass_links_the_lessons_to_review_and_says_when_to_try_again(client, people,
                                                                                        content):
    set_quiz(content, draw=None, cooldown_minutes=0, essay=False)
    set_quiz_draw_by_competency(content)
    sync(content)
    attempt = submitted(client, people["trainee"], wrong_all=True)
    assert attempt.passed is False
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    review = section(page, "review-heading")
    # The missed questions are tagged C01.1 and C02.1: the lesson tagged with them, not the untagged one.
    assert "These lessons teach what the questions you missed were about" in review
    assert '<a href="/courses/core/boundaries/why-boundaries-matter">Why boundaries matter</a>' in review
    assert "/courses/core/boundaries/gifts" not in review
    assert "You can try again now (2 attempts left)" in review and f'href="{QUIZ_URL}"' in review

    set_quiz(content, cooldown_minutes=60)
    sync(content)
    review = section(client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True), "review-heading")
    assert "There is a break between attempts" in review and "you can try again after" in review
    assert "talk with your supervisor" not in review  # a break is not the end of the attempts


def test_missed_questions_without_tags_point_to_every_lesson_of_the_module(client, people, content):
    set_quiz(content, draw=None, cooldown_minutes=0, essay=False)
    set_quiz_draw_by_competency(content)
    sync(content)
    attempt = start(client, people["trainee"])
    untagged = {item.position for item in attempt.items if not item.question.get("competencies") and not item.part}
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong=untagged))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    assert reload(attempt).passed is False
    review = section(client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True), "review-heading")
    assert "Look back over the lessons of this module" in review
    assert "why-boundaries-matter" in review and "/courses/core/boundaries/gifts" in review


def test_a_pass_links_to_what_the_module_still_needs_and_the_next_module(client, people, every_question):
    attempt = submitted(client, people["trainee"])
    assert attempt.passed is True
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    after = section(page, "next-heading")
    assert "To complete Boundaries and dual relationships, you still need to" in after
    assert "Read “Gifts and favours”" in after and "Attend the practice lab" in after  # lessons, the lab
    assert "the module quiz" not in after
    assert '<a class="button" href="/courses/core/ethics/scope-of-practice">Next module: Ethics</a>' in after
    assert "review-heading" not in page

    course = db.session.scalar(select(Course))
    outline = course_outline(course, people["trainee"].id, apply_locks=True)
    outline.modules = outline.modules[:1]  # as if the quiz's module were the course's last
    assert after_result(reload(attempt), outline).next_module is None


def test_staff_and_supervisors_see_no_next_steps_meant_for_the_trainee(client, people, every_question):
    attempt = submitted(client, people["trainee"], wrong_all=True)
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "review-heading" not in page and "next-heading" not in page
