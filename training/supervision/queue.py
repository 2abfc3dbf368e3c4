"""What waits for a supervisor (hours to verify, sign-off requests, essay answers to mark,
from their own trainees only), and telling supervisors when something new arrives."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from training.access import supervised_trainee_ids
from training.extensions import db
from training.mailer import external_url, send_mail
from training.models import (AttemptStatus, HoursEntry, LivedExperienceStatement, Quiz, QuizAttempt, SignoffRequest,
                             SignoffStatus, StatementStatus, SupervisorAssignment, User)


def essays_to_mark(supervisor: User) -> list[QuizAttempt]:
    """Submitted attempts of the supervisor's own trainees that wait for a person's mark, oldest first."""
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id.in_(supervised_trainee_ids(supervisor)),
                                  QuizAttempt.status == AttemptStatus.AWAITING_REVIEW)
        .options(selectinload(QuizAttempt.user), selectinload(QuizAttempt.quiz).selectinload(Quiz.module))
        .order_by(QuizAttempt.submitted_at)))


def statements_to_read(supervisor: User) -> list[LivedExperienceStatement]:
    """Statements of lived experience from the supervisor's own trainees waiting to be read, oldest first."""
    return list(db.session.scalars(
        select(LivedExperienceStatement).where(LivedExperienceStatement.user_id.in_(supervised_trainee_ids(supervisor)),
                                               LivedExperienceStatement.status == StatementStatus.PENDING)
        .options(selectinload(LivedExperienceStatement.user)).order_by(LivedExperienceStatement.submitted_at)))


def waiting_count(supervisor: User) -> int:
    """How many items wait in the supervisor's queue, in one query (it runs on every page
    a supervisor opens, for the count in the menu)."""
    trainees = supervised_trainee_ids(supervisor)
    counts = [
        select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id.in_(trainees),
                                                 QuizAttempt.status == AttemptStatus.AWAITING_REVIEW),
        select(func.count(SignoffRequest.id)).where(SignoffRequest.trainee_id.in_(trainees),
                                                    SignoffRequest.status == SignoffStatus.PENDING),
        select(func.count(HoursEntry.id)).where(HoursEntry.trainee_id.in_(trainees), ~HoursEntry.decisions.any()),
        select(func.count(LivedExperienceStatement.id)).where(LivedExperienceStatement.user_id.in_(trainees),
                                                              LivedExperienceStatement.status == StatementStatus.PENDING),
    ]
    return sum(db.session.execute(select(*(count.scalar_subquery() for count in counts))).one())


def notify_supervisors(trainee_id: int, subject: str, text: str, endpoint: str, **values) -> None:
    """Email every supervisor assigned to the trainee, with a link (the menu count tells them in the app)."""
    supervisors = db.session.scalars(
        select(User).join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.id)
        .where(SupervisorAssignment.trainee_id == trainee_id, User.id != trainee_id)).all()
    for supervisor in supervisors:
        send_mail(supervisor.email, subject, f"{text}\n\n{external_url(endpoint, **values)}\n")
