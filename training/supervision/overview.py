"""The supervisor's view of all their trainees at once, in a fixed number of queries
however many trainees there are."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.courses.published import framework
from training.extensions import db
from training.models import (CompetencyRating, Decision, HoursEntry, HoursKind, Module, Quiz, QuizAttempt,
                             SignoffRequest, SignoffStatus, SupervisorAssignment, User)
from training.quizzes.grading import counting_attempt
from training.supervision.signoffs import is_met, required_level


@dataclass
class TraineeRow:
    trainee: User
    primary: bool
    quizzes_passed: int = 0
    competencies_met: int = 0
    practice_hours: float = 0.0
    supervision_hours: float = 0.0
    waiting: int = 0  # hours and sign-off requests waiting for a decision
    results: dict[int, QuizAttempt] = field(default_factory=dict)


def overview(supervisor: User) -> tuple[list[TraineeRow], int]:
    """(a row per trainee, the number of quizzes in use), in the same ten queries however many trainees."""
    rows = {user.id: TraineeRow(user, primary) for user, primary in db.session.execute(
        select(User, SupervisorAssignment.is_primary)
        .join(SupervisorAssignment, SupervisorAssignment.trainee_id == User.id)
        .where(SupervisorAssignment.supervisor_id == supervisor.id).order_by(User.display_name, User.id))}
    quizzes = db.session.scalars(select(Quiz).join(Module, Module.id == Quiz.module_id)
                                 .where(Quiz.retired_at.is_(None), Module.retired_at.is_(None))).all()
    if not rows:
        return [], len(quizzes)
    ids = list(rows)
    counts = {quiz.id: quiz.settings.get("counts", "highest") for quiz in quizzes}
    attempts: dict[tuple[int, int], list[QuizAttempt]] = defaultdict(list)
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id.in_(ids),
                                                                QuizAttempt.percent.is_not(None))):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    for (user_id, quiz_id), mine in attempts.items():
        if quiz_id in counts:
            counting = counting_attempt(mine, counts[quiz_id])
            rows[user_id].results[quiz_id] = counting
            rows[user_id].quizzes_passed += bool(counting and counting.passed)
    supervisors: dict[int, set[int]] = defaultdict(set)
    for trainee_id, supervisor_id in db.session.execute(
            select(SupervisorAssignment.trainee_id, SupervisorAssignment.supervisor_id)
            .where(SupervisorAssignment.trainee_id.in_(ids))):
        supervisors[trainee_id].add(supervisor_id)
    ratings: dict[tuple[int, str], list[CompetencyRating]] = defaultdict(list)
    all_ratings = db.session.scalars(select(CompetencyRating).where(CompetencyRating.trainee_id.in_(ids))).all()
    superseded = {rating.supersedes_id for rating in all_ratings if rating.supersedes_id}
    for rating in all_ratings:
        if rating.id not in superseded:
            ratings[(rating.trainee_id, rating.competency)].append(rating)
    levels, minimum = framework().levels, required_level()
    for (trainee_id, _), in_force in ratings.items():
        rows[trainee_id].competencies_met += is_met(in_force, minimum, supervisors[trainee_id], levels)
    for entry in db.session.scalars(select(HoursEntry).where(HoursEntry.trainee_id.in_(ids))
                                    .options(selectinload(HoursEntry.decisions))):
        row = rows[entry.trainee_id]
        if entry.status == Decision.VERIFIED:
            hours = entry.minutes / 60
            if entry.kind == HoursKind.PRACTICE:
                row.practice_hours += hours
            else:
                row.supervision_hours += hours
        elif entry.status == "pending":
            row.waiting += 1
    for trainee_id in db.session.scalars(select(SignoffRequest.trainee_id).where(
            SignoffRequest.trainee_id.in_(ids), SignoffRequest.status == SignoffStatus.PENDING)):
        rows[trainee_id].waiting += 1
    return list(rows.values()), len(quizzes)
