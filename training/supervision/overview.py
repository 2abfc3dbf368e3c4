"""The supervisor's view of their trainees, a page at a time, in a fixed number of queries
however many trainees there are."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from training.courses.published import framework
from training.extensions import db
from training.models import (CompetencyRating, HoursKind, Module, Quiz, QuizAttempt, SignoffRequest, SignoffStatus,
                             SupervisorAssignment, User)
from training.quizzes.grading import counting_attempt
from training.supervision.signoffs import is_met, required_level
from training.supervision.totals import verified_minutes, waiting_entries


TRAINEES_PER_PAGE = 50


@dataclass
class TraineeRow:
    trainee: User
    primary: bool
    quizzes_passed: int = 0
    competencies_met: int = 0
    practice_hours: float = 0.0
    supervision_hours: float = 0.0
    waiting: int = 0  # hours and sign-off requests waiting for a decision


def overview(supervisor: User, page: int = 1,
             per_page: int = TRAINEES_PER_PAGE) -> tuple[list[TraineeRow], int, Pagination]:
    """(a row per trainee on `page`, the number of quizzes in use, the pages), in the same
    ten queries however many trainees the supervisor has."""
    assignments = db.paginate(
        select(SupervisorAssignment).join(User, User.id == SupervisorAssignment.trainee_id)
        .where(SupervisorAssignment.supervisor_id == supervisor.id)
        .options(contains_eager(SupervisorAssignment.trainee)).order_by(User.display_name, User.id),
        page=page, per_page=per_page, error_out=False)
    rows = {a.trainee_id: TraineeRow(a.trainee, a.is_primary) for a in assignments.items}
    quizzes = db.session.scalars(select(Quiz).join(Module, Module.id == Quiz.module_id)
                                 .where(Quiz.retired_at.is_(None), Module.retired_at.is_(None))).all()
    if not rows:
        return [], len(quizzes), assignments
    ids = list(rows)
    counts = {quiz.id: quiz.settings.get("counts", "highest") for quiz in quizzes}
    attempts: dict[tuple[int, int], list] = defaultdict(list)
    for attempt in db.session.execute(select(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number,
                                             QuizAttempt.percent, QuizAttempt.passed)
                                      .where(QuizAttempt.user_id.in_(ids), QuizAttempt.percent.is_not(None))):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    for (user_id, quiz_id), mine in attempts.items():
        if quiz_id in counts:
            counting = counting_attempt(mine, counts[quiz_id])
            rows[user_id].quizzes_passed += bool(counting and counting.passed)
    supervisors: dict[int, set[int]] = defaultdict(set)
    for trainee_id, supervisor_id in db.session.execute(
            select(SupervisorAssignment.trainee_id, SupervisorAssignment.supervisor_id)
            .where(SupervisorAssignment.trainee_id.in_(ids))):
        supervisors[trainee_id].add(supervisor_id)
    ratings: dict[tuple[int, str], list] = defaultdict(list)
    all_ratings = db.session.execute(select(
        CompetencyRating.id, CompetencyRating.trainee_id, CompetencyRating.competency, CompetencyRating.rater_id,
        CompetencyRating.level, CompetencyRating.supersedes_id).where(CompetencyRating.trainee_id.in_(ids))).all()
    superseded = {rating.supersedes_id for rating in all_ratings if rating.supersedes_id}
    for rating in all_ratings:
        if rating.id not in superseded:
            ratings[(rating.trainee_id, rating.competency)].append(rating)
    levels, minimum = framework().levels, required_level()
    for (trainee_id, _), in_force in ratings.items():
        rows[trainee_id].competencies_met += is_met(in_force, minimum, supervisors[trainee_id], levels)
    for trainee_id, kind, _, _, minutes in verified_minutes(ids):
        if kind == HoursKind.PRACTICE:
            rows[trainee_id].practice_hours += minutes / 60
        else:
            rows[trainee_id].supervision_hours += minutes / 60
    for trainee_id, waiting in waiting_entries(ids).items():
        rows[trainee_id].waiting += waiting
    for trainee_id in db.session.scalars(select(SignoffRequest.trainee_id).where(
            SignoffRequest.trainee_id.in_(ids), SignoffRequest.status == SignoffStatus.PENDING)):
        rows[trainee_id].waiting += 1
    return list(rows.values()), len(quizzes), assignments
