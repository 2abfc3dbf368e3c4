"""The judgement checks in the question bank: a change that makes the pool easier to game is
saved, and staff are told why it is worth a look; the questions page shows the pool's figures."""
import html

import pytest
from sqlalchemy import select

from tests.quizzes.conftest import QUIZ_FILE, set_quiz, sync
from training.extensions import db
from training.models import Quiz, QuizQuestion

CLEAN = "No option gives the answer away by its length"


def sync_module_quiz(content) -> Quiz:
    """Sync the content and return the boundaries module's quiz (the course also has a final exam)."""
    sync(content)
    return db.session.scalar(select(Quiz).where(Quiz.path == QUIZ_FILE))


@pytest.fixture()
def balanced(content) -> Quiz:
    """The fixture quiz with no warnings: every question drawn, and a wrong option the
    longest in both single-answer items."""
    path = content / QUIZ_FILE
    text = path.read_text()
    for old, new in [("Accept it so she does not feel rejected.",
                      "Accept it at once, so that she does not feel rejected or embarrassed."),
                     ("{text: Let it ring,", "{text: Let it ring and call back in the morning,")]:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    set_quiz(content, draw=None)
    return sync_module_quiz(content)


@pytest.fixture()
def staff_client(client, people):
    client.sign_in_as(people["staff"])
    return client


def single(question_id: str, prompt: str) -> str:
    """A single-answer question, as typed in the bank, whose right option is the longest."""
    return (f"id: {question_id}\ntype: single\nprompt: {prompt}\noptions:\n"
            "  - text: The right answer, which is the long one here\n    correct: true\n"
            "  - text: A wrong one\n")


def true_false(question_id: str, prompt: str, answer: bool) -> str:
    return f"id: {question_id}\ntype: true_false\nprompt: {prompt}\nanswer: {str(answer).lower()}\n"


def add(client, quiz: Quiz, text: str) -> str:
    """Save a new question in the bank; the page it leads to, with the messages flashed."""
    response = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": text, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def flashed_warnings(page: str) -> list[str]:
    start = '<p class="flash flash-warning">'
    return [html.unescape(part.split("</p>", 1)[0]) for part in page.split(start)[1:]]


def keys() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(QuizQuestion.key).where(QuizQuestion.retired_at.is_(None))
                                   .order_by(QuizQuestion.position)))


def test_the_questions_page_shows_the_figures_of_a_sound_pool(staff_client, balanced):
    page = staff_client.get(f"/author/quizzes/{balanced.id}").get_data(as_text=True)
    assert ("8 questions in the pool, 8 drawn; longest option correct in 0 of 2 single-answer items (0%); "
            "true/false answers 0 true, 1 false.") in page
    assert CLEAN in page


def test_a_question_that_tips_true_false_one_way_is_saved_with_a_warning(staff_client, balanced):
    page = add(staff_client, balanced, true_false("dating-participants", "A peer worker may date a participant.",
                                                  False))
    assert "dating-participants" in keys()
    assert "Question “dating-participants” is saved." in page
    assert flashed_warnings(page) == [
        "Worth a look: 2 of 2 true/false answers are false (100%; at most 65% one way is allowed), so always "
        "answering false would score well; rewrite some statements so their answer is true."]
    assert "true/false answers 0 true, 2 false." in page and CLEAN not in page


def test_the_longest_option_warning_grows_with_the_pool(staff_client, balanced):
    prompts = ["When is a warm line the right number?", "Why share part of your own story?",
               "What belongs in a session note?"]
    pages = [add(staff_client, balanced, single(f"longest-{n}", prompt)) for n, prompt in enumerate(prompts)]
    assert keys()[-3:] == ["longest-0", "longest-1", "longest-2"]
    assert flashed_warnings(pages[0]) == []  # 1 of 3
    assert flashed_warnings(pages[1]) == [
        "Worth a look: the correct option is the longest in 2 of 4 single-answer items (50%)."]
    assert flashed_warnings(pages[2]) == [
        "Worth a look: the correct option is the longest in 3 of 5 single-answer items (60%; at most 40% is "
        "allowed), so a trainee could pass by picking the longest option; make a wrong option the longest in "
        "some of: longest-0, longest-1, longest-2."]
    assert "longest option correct in 3 of 5 single-answer items (60%)" in pages[2]


def test_a_question_asked_twice_is_saved_with_a_warning(staff_client, balanced):
    page = add(staff_client, balanced, true_false(
        "gift-card-again", "Maria offers you a $20 gift card. What would you do next?", True))
    assert "gift-card-again" in keys()
    [warning] = flashed_warnings(page)
    assert warning.startswith("Worth a look: question: gift-card and question: gift-card-again ask nearly the "
                              "same question (")


def test_retiring_a_question_warns_when_the_pool_becomes_small_for_the_draw(staff_client, content, balanced):
    set_quiz(content, draw=4)
    quiz = sync_module_quiz(content)
    row = db.session.scalar(select(QuizQuestion).where(QuizQuestion.key == "gift-range"))
    response = staff_client.post(f"/author/quizzes/{quiz.id}/questions/{row.id}/retire", {"retired": "1"})
    assert response.status_code == 302
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "gift-range" not in keys()
    assert flashed_warnings(page) == [
        "Worth a look: the pool has 7 questions for 4 drawn; with fewer than twice as many, a retake repeats "
        "most of the same questions (add questions or lower draw)."]


def test_a_gift_import_that_tips_true_false_one_way_succeeds_with_a_warning(staff_client, balanced):
    gift = ("::crisis-is-clinical::A warm line is a clinical service.{FALSE}\n\n"
            "::advice-is-the-role::Telling people what to do is the heart of peer work.{FALSE}\n")
    response = staff_client.post(f"/author/quizzes/{balanced.id}/import", {"gift_text": gift})
    assert response.status_code == 302
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert keys()[-2:] == ["crisis-is-clinical", "advice-is-the-role"]
    assert "Imported from GIFT: 2 added" in page
    assert flashed_warnings(page) == [
        "Worth a look: 3 of 3 true/false answers are false (100%; at most 65% one way is allowed), so always "
        "answering false would score well; rewrite some statements so their answer is true."]
    assert "true/false answers 0 true, 3 false." in page


def test_a_change_that_leaves_the_pool_sound_flashes_no_warning(staff_client, balanced):
    page = add(staff_client, balanced, true_false("confidentiality-limits",
                                                  "The limits of confidentiality are explained at the start.", True))
    assert flashed_warnings(page) == [] and CLEAN in page
