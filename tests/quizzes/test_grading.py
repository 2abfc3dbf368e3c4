"""Marking rules of every question type, attempt scores and which attempt counts: no HTTP, no database."""
from types import SimpleNamespace

import pytest

from training.quizzes.grading import (AttemptScore, answer_fraction, attempt_score, counting_attempt, matched_short_answer,
                                      parse_number)

SINGLE = {"type": "single", "options": [{"text": "Wrong"}, {"text": "Right", "correct": True}, {"text": "Also wrong"}]}
WEIGHTED = {"type": "multiple", "options": [
    {"text": "A", "correct": True, "weight": 50},
    {"text": "B", "correct": True, "weight": 50},
    {"text": "C", "weight": -50},
    {"text": "D", "weight": 0},
]}
# The file checker wants positive weights adding up to 100; grading must still cap at full marks.
OVERWEIGHTED = {"type": "multiple", "options": [
    {"text": "A", "correct": True, "weight": 70},
    {"text": "B", "correct": True, "weight": 70},
    {"text": "C", "weight": -100},
]}
UNWEIGHTED = {"type": "multiple", "options": [
    {"text": "A", "correct": True}, {"text": "B", "correct": True},
    {"text": "C"}, {"text": "D"},
]}
TRUE_FALSE = {"type": "true_false", "answer": False}
SHORT = {"type": "short", "answers": ["Crisis line"]}
MATCHING = {"type": "matching", "pairs": [
    {"left": "Warm line", "right": "Before a crisis"},
    {"left": "Crisis line", "right": "During a crisis"},
    {"left": "Mobile team", "right": "Comes to you"},
]}
TOLERANCE = {"type": "numerical", "answer": 10, "tolerance": 0.5}
RANGE = {"type": "numerical", "min": 0, "max": 10}


@pytest.mark.parametrize("data", [SINGLE, WEIGHTED, UNWEIGHTED, TRUE_FALSE, SHORT, MATCHING, TOLERANCE, RANGE])
def test_an_unanswered_question_earns_nothing(data):
    assert answer_fraction(data, None) == 0.0


@pytest.mark.parametrize("answer, fraction", [(1, 1.0), (0, 0.0), (2, 0.0)])
def test_single(answer, fraction):
    assert answer_fraction(SINGLE, answer) == fraction


@pytest.mark.parametrize("answer, fraction", [
    ([0, 1], 1.0),
    ([0], 0.5),
    ([1, 3], 0.5),  # a zero-weight option neither earns nor costs
    ([0, 2], 0.0),  # 50 - 50
    ([0, 1, 2], 0.5),
    ([2], 0.0),  # -50 is clamped at 0, never a negative score
    ([], 0.0),
])
def test_multiple_with_weights_adds_the_chosen_weights(answer, fraction):
    assert answer_fraction(WEIGHTED, answer) == pytest.approx(fraction)


@pytest.mark.parametrize("answer, fraction", [([0, 1], 1.0), ([0], 0.7), ([0, 1, 2], 0.4), ([1, 2], 0.0)])
def test_multiple_with_weights_over_100_is_capped_at_full_marks(answer, fraction):
    assert answer_fraction(OVERWEIGHTED, answer) == pytest.approx(fraction)


@pytest.mark.parametrize("answer, fraction", [
    ([0, 1], 1.0),
    ([0], 0.5),
    ([0, 2], 0.0),  # (1 right - 1 wrong) / 2
    ([0, 1, 2], 0.5),  # (2 - 1) / 2
    ([0, 1, 2, 3], 0.0),  # ticking every box never earns full marks
    ([2, 3], 0.0),  # (0 - 2) / 2 is clamped at 0
    ([], 0.0),
])
def test_multiple_without_weights_right_minus_wrong_over_the_number_right(answer, fraction):
    assert answer_fraction(UNWEIGHTED, answer) == pytest.approx(fraction)


def test_true_false():
    assert answer_fraction(TRUE_FALSE, False) == 1.0
    assert answer_fraction(TRUE_FALSE, True) == 0.0
    assert answer_fraction({"type": "true_false", "answer": True}, True) == 1.0


@pytest.mark.parametrize("given, fraction", [
    ("Crisis line", 1.0),
    ("  crisis   LINE ", 1.0),
    ("crisis\tline\n", 1.0),
    ("crisisline", 0.0),
    ("crisis lines", 0.0),
    ("", 0.0),
    ("   ", 0.0),
])
def test_short_ignores_case_and_spacing_by_default(given, fraction):
    assert answer_fraction(SHORT, given) == fraction


def test_short_case_sensitive_still_ignores_spacing():
    data = {**SHORT, "case_sensitive": True}
    assert answer_fraction(data, " Crisis   line ") == 1.0
    assert answer_fraction(data, "crisis line") == 0.0
    assert answer_fraction(data, "CRISIS LINE") == 0.0


def test_short_accepts_any_of_several_answers():
    data = {"type": "short", "answers": ["988", "Nine eight eight"]}
    assert answer_fraction(data, "988") == 1.0
    assert answer_fraction(data, "nine EIGHT eight") == 1.0
    assert answer_fraction(data, "911") == 0.0


@pytest.mark.parametrize("given, fraction", [
    ("the 988 Lifeline", 1.0),
    ("988", 1.0),                     # * may stand for nothing
    ("call 988 tonight", 1.0),
    ("a*b", 0.25),                    # \\* is an asterisk
    ("ab", 0.0),
    ("nine eight eight", 0.0),        # the catch-all: no points, its feedback
])
def test_short_answers_take_moodles_wildcard(given, fraction):
    data = {"type": "short", "answers": [{"text": "*988*", "weight": 100}, {"text": "a\\*b", "weight": 25},
                                          {"text": "*", "weight": 0, "feedback": "Think of the three-digit line."}]}
    assert answer_fraction(data, given) == fraction
    assert (matched_short_answer(data, given) or {}).get("feedback") == (
        "Think of the three-digit line." if fraction == 0 else None)
    assert matched_short_answer(data, "") is None  # an empty answer matches nothing, not even "*"


def test_short_compares_answers_that_yaml_read_as_numbers_as_text():
    assert answer_fraction({"type": "short", "answers": [988]}, "988") == 1.0


@pytest.mark.parametrize("answer, fraction", [
    ({"0": 0, "1": 1, "2": 2}, 1.0),
    ({"0": 0, "1": 2, "2": 1}, 1 / 3),
    ({"0": 1, "1": 2, "2": 0}, 0.0),
    ({"0": 0}, 1 / 3),  # rows left empty earn nothing
    ({"0": 0, "1": None}, 1 / 3),
])
def test_matching_is_the_share_of_rows_right(answer, fraction):
    assert answer_fraction(MATCHING, answer) == pytest.approx(fraction)


def test_matching_rows_with_the_same_right_hand_text_are_interchangeable():
    data = {"type": "matching", "pairs": [
        {"left": "Warm line", "right": "Non-clinical"},
        {"left": "Peer support", "right": "Non-clinical"},
        {"left": "Psychiatry", "right": "Clinical"},
    ]}
    assert answer_fraction(data, {"0": 1, "1": 0, "2": 2}) == 1.0
    assert answer_fraction(data, {"0": 2, "1": 0, "2": 1}) == pytest.approx(1 / 3)


@pytest.mark.parametrize("given, fraction", [
    (10, 1.0), (10.5, 1.0), (9.5, 1.0), (10.51, 0.0), (9.49, 0.0), (-10, 0.0),
])
def test_numerical_within_the_tolerance_boundaries_included(given, fraction):
    assert answer_fraction(TOLERANCE, given) == fraction


def test_numerical_without_tolerance_is_exact():
    data = {"type": "numerical", "answer": 25}
    assert answer_fraction(data, 25.0) == 1.0
    assert answer_fraction(data, 25.001) == 0.0


@pytest.mark.parametrize("given, fraction", [(0, 1.0), (10, 1.0), (4.2, 1.0), (-0.01, 0.0), (10.01, 0.0)])
def test_numerical_range_boundaries_included(given, fraction):
    assert answer_fraction(RANGE, given) == fraction


def test_numerical_allows_for_floating_point_error():
    assert 0.1 + 0.2 != 0.3
    assert answer_fraction({"type": "numerical", "answer": 0.3, "tolerance": 0}, 0.1 + 0.2) == 1.0
    assert answer_fraction({"type": "numerical", "min": 0.1, "max": 0.3}, 0.1 + 0.2) == 1.0
    assert answer_fraction({"type": "numerical", "answer": 0.3}, 0.3001) == 0.0


@pytest.mark.parametrize("answer", [None, "", "A long and thoughtful answer."])
def test_an_essay_waits_for_a_person(answer):
    assert answer_fraction({"type": "essay"}, answer) is None


def test_8_of_10_passes_a_pass_mark_of_80():
    result = attempt_score([(1.0, 1)] * 8 + [(0.0, 1)] * 2, 80)
    assert result == AttemptScore(8.0, 10, 80.0, True)


def test_a_score_rounded_just_under_the_pass_mark_still_passes():
    marks = [(0.8, 1)] * 10  # 0.8 ten times adds up to 7.999999999999999
    assert sum(points for points, _ in marks) < 8
    assert attempt_score(marks, 80).passed is True


def test_just_under_the_pass_mark_fails():
    result = attempt_score([(7.9999, 10)], 80)
    assert result.percent == pytest.approx(79.999)
    assert result.passed is False


def test_points_are_weighted_by_each_items_maximum():
    result = attempt_score([(2.0, 2), (0.0, 1), (1.0, 1)], 75)
    assert (result.score, result.max_score, result.percent, result.passed) == (3.0, 4, 75.0, True)


def test_a_pending_essay_leaves_the_result_open():
    assert attempt_score([(1.0, 1), (None, 2)], 50) == AttemptScore(None, 3, None, None)


def test_an_attempt_worth_no_points_scores_zero_percent():
    assert attempt_score([], 80) == AttemptScore(0, 0, 0.0, False)
    assert attempt_score([(0.0, 0)], 0).passed is True


def attempt(number, percent):
    return SimpleNamespace(number=number, percent=percent, passed=None if percent is None else percent >= 80)


def test_counts_highest_picks_the_best_score():
    attempts = [attempt(3, 70.0), attempt(2, 90.0), attempt(1, 60.0)]
    assert counting_attempt(attempts, "highest").number == 2


def test_counts_highest_picks_the_earliest_of_equal_scores():
    attempts = [attempt(4, 90.0), attempt(3, 90.0), attempt(2, 80.0), attempt(1, 70.0)]
    assert counting_attempt(attempts, "highest").number == 3


def test_counts_latest_and_first_go_by_number_not_list_order():
    attempts = [attempt(2, 50.0), attempt(3, 40.0), attempt(1, 90.0)]
    assert counting_attempt(attempts, "latest").number == 3
    assert counting_attempt(attempts, "first").number == 1


@pytest.mark.parametrize("counts, expected", [("highest", 2), ("latest", 3), ("first", 2)])
def test_attempts_waiting_for_a_mark_are_skipped(counts, expected):
    attempts = [attempt(1, None), attempt(2, 85.0), attempt(3, 60.0), attempt(4, None)]
    assert counting_attempt(attempts, counts).number == expected


@pytest.mark.parametrize("counts", ["highest", "latest", "first"])
def test_no_finished_attempt_counts(counts):
    assert counting_attempt([], counts) is None
    assert counting_attempt([attempt(1, None)], counts) is None


@pytest.mark.parametrize("text, number", [
    ("3.5", 3.5), ("3,5", 3.5), (" 12 ", 12.0), ("1 000", 1000.0), ("-2", -2.0), ("0", 0.0),
    ("abc", None), ("nan", None), ("inf", None), ("-inf", None), ("", None), ("  ", None), ("1,000.5", None),
])
def test_parse_number(text, number):
    assert parse_number(text) == number
