"""Question statistics from marked attempts, the two numbers item analysis relies on.

- Facility: the average share of the question's points earned (1.0: everyone got it).
- Discrimination: the correlation between the score on this question and the score on
  the rest of the attempt. Strong attempts getting it right and weak ones wrong gives a
  clearly positive value; near zero or negative means the question does not separate
  them, and is worth a second look (ambiguous wording, a wrong key).
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from training.extensions import db
from training.models import AttemptItem, QuizAttempt

# Below this many attempts a correlation says more about chance than about the question.
MIN_ATTEMPTS_FOR_DISCRIMINATION = 5


@dataclass(frozen=True)
class QuestionStats:
    attempts: int
    facility: float | None
    discrimination: float | None


def item_analysis(scores: dict[int, dict[int, tuple[float, float]]]) -> dict[int, QuestionStats]:
    """Statistics per question from {attempt id: {question id: (points, max points)}}."""
    totals = {attempt: (sum(p for p, _ in items.values()), sum(m for _, m in items.values()))
              for attempt, items in scores.items()}
    per_question: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for attempt, items in scores.items():
        total, total_max = totals[attempt]
        for question, (points, maximum) in items.items():
            rest_max = total_max - maximum
            rest = (total - points) / rest_max if rest_max else 0.0
            per_question[question].append((points / maximum if maximum else 0.0, rest))
    result = {}
    for question, pairs in per_question.items():
        own = [own for own, _ in pairs]
        rest = [rest for _, rest in pairs]
        discrimination = None
        if len(pairs) >= MIN_ATTEMPTS_FOR_DISCRIMINATION:
            try:
                discrimination = statistics.correlation(own, rest)
            except statistics.StatisticsError:  # everyone scored the same: nothing to separate
                discrimination = None
        result[question] = QuestionStats(len(pairs), statistics.fmean(own), discrimination)
    return result


def quiz_statistics(quiz_id: int) -> dict[int, QuestionStats]:
    """Statistics for every question of a quiz that has marked attempts (one query)."""
    rows = db.session.execute(
        select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.points, AttemptItem.max_points)
        .join(QuizAttempt, QuizAttempt.id == AttemptItem.attempt_id)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.percent.is_not(None))).all()
    scores: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)
    for attempt_id, question_id, points, maximum in rows:
        # A scenario's questions add up to one score for the scenario, which is what was drawn.
        earned, most = scores[attempt_id].get(question_id, (0.0, 0.0))
        scores[attempt_id][question_id] = (earned + (points or 0.0), most + maximum)
    return item_analysis(scores)
