"""Reading a submitted quiz form back into answers, and refusing what the page could not have sent."""
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from training.quizzes.answers import ESSAY_LIMIT, SHORT_ANSWER_LIMIT, TamperedForm, form_values, read_answers

OPTIONS = [{"text": f"option {index}", "correct": index == 2} for index in range(3)]
QUESTIONS = {
    "single": {"type": "single", "prompt": "Pick one.", "options": OPTIONS},
    "multiple": {"type": "multiple", "prompt": "Pick some.", "options": OPTIONS},
    "true_false": {"type": "true_false", "prompt": "True?", "answer": True},
    "short": {"type": "short", "prompt": "Which number?", "answers": ["988"]},
    "matching": {"type": "matching", "prompt": "Match them.",
                 "pairs": [{"left": f"left {index}", "right": f"right {index}"} for index in range(3)]},
    "numerical": {"type": "numerical", "prompt": "How many?", "answer": 10},
    "essay": {"type": "essay", "prompt": "Tell us."},
}
# Shown position 0 is the file's option 2, position 1 option 0, position 2 option 1.
SHOWN = [2, 0, 1]


def item(position: int, kind: str, shown_order=None) -> SimpleNamespace:
    if shown_order is None:
        shown_order = SHOWN if kind in ("single", "multiple", "matching") else []
    return SimpleNamespace(position=position, question=QUESTIONS[kind], shown_order=list(shown_order))


def every_item() -> list[SimpleNamespace]:
    return [item(position, kind) for position, kind in enumerate(QUESTIONS, start=1)]


def read(items, *pairs):
    return read_answers(items, MultiDict(pairs))


def test_shown_positions_are_mapped_back_to_the_files_options():
    items = [item(1, "single"), item(2, "multiple"), item(3, "matching")]
    answers, errors = read(items, ("q1", "0"), ("q2", "2"), ("q2", "0"), ("q3-0", "1"), ("q3-1", "0"), ("q3-2", ""))
    assert answers == {1: 2, 2: [1, 2], 3: {"0": 0, "1": 2}}
    assert errors == {}


def test_every_type_read_from_its_fields():
    answers, errors = read(every_item(), ("q1", "2"), ("q2", "1"), ("q3", "false"), ("q4", " 988 "),
                           ("q5-0", "2"), ("q6", "3,5"), ("q7", "Line one\r\nLine two"))
    assert answers == {1: 1, 2: [0], 3: False, 4: " 988 ", 5: {"0": 1}, 6: 3.5, 7: "Line one\nLine two"}
    assert errors == {}


def test_a_form_with_nothing_filled_in_answers_nothing():
    answers, errors = read(every_item())
    assert answers == {position: None for position in range(1, 8)}
    assert errors == {}


def test_the_csrf_token_and_action_fields_are_ignored():
    answers, errors = read(every_item(), ("csrf_token", "abc"), ("action", "submit"), ("q3", "true"))
    assert answers[3] is True and errors == {}


@pytest.mark.parametrize("pairs", [
    [("q1", "3")],  # only three options are shown
    [("q1", "-1")],
    [("q1", "a")],
    [("q1", "")],
    [("q1", "1.0")],
    [("q2", "0"), ("q2", "7")],
    [("q5-0", "3")],
    [("q5-0", "x")],
], ids=["past-the-end", "negative", "letter", "empty", "decimal", "one-bad-of-several", "matching-choice",
        "matching-letter"])
def test_an_option_the_page_did_not_show_is_refused(pairs):
    with pytest.raises(TamperedForm):
        read(every_item(), *pairs)


@pytest.mark.parametrize("name", ["q99", "q0", "q1-0-1", "q1x", "question", "q99-0"])
def test_a_field_for_no_question_of_the_attempt_is_refused(name):
    with pytest.raises(TamperedForm, match="not part of this attempt"):
        read(every_item(), (name, "0"))


@pytest.mark.parametrize("kind, position", [("single", 1), ("true_false", 3), ("short", 4), ("numerical", 6),
                                            ("essay", 7)])
def test_two_values_for_a_one_answer_question_are_refused(kind, position):
    with pytest.raises(TamperedForm, match="takes one answer"):
        read(every_item(), (f"q{position}", "1"), (f"q{position}", "0"))


def test_two_choices_for_one_matching_row_are_refused():
    with pytest.raises(TamperedForm):
        read(every_item(), ("q5-0", "1"), ("q5-0", "2"))


@pytest.mark.parametrize("row", ["3", "99"])
def test_a_matching_row_that_does_not_exist_is_refused(row):
    with pytest.raises(TamperedForm, match="not part of this attempt"):
        read(every_item(), ("q5-0", "1"), (f"q5-{row}", "0"))


def test_a_true_false_value_other_than_true_or_false_is_refused():
    with pytest.raises(TamperedForm):
        read(every_item(), ("q3", "yes"))


@pytest.mark.parametrize("typed", ["twelve", "12 hours", "nan", "1e400"])
def test_a_number_that_is_not_one_is_an_error_to_fix(typed):
    answers, errors = read(every_item(), ("q6", typed))
    assert answers[6] == typed  # kept, so the page can show what was typed
    assert errors == {6: "Please enter a number, such as 12 or 3.5."}


@pytest.mark.parametrize("position, limit", [(4, SHORT_ANSWER_LIMIT), (7, ESSAY_LIMIT)])
def test_an_over_long_text_is_an_error_to_fix(position, limit):
    answers, errors = read(every_item(), (f"q{position}", "x" * (limit + 1)))
    assert answers[position] == "x" * (limit + 1)
    assert f"{limit + 1:,} characters" in errors[position] and f"{limit:,}" in errors[position]
    answers, errors = read(every_item(), (f"q{position}", "x" * limit))
    assert answers[position] == "x" * limit and errors == {}


@pytest.mark.parametrize("position", [4, 6, 7])
@pytest.mark.parametrize("typed", ["", "   ", "\r\n"])
def test_empty_text_is_no_answer(position, typed):
    answers, errors = read(every_item(), (f"q{position}", typed))
    assert answers[position] is None and errors == {}


@pytest.mark.parametrize("kind, answer", [
    ("single", 0),
    ("single", 2),
    ("multiple", [0, 2]),
    ("multiple", [1]),
    ("true_false", True),
    ("true_false", False),
    ("short", "988"),
    ("matching", {"0": 1, "1": 2, "2": 0}),
    ("matching", {"1": 1}),
    ("numerical", 12.0),
    ("numerical", 3.5),
    ("numerical", -0.25),
    ("essay", "First line\nSecond line"),
])
@pytest.mark.parametrize("shown_order", [SHOWN, [0, 1, 2]], ids=["shuffled", "in-order"])
def test_form_values_read_back_to_the_same_answer(kind, answer, shown_order):
    one = item(1, kind, shown_order if kind in ("single", "multiple", "matching") else [])
    values = form_values(one, answer)
    form = MultiDict([(name, value) for name, listed in values.items() for value in listed])
    answers, errors = read_answers([one], form)
    assert answers == {1: answer} and errors == {}


def test_form_values_of_no_answer_fill_in_nothing():
    assert all(form_values(one, None) == {} for one in every_item())


def test_form_values_show_a_whole_number_without_a_decimal_point():
    assert form_values(item(6, "numerical"), 12.0) == {"q6": ["12"]}
    assert form_values(item(1, "single"), 2) == {"q1": ["0"]}  # option 2 is shown first


def test_a_row_field_on_a_question_without_rows_is_refused():
    from werkzeug.datastructures import MultiDict
    from types import SimpleNamespace
    from training.quizzes.answers import TamperedForm, read_answers
    import pytest as _pytest
    single = SimpleNamespace(position=1, shown_order=[1, 0], question={
        "id": "a", "type": "single", "options": [{"text": "x", "correct": True}, {"text": "y"}]})
    with _pytest.raises(TamperedForm):
        read_answers([single], MultiDict({"q1-0": "0"}))
