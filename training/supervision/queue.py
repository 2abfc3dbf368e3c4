"""What waits for a supervisor: hours to verify and essay answers to mark, from their own
trainees only."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from training.extensions import db
from training.models import AttemptStatus, Quiz, QuizAttempt, SignoffRequest, SignoffStatus, SupervisorAssignment, User
from training.supervision.hours import pending_count


def _own_trainees(supervisor: User):
    return select(SupervisorAssignment.trainee_id).where(SupervisorAssignment.supervisor_id == supervisor.id)


def essays_to_mark(supervisor: User) -> list[QuizAttempt]:
    """Submitted attempts of the supervisor's own trainees that wait for a person's mark, oldest first."""
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id.in_(_own_trainees(supervisor)),
                                  QuizAttempt.user_id != supervisor.id,
                                  QuizAttempt.status == AttemptStatus.AWAITING_REVIEW)
        .options(selectinload(QuizAttempt.user), selectinload(QuizAttempt.quiz).selectinload(Quiz.module))
        .order_by(QuizAttempt.submitted_at)))


def waiting_count(supervisor: User) -> int:
    """How many items wait in the supervisor's queue (three count queries)."""
    essays = db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.user_id.in_(_own_trainees(supervisor)), QuizAttempt.user_id != supervisor.id,
        QuizAttempt.status == AttemptStatus.AWAITING_REVIEW)) or 0
    requests = db.session.scalar(select(func.count(SignoffRequest.id)).where(
        SignoffRequest.trainee_id.in_(_own_trainees(supervisor)), SignoffRequest.trainee_id != supervisor.id,
        SignoffRequest.status == SignoffStatus.PENDING)) or 0
    return essays + requests + pending_count(supervisor)
