"""Item analysis from marked attempts: facility and discrimination, without the database."""
import pytest

from training.quizzes.stats import MIN_ATTEMPTS_FOR_DISCRIMINATION, QuestionStats, item_analysis

TARGET = 1
OTHERS = (2, 3, 4, 5)


def attempts_by_strength(target_points: list[float]) -> dict[int, dict[int, tuple[float, float]]]:
    """Attempt n answers n-1 of the other questions right (weakest first) and earns target_points[n-1]."""
    scores = {}
    for number, points in enumerate(target_points, start=1):
        others = {question: (1.0 if index < number - 1 else 0.0, 1.0) for index, question in enumerate(OTHERS)}
        scores[number] = {TARGET: (points, 1.0), **others}
    return scores


def test_facility_is_the_mean_share_of_the_points():
    scores = {1: {TARGET: (1.0, 1.0)}, 2: {TARGET: (0.0, 1.0)}, 3: {TARGET: (1.0, 1.0)}, 4: {TARGET: (1.0, 1.0)}}
    assert item_analysis(scores)[TARGET].facility == pytest.approx(0.75)


def test_facility_counts_partial_points_against_each_questions_maximum():
    scores = {1: {TARGET: (1.0, 2.0), 2: (3.0, 3.0)}, 2: {TARGET: (2.0, 2.0), 2: (0.0, 3.0)},
              3: {TARGET: (0.0, 2.0), 2: (1.0, 3.0)}}
    result = item_analysis(scores)
    assert result[TARGET].facility == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert result[2].facility == pytest.approx((1.0 + 0.0 + 1 / 3) / 3)
    assert result[TARGET].attempts == 3


def test_a_question_strong_attempts_get_right_discriminates_well():
    stats = item_analysis(attempts_by_strength([0.0, 0.0, 0.0, 1.0, 1.0]))[TARGET]
    assert stats.discrimination > 0.5
    assert stats.facility == pytest.approx(0.4)


def test_a_question_only_weak_attempts_get_right_has_negative_discrimination():
    stats = item_analysis(attempts_by_strength([1.0, 1.0, 0.0, 0.0, 0.0]))[TARGET]
    assert stats.discrimination < 0


def test_discrimination_compares_with_the_rest_of_the_attempt_not_the_total():
    # Right on the target and wrong on everything else, or the reverse: the total is the same
    # for all, but the target question goes against the rest of the attempt.
    scores = {number: {TARGET: (1.0, 1.0), **{question: (0.0, 1.0) for question in OTHERS}}
              for number in range(1, 4)}
    scores |= {number: {TARGET: (0.0, 1.0), **{question: (1.0, 1.0) for question in OTHERS}}
               for number in range(4, 7)}
    assert item_analysis(scores)[TARGET].discrimination == pytest.approx(-1.0)


def test_partial_points_count_towards_discrimination():
    stats = item_analysis(attempts_by_strength([0.0, 0.25, 0.5, 0.75, 1.0]))[TARGET]
    assert stats.discrimination == pytest.approx(1.0)
    assert stats.facility == pytest.approx(0.5)


@pytest.mark.parametrize("points", [1.0, 0.0, 0.5])
def test_everyone_scoring_the_same_has_no_discrimination(points):
    stats = item_analysis(attempts_by_strength([points] * 6))[TARGET]
    assert stats == QuestionStats(attempts=6, facility=points, discrimination=None)


def test_too_few_attempts_have_no_discrimination():
    few = [0.0] * (MIN_ATTEMPTS_FOR_DISCRIMINATION - 2) + [1.0]
    stats = item_analysis(attempts_by_strength(few))[TARGET]
    assert stats.attempts == MIN_ATTEMPTS_FOR_DISCRIMINATION - 1
    assert stats.discrimination is None
    enough = [0.0] * (MIN_ATTEMPTS_FOR_DISCRIMINATION - 1) + [1.0]
    assert item_analysis(attempts_by_strength(enough))[TARGET].discrimination > 0.5


def test_each_question_counts_only_the_attempts_that_drew_it():
    scores = attempts_by_strength([0.0, 0.0, 1.0, 1.0, 1.0])
    scores[6] = {2: (1.0, 1.0)}
    result = item_analysis(scores)
    assert result[TARGET].attempts == 5 and result[2].attempts == 6


def test_no_attempts_no_statistics():
    assert item_analysis({}) == {}
