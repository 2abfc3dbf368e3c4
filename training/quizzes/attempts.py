"""The life of an attempt: may it start, start it, save answers, submit, mark essays.

Every state change is a conditional UPDATE on the attempt's row (`status = in_progress`),
so a double click, the back button or a replayed request can never grade an attempt
twice or change answers after submission: the second request finds nothing to update.
These functions add and flush; the caller commits.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from training import audit
from training.extensions import db
from training.models import AttemptItem, AttemptStatus, Quiz, QuizAccommodation, QuizAttempt, User
from training.quizzes.bank import active_pool
from training.quizzes.drawing import attempt_items, is_description
from training.quizzes.grading import answer_fraction, attempt_score, counting_attempt

# Answers arriving this long after the deadline still count: the page was sent in time
# over a slow connection.
DEADLINE_GRACE = timedelta(seconds=30)
_rng = random.SystemRandom()


class CannotStart(Exception):
    """Starting an attempt now is not allowed; the message says why, kindly."""


class AttemptClosed(Exception):
    """The attempt was already submitted (or its time ran out), so answers cannot change."""


@dataclass
class Standing:
    """Where one trainee stands on one quiz."""

    quiz: Quiz
    attempts: list[QuizAttempt]
    accommodation: QuizAccommodation | None
    now: datetime
    allowed: int | None = field(init=False)   # None: unlimited
    time_limit: int | None = field(init=False)  # minutes, accommodation included
    finished_now: bool = False  # an open attempt ran out of time and was submitted just now (commit it)

    def __post_init__(self):
        settings, extra = self.quiz.settings, self.accommodation
        self.allowed = (settings["attempts"] + (extra.extra_attempts if extra else 0)) if settings["attempts"] else None
        limit = settings.get("time_limit_minutes")
        self.time_limit = limit + (extra.extra_minutes if extra else 0) if limit else None

    @property
    def open_attempt(self) -> QuizAttempt | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.IN_PROGRESS), None)

    @property
    def remaining(self) -> int | None:
        return None if self.allowed is None else max(self.allowed - len(self.attempts), 0)

    @property
    def counting(self) -> QuizAttempt | None:
        return counting_attempt(self.attempts, self.quiz.settings.get("counts", "highest"))

    @property
    def passed(self) -> bool:
        return bool(self.counting and self.counting.passed)

    @property
    def next_start_at(self) -> datetime | None:
        """When the cool-down after the last attempt ends, if it has not yet."""
        minutes = self.quiz.settings.get("cooldown_minutes") or 0
        if not minutes or (self.accommodation and self.accommodation.waive_cooldown):
            return None
        submitted = [a.submitted_at for a in self.attempts if a.submitted_at]
        if not submitted:
            return None
        ends = max(submitted) + timedelta(minutes=minutes)
        return ends if ends > self.now else None

    def why_not_start(self) -> str | None:
        """None when a new attempt may start now, or a kind sentence saying why not."""
        if self.quiz.retired_at is not None:
            return _("This quiz is no longer in use.")
        if self.remaining == 0:
            return _("You have used all your attempts at this quiz. If you need another, please talk to your "
                     "supervisor or the program staff.")
        if self.next_start_at is not None:
            return _("There is a break between attempts, to give time to look back over the module.")
        return None

    def may_review(self) -> bool:
        """Whether the trainee may now see correct answers and feedback of their attempts."""
        policy = self.quiz.settings.get("review", "after_pass")
        if policy == "after_pass":
            return self.passed
        if policy == "after_last_attempt":
            return self.remaining == 0 and self.open_attempt is None
        return False


def latest_accommodation(quiz_id: int, user_id: int) -> QuizAccommodation | None:
    return db.session.scalar(
        select(QuizAccommodation).where(QuizAccommodation.quiz_id == quiz_id, QuizAccommodation.user_id == user_id)
        .order_by(QuizAccommodation.granted_at.desc(), QuizAccommodation.id.desc()).limit(1))


def standing(quiz: Quiz, user_id: int, now: datetime) -> Standing:
    """The trainee's attempts and allowances on `quiz` (two queries); an open attempt whose
    time ran out is submitted first, with the answers saved before the deadline."""
    attempts = list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user_id).order_by(QuizAttempt.number)))
    finished = [finish_if_expired(attempt, now) for attempt in attempts]
    return Standing(quiz, attempts, latest_accommodation(quiz.id, user_id), now, finished_now=any(finished))


def start_attempt(quiz: Quiz, trainee: User, now: datetime, rng: random.Random = _rng, *,
                  proctor: User | None = None) -> QuizAttempt:
    """The trainee's open attempt, or a new one with its questions drawn and stored. A final
    exam starts only with a proctor, who is kept on the attempt."""
    current = standing(quiz, trainee.id, now)
    if current.open_attempt is not None:
        return current.open_attempt
    if quiz.is_exam and proctor is None:
        raise CannotStart(_("A proctor opens each exam attempt, in person, with you."))
    reason = current.why_not_start()
    if reason:
        raise CannotStart(reason)
    pool = active_pool(quiz)
    if all(is_description(data) for _, data in pool):
        raise CannotStart(_("This quiz has no questions yet. Please try again later."))
    number = max((a.number for a in current.attempts), default=0) + 1
    # A retake draws first from the questions the trainee did not meet last time.
    last = max(current.attempts, key=lambda a: a.number, default=None)
    seen = {item.question_id for item in last.items} if last is not None else set()
    attempt = QuizAttempt(
        quiz_id=quiz.id, user_id=trainee.id, number=number, status=AttemptStatus.IN_PROGRESS, started_at=now,
        deadline_at=now + timedelta(minutes=current.time_limit) if current.time_limit else None,
        pass_mark=quiz.settings["pass_mark"], review=quiz.settings.get("review", "after_pass"),
        proctor_id=proctor.id if quiz.is_exam and proctor is not None else None)
    for position, drawn in enumerate(attempt_items(pool, quiz.settings, rng, seen), start=1):
        attempt.items.append(AttemptItem(
            position=position, question_id=drawn.question_id, part=drawn.part, question=drawn.data,
            context=drawn.context, shown_order=drawn.shown_order, max_points=float(drawn.data.get("points", 1))))
    attempt.max_score = sum(item.max_points for item in attempt.items)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the same start arrived twice at once: use the one that won
        existing = standing(quiz, trainee.id, now).open_attempt
        if existing is None:
            raise
        return existing
    return attempt


def is_expired(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + DEADLINE_GRACE


def finish_if_expired(attempt: QuizAttempt, now: datetime) -> bool:
    """Submit an open attempt whose time ran out; True if this call submitted it."""
    if attempt.status == AttemptStatus.IN_PROGRESS and is_expired(attempt, now):
        return submit_attempt(attempt, now)
    return False


def _claim(attempt: QuizAttempt, **values) -> bool:
    """Update the attempt only if it is still in progress; True if this request did."""
    result = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
        .values(**values).execution_options(synchronize_session=False))
    db.session.refresh(attempt)
    return result.rowcount == 1


def save_answers(attempt: QuizAttempt, answers: dict[int, object], now: datetime) -> None:
    """Store answers by item position; refused once the attempt is closed or its time is up."""
    if is_expired(attempt, now):
        finish_if_expired(attempt, now)
        raise AttemptClosed(_("The time for this attempt ran out, so it was submitted with the answers saved before."))
    if not _claim(attempt, saved_at=now):
        raise AttemptClosed(_("This attempt was already submitted, so its answers can no longer change."))
    for item in attempt.items:
        if item.position in answers:
            item.answer = answers[item.position]
    db.session.flush()


def submit_attempt(attempt: QuizAttempt, now: datetime) -> bool:
    """Grade the attempt; False (and nothing changes) if it was submitted already."""
    if not _claim(attempt, status=AttemptStatus.AWAITING_REVIEW, submitted_at=now):
        return False
    for item in attempt.items:
        fraction = answer_fraction(item.question, item.answer)
        item.points = None if fraction is None else round(fraction * item.max_points, 4)
    recompute(attempt, now)
    return True


def recompute(attempt: QuizAttempt, now: datetime) -> None:
    """Score, percent and result from the items' marks; graded once nothing waits for a person."""
    result = attempt_score([(item.points, item.max_points) for item in attempt.items], attempt.pass_mark)
    attempt.score, attempt.max_score, attempt.percent, attempt.passed = (
        result.score, result.max_score, result.percent, result.passed)
    if result.percent is None:
        attempt.status = AttemptStatus.AWAITING_REVIEW
    else:
        attempt.status = AttemptStatus.GRADED
        attempt.graded_at = attempt.graded_at or now
    db.session.flush()


class MarkRefused(Exception):
    """The mark cannot be recorded; the message says what to fix."""


def mark_item(item: AttemptItem, points: float, comment: str, marker: User, now: datetime) -> None:
    """Record a person's mark for an essay answer and update the attempt's result."""
    if item.question["type"] != "essay":
        raise MarkRefused(_("Only essay answers are marked by a person; the others are marked automatically."))
    if item.attempt.status == AttemptStatus.IN_PROGRESS:
        raise MarkRefused(_("This attempt has not been submitted yet."))
    if item.attempt.user_id == marker.id:
        raise MarkRefused(_("Nobody marks their own answers."))
    if item.points is not None:
        raise MarkRefused(_("This answer is already marked."))
    if not 0 <= points <= item.max_points:
        raise MarkRefused(_("Give between 0 and %(most)s points.", most=f"{item.max_points:g}"))
    item.points, item.marker_comment = points, comment.strip() or None
    item.marked_by_id, item.marked_at = marker.id, now
    audit.record("quiz.essay_marked", object_type="quiz_attempt", object_id=item.attempt_id,
                 subject_id=item.attempt.user_id, details={"points": points, "of": item.max_points}, actor=marker)
    recompute(item.attempt, now)


def results_by_quiz(user_id: int, quiz_ids: list[int]) -> dict[int, QuizAttempt]:
    """The attempt that counts, per quiz, for one trainee (one query)."""
    if not quiz_ids:
        return {}
    rows = db.session.execute(
        select(QuizAttempt, Quiz.settings).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id.in_(quiz_ids),
               QuizAttempt.percent.is_not(None))).all()
    by_quiz: dict[int, list] = {}
    counts = {}
    for attempt, settings in rows:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
        counts[attempt.quiz_id] = settings.get("counts", "highest")
    return {quiz_id: counting_attempt(attempts, counts[quiz_id]) for quiz_id, attempts in by_quiz.items()}
