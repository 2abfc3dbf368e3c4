"""What Moodle's GIFT can say and we once refused, each case from a Moodle-style file: imported
into the bank, then answered and graded through the engine as a trainee would."""
import pytest
from sqlalchemy import delete
from werkzeug.datastructures import MultiDict

from training.courses.quizfiles import load_quiz
from training.extensions import db
from training.models import QuizQuestion, utcnow
from training.quizzes.answers import read_answers
from training.quizzes.attempts import save_answers, start_attempt, submit_attempt
from training.quizzes.bank import active_pool, import_questions
from training.quizzes.gift import GiftError, parse_gift, write_gift
from training.quizzes.questiondata import question_data, question_from_data
from training.quizzes.review import attempt_page_items
from tests.quizzes.conftest import set_quiz, set_quiz_draw_by_competency, sync


@pytest.fixture()
def bank(content, people):
    """Import a GIFT text into the fixture quiz, as its only questions, every one drawn in order."""
    set_quiz(content, draw=None, cooldown_minutes=0, essay=False, attempts=0)
    set_quiz_draw_by_competency(content)
    quiz = sync(content)
    for row in quiz.questions:
        row.retired_at = utcnow()

    def import_gift(text: str):
        import_questions(quiz, parse_gift(text), people["staff"])
        db.session.commit()
        return {row.key: row.data for row in quiz.questions if row.retired_at is None}
    import_gift.quiz = quiz
    return import_gift


@pytest.fixture()
def graded(bank, make_user):
    """Answer the imported questions as a new trainee and submit: graded(fields) -> the attempt.

    `fields` map a question id to a function of its attempt item that returns the form value."""
    def answer(fields: dict):
        attempt = start_attempt(bank.quiz, make_user(), utcnow())
        form = MultiDict()
        for item in attempt.items:
            for name, value in fields.get(item.question["id"], lambda item: {})(item).items():
                form.add(name, value)
        answers, errors = read_answers(attempt.items, form)
        assert not errors
        save_answers(attempt, answers, utcnow())
        submit_attempt(attempt, utcnow())
        db.session.commit()
        return attempt
    return answer


def item_of(attempt, question_id: str):
    return next(item for item in attempt.items if item.question["id"] == question_id)


def choose(option: int):
    """The form field choosing the option at this index of the file, where the page shows it."""
    return lambda item: {f"q{item.position}": str(item.shown_order.index(option))}


def typed(text: str):
    return lambda item: {f"q{item.position}": text}


def reviewed(attempt, question_id: str):
    return next(view for view in attempt_page_items(attempt, reviewed=True) if view.data["id"] == question_id)


# --- 1. single answer with partial credit --------------------------------------------------

SINGLE_PARTIAL = r"""// question: 0  name: Switch category to $course$/Boundaries/Gifts
$CATEGORY: $course$/Boundaries/Gifts


// question: 3101  name: Gift card first reply
// [id:BND-21] [tag:gifts]
::Gift card first reply::[html]<p>Maria hands you a <b>$20</b> gift card after a hard week. What do you say first?</p>{
	=Thank her warmly, then explain the gift policy.#Warm and clear: that is the heart of it.
	~%50%Explain the gift policy straight away.#Right policy, but warmth first keeps the relationship.
	~%33.33333%Say you will ask your supervisor.#Asking is fine; say thank you first.
	~Accept it quietly.#That creates a secret between you.
	####Most peer codes allow thanks and a kind refusal of cash-like gifts.
}
"""


def test_single_answer_partial_credit_from_a_moodle_file(bank, graded):
    data = bank(SINGLE_PARTIAL)["gift-card-first-reply"]
    assert data["type"] == "single"
    assert [(option.get("correct", False), option.get("weight")) for option in data["options"]] == [
        (True, None), (False, 50), (False, 33), (False, None)]
    assert data["tags"] == ["category:Boundaries/Gifts", "idnumber:BND-21", "gifts"]
    points = {option: item_of(graded({"gift-card-first-reply": choose(option)}), "gift-card-first-reply").points
              for option in range(4)}
    assert points == {0: 1.0, 1: 0.5, 2: 0.33, 3: 0.0}
    attempt = graded({"gift-card-first-reply": choose(1)})
    view = reviewed(attempt, "gift-card-first-reply")
    chosen = next(choice for choice in view.choices if choice.chosen)
    assert (chosen.partial, chosen.feedback) == (50, "Right policy, but warmth first keeps the relationship.")
    assert attempt.percent == 50.0


# --- 2. short answer with partial credit and feedback per answer --------------------------

SHORT_PARTIAL = r"""// question: 0  name: Switch category to $course$/Crisis
$CATEGORY: $course$/Crisis


// question: 3102  name: Crisis line number
// [id:CRS-04]
::Crisis line number::[html]<p>Which number do you dial or text for the US crisis line?</p>{
	=%100%988#Yes: 988, by call or text.
	=%50%911#That reaches emergency services; 988 is the crisis line.
	~1-800-273-8255#That was the old number; it still forwards, but 988 is the one to give.
	####988 has been the crisis line since July 2022.
}
"""


def test_short_answer_partial_credit_and_feedback_from_a_moodle_file(bank, graded):
    data = bank(SHORT_PARTIAL)["crisis-line-number"]
    assert data["type"] == "short"
    assert data["answers"] == [
        {"text": "988", "weight": 100, "feedback": "Yes: 988, by call or text."},
        {"text": "911", "weight": 50, "feedback": "That reaches emergency services; 988 is the crisis line."},
        {"text": "1-800-273-8255", "weight": 0,
         "feedback": "That was the old number; it still forwards, but 988 is the one to give."}]
    expected = {" 988 ": (1.0, "Yes: 988, by call or text."),
                "911": (0.5, "That reaches emergency services; 988 is the crisis line."),
                "1-800-273-8255": (0.0, "That was the old number; it still forwards, but 988 is the one to give."),
                "112": (0.0, None)}
    for text, (points, feedback) in expected.items():
        attempt = graded({"crisis-line-number": typed(text)})
        assert item_of(attempt, "crisis-line-number").points == points
        view = reviewed(attempt, "crisis-line-number")
        assert (view.feedback, view.key) == (feedback, "“988”")


SHORT_WILDCARD = r"""// question: 3120  name: Name the lifeline
::Name the lifeline::Which line do you give someone in crisis in the US? Answer in a few words.{
	=%100%*988*#Yes: 988, by call or text.
	=%0%*#Think of the three-digit number for the Suicide and Crisis Lifeline.
}
"""


def test_short_answer_wildcards_from_a_moodle_file(bank, graded):
    """Moodle's * stands for any run of characters; "*" alone catches every other answer."""
    data = bank(SHORT_WILDCARD)["name-the-lifeline"]
    assert [answer["text"] for answer in data["answers"]] == ["*988*", "*"]
    expected = {"The 988 Lifeline": (1.0, "Yes: 988, by call or text."),
                "988": (1.0, "Yes: 988, by call or text."),
                "911": (0.0, "Think of the three-digit number for the Suicide and Crisis Lifeline.")}
    for text, (points, feedback) in expected.items():
        attempt = graded({"name-the-lifeline": typed(text)})
        assert item_of(attempt, "name-the-lifeline").points == points, text
        assert reviewed(attempt, "name-the-lifeline").feedback == feedback, text
    exported = write_gift([question_from_data(data)])
    assert "=%100%*988*#" in exported and "=%0%*#" in exported  # written back as Moodle reads it


# --- 3. numerical partial credit and feedback for any other number ------------------------

NUMERICAL_PARTIAL = r"""// question: 3103  name: Weekly supervision hours
// [id:SUP-11] [tag:supervision]
::Weekly supervision hours::[html]<p>Your certification asks for 25 hours of supervision over 10 weeks. How many hours a week is that?</p>{#
	=%100%2.5:0.05#Yes: 25 hours over 10 weeks.
	=%50%2:0.5#Close; check the division again.
	~#Divide the hours by the weeks: 25 ÷ 10.
	####Spread evenly, that is two and a half hours a week.
}
"""


def test_numerical_partial_credit_and_catch_all_feedback_from_a_moodle_file(bank, graded, client):
    data = bank(NUMERICAL_PARTIAL.replace("#Yes: 25 hours over 10 weeks.", "#"))["weekly-supervision-hours"]
    assert (data["answer"], data["tolerance"], data["explanation"]) == (
        2.5, 0.05, "Spread evenly, that is two and a half hours a week.")
    assert data["other_answers"] == [{"answer": 2.0, "tolerance": 0.5, "weight": 50,
                                      "feedback": "Close; check the division again."}]
    assert data["wrong_feedback"] == "Divide the hours by the weeks: 25 ÷ 10."
    expected = {"2.5": (1.0, None), "2,2": (0.5, "Close; check the division again."),
                "10": (0.0, "Divide the hours by the weeks: 25 ÷ 10.")}
    for text, (points, feedback) in expected.items():
        attempt = graded({"weekly-supervision-hours": typed(text)})
        assert item_of(attempt, "weekly-supervision-hours").points == points
        assert reviewed(attempt, "weekly-supervision-hours").feedback == feedback
    passed = graded({"weekly-supervision-hours": typed("2.5")})
    client.sign_in_as(passed.user)
    page = client.get(f"/quiz-attempts/{passed.id}").get_data(as_text=True)
    assert "Spread evenly" in page and "Accepted answer:" in page


def test_feedback_on_the_first_of_several_numbers_and_general_feedback_is_a_problem(bank):
    with pytest.raises(GiftError) as raised:
        parse_gift(NUMERICAL_PARTIAL)
    assert "merge them into the general feedback" in str(raised.value)


# --- 4. matching with an extra wrong choice ------------------------------------------------

MATCHING_DISTRACTOR = r"""// question: 3104  name: Who to call
// [id:CRS-09] [tag:crisis] [tag:referral]
::Who to call::[html]<p>Match each situation with the first call to make.</p>{
	=<p>A participant says they have taken an overdose</p> -> 911
	=<p>A participant talks about wanting to die</p> -> 988
	=<p>You are unsure about a boundary</p> -> Your supervisor
	= -> The participant's family
	####Safety first, then support, then supervision.
}
"""


def test_matching_with_a_distractor_from_a_moodle_file(bank, graded):
    data = bank(MATCHING_DISTRACTOR)["who-to-call"]
    assert [pair["right"] for pair in data["pairs"]] == ["911", "988", "Your supervisor"]
    assert data["distractors"] == ["The participant's family"]

    def match(rights: list[int]):
        """Each row matched to the choice at this index (0-2 the pairs' right sides, 3 the distractor)."""
        return lambda item: {f"q{item.position}-{row}": str(item.shown_order.index(right))
                             for row, right in enumerate(rights)}

    attempt = graded({"who-to-call": match([0, 1, 3])})
    assert item_of(attempt, "who-to-call").points == pytest.approx(2 / 3, abs=1e-4)
    view = reviewed(attempt, "who-to-call")
    assert sorted(text for _, text in view.right_choices) == sorted(["911", "988", "Your supervisor",
                                                                     "The participant's family"])
    assert view.rows[2].chosen_text == "The participant's family"
    assert item_of(graded({"who-to-call": match([0, 1, 2])}), "who-to-call").points == 1.0
    assert item_of(graded({"who-to-call": match([3, 3, 3])}), "who-to-call").points == 0.0


# --- 5. a description on its own -------------------------------------------------------------

WITH_DESCRIPTION = r"""// question: 3105  name: Before the gift questions
// [id:BND-00]
::Before the gift questions::[html]<p>The next questions are about <strong>gifts</strong>. There is no trick: answer as you would at work.</p>

// question: 3106  name: Small gift
::Small gift::A participant offers you a home-made card. May you keep it?{TRUE#Most codes allow it.#Yes: a card has no money value.}

// question: 3107  name: Cash
::Cash::A participant offers you $50 in cash. May you keep it?{FALSE#No: cash is never kept.#Right: cash is always declined, kindly.}
"""


def test_a_description_is_shown_in_place_and_never_scored(bank, graded, client, make_user):
    questions = bank(WITH_DESCRIPTION)
    assert questions["before-the-gift-questions"] == {
        "id": "before-the-gift-questions", "type": "description", "tags": ["idnumber:BND-00"],
        "prompt": "The next questions are about **gifts**. There is no trick: answer as you would at work."}
    attempt = graded({"small-gift": lambda item: {f"q{item.position}": "true"},
                      "cash": lambda item: {f"q{item.position}": "false"}})
    assert [item.question["id"] for item in attempt.items] == ["small-gift", "cash"]
    assert (attempt.score, attempt.max_score, attempt.percent) == (2.0, 2.0, 100.0)
    trainee = make_user()
    client.sign_in_as(trainee)
    opened = start_attempt(bank.quiz, trainee, utcnow())
    db.session.commit()  # the page is read on its own connection
    page = client.get(f"/quiz-attempts/{opened.id}").get_data(as_text=True)
    assert "2 questions" in page and "Question 2 of 2" in page and "of 3" not in page
    description = page.index("The next questions are about <strong>gifts</strong>.")
    assert description < page.index("Question 1 of 2") < page.index("Question 2 of 2")


# --- the round trip ------------------------------------------------------------------------


def test_every_case_exports_and_imports_into_an_empty_bank_as_the_same_file(bank, tmp_path):
    """Export, import into a bank with none of these questions, export again: the same bytes, and
    quiz.yml reads back as the same questions."""
    every_case = [SINGLE_PARTIAL, SHORT_PARTIAL, NUMERICAL_PARTIAL.replace("#Yes: 25 hours over 10 weeks.", "#"),
                  MATCHING_DISTRACTOR, WITH_DESCRIPTION]
    imported = bank("\n\n".join(every_case))
    assert {data["type"] for data in imported.values()} == {"single", "short", "numerical", "matching",
                                                             "description", "true_false"}
    first = write_gift([question_from_data(data) for _, data in active_pool(bank.quiz)])
    db.session.execute(delete(QuizQuestion).where(QuizQuestion.quiz_id == bank.quiz.id))
    db.session.commit()
    again = bank(first)
    assert again == imported
    assert write_gift([question_from_data(data) for _, data in active_pool(bank.quiz)]) == first
    (tmp_path / "quiz.yml").write_text(bank.quiz.source)
    problems = []
    from_file = load_quiz(tmp_path, "quiz.yml", problems, None)
    assert problems == [] and [question_data(question) for question in from_file.questions] == list(again.values())
