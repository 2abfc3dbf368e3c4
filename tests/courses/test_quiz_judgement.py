"""The judgement checks on quiz pools (quizchecks.py), and what `courses check` and `courses sync`
do with them: a pool a trainee could pass by picking the longest option is refused, with its
figures and the questions to change named."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from training.courses.files import check_library
from training.courses.quizchecks import (Finding, Stem, judgement_findings, pool_warnings, quiz_figures,
                                         similar_stem_findings, similar_stems, stems_of)
from training.extensions import db
from training.models import Course, Quiz, QuizQuestion

VALID = Path(__file__).parent / "fixtures" / "valid"
QUIZ_FILE = "core/boundaries/quiz.yml"


def single(question_id: str, correct: str, *wrong: str) -> dict:
    """A single-answer item whose right option is `correct`, followed by the `wrong` ones."""
    return {"id": question_id, "type": "single", "prompt": f"Which is right in {question_id}?",
            "options": [{"text": correct, "correct": True}, *({"text": text} for text in wrong)]}


def longest_right(question_id: str) -> dict:
    return single(question_id, "The right answer, which is long", "Short")


def shortest_right(question_id: str) -> dict:
    return single(question_id, "Right", "A wrong answer, written longer")


def true_false(question_id: str, answer: bool) -> dict:
    return {"id": question_id, "type": "true_false", "prompt": f"Is {question_id} so?", "answer": answer}


def scenario(question_id: str, *parts: dict) -> dict:
    return {"id": question_id, "type": "scenario", "vignette": "A participant calls late at night.",
            "questions": list(parts)}


def pool(*, longest: int = 0, shortest: int = 0, true: int = 0, false: int = 0) -> list[dict]:
    return ([longest_right(f"long-{n}") for n in range(longest)]
            + [shortest_right(f"short-{n}") for n in range(shortest)]
            + [true_false(f"true-{n}", True) for n in range(true)]
            + [true_false(f"false-{n}", False) for n in range(false)])


def errors(questions: list[dict], draw: int | None = None) -> list[str]:
    return [f.message for f in judgement_findings(quiz_figures(questions, draw)) if f.severity == "error"]


def warnings(questions: list[dict], draw: int | None = None) -> list[str]:
    return [f.message for f in judgement_findings(quiz_figures(questions, draw)) if f.severity == "warning"]


# --- the figures -----------------------------------------------------------------------------

def test_a_tie_for_longest_counts_as_the_longest():
    figures = quiz_figures([single("tie", "Call them back", "Let it ring on"),  # 14 and 14 characters
                            single("shorter", "Wait", "Call them back")], None)
    assert figures.longest_correct == ["tie"] and figures.single_items == 2


def test_lengths_are_compared_without_extra_spaces():
    padded = single("padded", "Call   them    back", "Let it ring once")  # 14 characters once spaces close up
    assert quiz_figures([padded], None).longest_correct == []


def test_scenario_parts_count_and_the_scenario_counts_once_in_the_pool():
    figures = quiz_figures([scenario("late-call", longest_right("first-step"), shortest_right("second-step"),
                                     true_false("safe", True)),
                            longest_right("gift")], draw=None)
    assert (figures.pool, figures.single_items) == (2, 3)
    assert figures.longest_correct == ["first-step", "gift"]
    assert figures.true_false == {"safe": True}


def test_only_single_answer_items_with_two_options_are_counted():
    multiple = {**longest_right("several"), "type": "multiple"}
    lonely = single("lonely", "The only option there is")
    figures = quiz_figures([multiple, lonely, shortest_right("counted")], None)
    assert (figures.single_items, figures.longest_correct) == (1, [])


def test_the_summary_names_every_figure():
    figures = quiz_figures(pool(longest=1, shortest=3, true=2, false=1), draw=4)
    assert figures.summary() == ("7 questions in the pool, 4 drawn; longest option correct in 1 of 4 "
                                 "single-answer items (25%); true/false answers 2 true, 1 false")
    assert quiz_figures(pool(true=1), draw=None).summary() == (
        "1 questions in the pool, 1 drawn; true/false answers 1 true, 0 false")


# --- the longest-option rule -------------------------------------------------------------------

def test_exactly_forty_percent_passes():
    assert errors(pool(longest=2, shortest=3)) == []
    assert errors(pool(longest=40, shortest=60)) == []


def test_forty_one_percent_fails_and_names_the_questions():
    [message] = errors(pool(longest=41, shortest=59))
    assert message.startswith("the correct option is the longest in 41 of 100 single-answer items (41%; at most "
                              "40% is allowed), so a trainee could pass by picking the longest option; make a "
                              "wrong option the longest in some of: long-0, long-1, ")
    assert message.endswith(", long-40")


def test_five_single_items_are_enough_to_refuse_and_four_only_warn():
    assert errors(pool(longest=3, shortest=2)) != []
    assert errors(pool(longest=4)) == []
    assert warnings(pool(longest=4)) == [
        "the correct option is the longest in 4 of 4 single-answer items (100%)"]
    assert warnings(pool(longest=1, shortest=3)) == []


def test_scenario_parts_are_enough_to_reach_five_items():
    parts = [longest_right(f"part-{n}") for n in range(3)]
    questions = [scenario("late-call", *parts), longest_right("gift"), shortest_right("scope")]
    [message] = errors(questions)
    assert "4 of 5 single-answer items (80%" in message and message.endswith("part-0, part-1, part-2, gift")


# --- the true/false rule -------------------------------------------------------------------------

@pytest.mark.parametrize("true, false, refused", [
    (1, 0, False),  # one item: one way by necessity
    (2, 1, False),  # 67%, but only one item apart
    (2, 0, True),
    (3, 1, True),   # 75%, two apart
    (3, 2, False),  # 60%
    (0, 2, True),
    (1, 3, True),
    (4, 4, False),
])
def test_true_false_answers_one_way(true, false, refused):
    found = errors(pool(true=true, false=false))
    assert bool(found) is refused, found


def test_the_true_false_message_says_which_way_and_what_to_do():
    assert errors(pool(true=3, false=1)) == [
        "3 of 4 true/false answers are true (75%; at most 65% one way is allowed), so always answering true "
        "would score well; rewrite some statements so their answer is false"]
    assert errors(pool(false=2)) == [
        "2 of 2 true/false answers are false (100%; at most 65% one way is allowed), so always answering false "
        "would score well; rewrite some statements so their answer is true"]


def test_true_false_parts_of_a_scenario_count():
    questions = [scenario("late-call", true_false("safe", True), true_false("urgent", True)), true_false("x", True)]
    assert quiz_figures(questions, None).true_false == {"safe": True, "urgent": True, "x": True}
    assert errors(questions) != []


# --- repeated options ----------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("Call 988.", "call 988"),
    ("Ask your supervisor", "ASK YOUR SUPERVISOR!"),
    ("Wait - then call", "wait, then call"),
    ("Say: “Let’s talk.”", "say \"let's talk\""),  # curly quotes and apostrophe, as pasted from a word processor
])
def test_options_differing_only_in_case_or_punctuation_are_repeated(first, second):
    item = single("crisis", first, second, "Let it ring")
    assert errors([item]) == [f"question 'crisis' offers the option '{second}' twice; make each option different"]


def test_options_that_differ_in_a_letter_are_not_repeated():
    assert quiz_figures([single("its", "It's fine", "Its fine", "It is not")], None).repeated_options == []
    assert quiz_figures([single("accents", "Sí", "Sé")], None).repeated_options == []


def test_the_same_option_in_different_questions_is_fine():
    assert errors([single("a", "Call 988", "Wait"), single("b", "Call 988", "Hang up")]) == []


def test_repeated_options_are_found_in_multiple_choice_and_scenario_parts():
    multiple = {**single("several", "Listen", "listen.", "Advise"), "type": "multiple"}
    part = single("part", "Stay calm", "Stay  calm")
    figures = quiz_figures([multiple, scenario("late-call", part)], None)
    assert figures.repeated_options == [("several", "listen."), ("part", "Stay  calm")]


# --- pool against draw -----------------------------------------------------------------------------

def test_a_pool_smaller_than_twice_the_draw_warns():
    assert warnings(pool(shortest=19), draw=10) == [
        "the pool has 19 questions for 10 drawn; with fewer than twice as many, a retake repeats most of the "
        "same questions (add questions or lower draw)"]
    assert warnings(pool(shortest=20), draw=10) == []
    assert warnings(pool(shortest=3), draw=None) == []


def test_the_pool_warning_never_refuses():
    findings = judgement_findings(quiz_figures(pool(shortest=2), draw=2))
    assert [finding.severity for finding in findings] == ["warning"]


# --- similar stems ---------------------------------------------------------------------------------

WORDS = [f"word{n}" for n in range(20)]


def changed(positions: list[int]) -> str:
    return " ".join(f"other{n}" if n in positions else word for n, word in enumerate(WORDS))


def test_stems_alike_from_eighty_five_percent():
    original = Stem("quiz.yml: a", " ".join(WORDS))
    three_changed = Stem("quiz.yml: b", changed([3, 10, 16]))   # 17 of 20 words: 85%
    four_changed = Stem("quiz.yml: c", changed([3, 10, 16, 19]))  # 16 of 20: 80%
    assert similar_stems([original, three_changed]) == [(original, three_changed, 0.85)]
    assert similar_stems([original, four_changed]) == []


def test_stems_differing_only_in_case_and_punctuation_are_the_same():
    a = Stem("a", "What do you do when Maria offers a gift card?")
    b = Stem("b", "what do you do, when maria offers a gift-card")
    assert similar_stems([a, b]) == [(a, b, 1.0)]


def test_short_stems_are_not_compared():
    five = "Which of these is true?"
    assert similar_stems([Stem("a", five), Stem("b", five)]) == []
    six = "Which one of these is true?"
    assert len(similar_stems([Stem("a", six), Stem("b", six)])) == 1


def test_six_words_with_one_changed_are_not_alike():
    a = Stem("a", "What do you say to Maria?")
    b = Stem("b", "What do you say to Sam?")  # 5 of 6 words: 83%
    assert similar_stems([a, b]) == []


def test_pairs_come_most_alike_first_and_name_both_questions():
    a, b, c = (Stem(f"q.yml: {name}", text) for name, text in
               [("a", " ".join(WORDS)), ("b", changed([3, 10, 16])), ("c", changed([5]))])
    assert [(x.where, y.where) for x, y, _ in similar_stems([a, b, c])] == [
        ("q.yml: a", "q.yml: c"), ("q.yml: a", "q.yml: b")]  # b and c differ in four words: 80%
    assert similar_stem_findings([a, c]) == [Finding(
        "warning", "q.yml: a and q.yml: c ask nearly the same question (95% alike); a trainee may meet the same "
                   "item twice, so reword or retire one")]


def test_a_scenarios_vignette_and_parts_are_stems():
    questions = [scenario("late-call", longest_right("first-step")), longest_right("gift")]
    assert [stem.where for stem in stems_of("core/quiz.yml", questions)] == [
        "core/quiz.yml: late-call", "core/quiz.yml: first-step", "core/quiz.yml: gift"]


def test_pool_warnings_gather_every_finding_as_sentences():
    questions = [*pool(longest=4), single("again", "A question that is asked twice over here", "No"),
                 single("twice", "A question that is asked twice over here", "No")]
    for item in questions[-2:]:
        item["prompt"] = "Which of these would you say to a participant who calls late?"
    found = pool_warnings(questions, draw=6)
    assert any(message.startswith("the correct option is the longest in 6 of 6") for message in found)
    assert any("fewer than twice as many" in message for message in found)
    assert any(message.startswith("question: again and question: twice ask nearly the same question (100% alike)")
               for message in found)


# --- courses check and courses sync -------------------------------------------------------------

EXTRA_QUESTIONS = """
  - id: warm-line
    type: single
    prompt: When is a warm line the right number to give?
    options:
      - text: Before things reach a crisis, when someone wants to talk
        correct: true
      - text: During a crisis
  - id: shared-story
    type: single
    prompt: Why share part of your own recovery story?
    options:
      - text: To offer hope that fits what the person is going through
        correct: true
      - text: To fill a silence
  - id: note-taking
    type: single
    prompt: What belongs in a session note?
    options:
      - text: What was agreed, without details that identify others
        correct: true
      - text: Everything said
"""
LONGEST_PROBLEM = (
    f"{QUIZ_FILE}:10: the correct option is the longest in 5 of 5 single-answer items (100%; at most 40% is "
    "allowed), so a trainee could pass by picking the longest option; make a wrong option the longest in some of: "
    "gift-card, late-call-first-step, warm-line, shared-story, note-taking")


@pytest.fixture()
def content(tmp_path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    return root


def add_longest_wins(root: Path) -> None:
    """Three more questions whose right option is the longest: 5 of 5 single-answer items."""
    with open(root / QUIZ_FILE, "a", encoding="utf-8") as file:
        file.write(EXTRA_QUESTIONS)


@pytest.fixture()
def longest_wins(content) -> Path:
    add_longest_wins(content)
    return content


def test_check_refuses_a_quiz_passed_by_picking_the_longest_option(app, longest_wins):
    library, problems = check_library(longest_wins)
    assert library is None
    assert [str(problem) for problem in problems] == [LONGEST_PROBLEM]


def test_the_check_command_prints_the_problem_and_fails(app, longest_wins):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(longest_wins)])
    assert result.exit_code == 1
    assert f"\n{LONGEST_PROBLEM}\n1 problem(s) found." in result.output


def test_sync_imports_nothing_from_a_tree_that_fails_the_check(app, db, content):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["courses", "sync", str(content)]).exit_code == 0
    questions_before = db.session.scalars(select(QuizQuestion.key).order_by(QuizQuestion.id)).all()
    add_longest_wins(content)
    result = runner.invoke(args=["courses", "sync", str(content)])
    assert result.exit_code == 1
    assert LONGEST_PROBLEM in result.output and "Nothing was imported." in result.output
    db.session.expire_all()
    assert db.session.scalars(select(QuizQuestion.key).order_by(QuizQuestion.id)).all() == questions_before
    assert "warm-line" not in db.session.scalar(select(Quiz.source).where(Quiz.path == QUIZ_FILE))


def test_sync_into_an_empty_database_imports_nothing_either(app, db, longest_wins):
    result = app.test_cli_runner().invoke(args=["courses", "sync", str(longest_wins)])
    assert result.exit_code == 1
    for model in (Course, Quiz, QuizQuestion):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_the_check_command_prints_each_quizs_figures_on_a_clean_tree(app, content):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(content)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("    quiz: 8 questions in the pool, 6 drawn; longest option correct in 2 of 2 single-answer items "
            "(100%); true/false answers 0 true, 1 false") in lines
    assert any(line.startswith("  final exam: ") and "single-answer items" in line for line in lines)
    assert (f"warning: {QUIZ_FILE}:10: the pool has 8 questions for 6 drawn; with fewer than twice as many, "
            "a retake repeats most of the same questions (add questions or lower draw)") in lines
    assert f"{content}: no problems (" in result.output
