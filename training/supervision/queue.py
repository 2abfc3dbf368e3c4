"""What waits for a supervisor (hours to verify, sign-off requests, essay answers to mark,
statements and shared story drafts, from their own trainees only). Telling them when something new arrives is in
training/notifications/events.py."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from training.access import supervised_trainee_ids
from training.extensions import db
from training.models import (AttemptStatus, HoursEntry, LivedExperienceStatement, Quiz, QuizAttempt, SignoffRequest,
                             SignoffStatus, StatementStatus, StoryDraft, StoryFeedback, User)


def essays_to_mark(supervisor: User, limit: int | None = None) -> list[QuizAttempt]:
    """Submitted attempts of the supervisor's own trainees that wait for a person's mark, oldest first
    (at most `limit`)."""
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id.in_(supervised_trainee_ids(supervisor)),
                                  QuizAttempt.status == AttemptStatus.AWAITING_REVIEW)
        .options(selectinload(QuizAttempt.user), selectinload(QuizAttempt.quiz).selectinload(Quiz.module))
        .order_by(QuizAttempt.submitted_at).limit(limit)))


def statements_to_read(supervisor: User, limit: int | None = None) -> list[LivedExperienceStatement]:
    """Statements of lived experience from the supervisor's own trainees waiting to be read, oldest
    first (at most `limit`)."""
    return list(db.session.scalars(
        select(LivedExperienceStatement).where(LivedExperienceStatement.user_id.in_(supervised_trainee_ids(supervisor)),
                                               LivedExperienceStatement.status == StatementStatus.PENDING)
        .options(selectinload(LivedExperienceStatement.user)).order_by(LivedExperienceStatement.submitted_at).limit(limit)))


def _story_waits():
    """A shared draft waits until a supervisor writes feedback after it was (last) shared."""
    answered = (select(StoryFeedback.id).where(StoryFeedback.draft_id == StoryDraft.id,
                                               StoryFeedback.created_at >= StoryDraft.shared_at).exists())
    return StoryDraft.shared_at.is_not(None) & ~answered


def stories_to_read(supervisor: User, limit: int | None = None) -> list[StoryDraft]:
    """Story drafts the supervisor's own trainees shared for feedback and nobody has answered yet,
    oldest first (at most `limit`)."""
    return list(db.session.scalars(
        select(StoryDraft).where(StoryDraft.author_id.in_(supervised_trainee_ids(supervisor)), _story_waits())
        .options(selectinload(StoryDraft.author)).order_by(StoryDraft.shared_at).limit(limit)))


def waiting_count(supervisor: User) -> int:
    """How many items wait in the supervisor's queue, in one query (it runs on every page
    a supervisor opens, for the count in the menu). Each count is a lookup in a partial index
    of the waiting rows (models: ix_hours_entries_waiting, ix_signoff_requests_pending,
    ix_quiz_attempts_awaiting_review)."""
    trainees = supervised_trainee_ids(supervisor)
    counts = [
        select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id.in_(trainees),
                                                 QuizAttempt.status == AttemptStatus.AWAITING_REVIEW),
        select(func.count(SignoffRequest.id)).where(SignoffRequest.trainee_id.in_(trainees),
                                                    SignoffRequest.status == SignoffStatus.PENDING),
        select(func.count(HoursEntry.id)).where(HoursEntry.trainee_id.in_(trainees), HoursEntry.decided_at.is_(None),
                                                HoursEntry.withdrawn_at.is_(None)),
        select(func.count(LivedExperienceStatement.id)).where(LivedExperienceStatement.user_id.in_(trainees),
                                                              LivedExperienceStatement.status == StatementStatus.PENDING),
        select(func.count(StoryDraft.id)).where(StoryDraft.author_id.in_(trainees), _story_waits()),
    ]
    return sum(db.session.execute(select(*(count.scalar_subquery() for count in counts))).one())

