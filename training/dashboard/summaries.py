"""What each role's dashboard answers: "what now?". Plain functions that read, in a fixed
number of queries however much data there is (the tests count them)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from training.certification.standing import ready_holders, trainee_ids
from training.courses.contacthours import hours_text
from training.courses.published import tracks
from training.extensions import db
from training.models import (Certificate, Cohort, Enrolment, HoursEntry, HoursKind, Lesson, LessonProgress,
                             MailStatus, Module, OutboxMessage, QuizAttempt, Role, SignoffRequest, SignoffStatus,
                             SupervisorAssignment, User, UserRole)
from training.supervision.hours import pending_entries
from training.supervision.queue import essays_to_mark, statements_to_read, stories_to_read
from training.supervision.signoffs import pending_requests

INACTIVE_DAYS = 14
WAITING_SHOWN = 8
TRAINEES_SHOWN = 20  # the dashboard glance; the full list is paginated on /supervision/trainees
EXPIRY_DAYS = 90


@dataclass
class Waiting:
    """One thing that waits for a supervisor: what, whose, since when, and where to act."""
    since: datetime
    what: str
    trainee: User
    url: str


def _naive(moment: datetime | date) -> datetime:
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day)
    return moment.replace(tzinfo=None)


def oldest_waiting(supervisor: User, shown: int = WAITING_SHOWN) -> list[Waiting]:
    """The `shown` oldest things that wait for the supervisor, whatever their kind (five queries,
    each reading at most `shown` rows: the menu's waiting_count gives how many wait in all)."""
    items = [Waiting(entry.created_at, _hours_to_verify(entry), entry.trainee,
                     url_for("supervision.queue") + f"#entry-{entry.id}")
             for entry in pending_entries(supervisor, shown)]
    items += [Waiting(request.updated_at, _("Sign-off request for %(competency)s", competency=request.competency),
                      request.trainee, url_for("supervision.signoff", request_id=request.id))
              for request in pending_requests(supervisor, shown)]
    items += [Waiting(statement.submitted_at, _("Statement of lived experience to read"), statement.user,
                      url_for("eligibility.review", statement_id=statement.id))
              for statement in statements_to_read(supervisor, shown)]
    items += [Waiting(attempt.submitted_at, _("Written answers to mark (%(quiz)s)", quiz=attempt.quiz.title),
                      attempt.user, url_for("quizzes.attempt", attempt_id=attempt.id))
              for attempt in essays_to_mark(supervisor, shown)]
    items += [Waiting(draft.shared_at, _("Story draft shared for your feedback"), draft.author,
                      url_for("stories.shared", draft_id=draft.id))
              for draft in stories_to_read(supervisor, shown)]
    return sorted(items, key=lambda item: _naive(item.since))[:shown]


def _hours_to_verify(entry: HoursEntry) -> str:
    if entry.kind == HoursKind.PRACTICE:
        return _("%(hours)s of practice to verify", hours=hours_text(entry.minutes))
    return _("%(hours)s of supervision to verify", hours=hours_text(entry.minutes))


def last_activity(ids: list[int]) -> dict[int, datetime | None]:
    """Each person's latest sign-in, lesson opened, quiz started or hours logged (one query)."""
    if not ids:
        return {}
    latest_view = (select(func.max(LessonProgress.last_viewed_at)).where(LessonProgress.trainee_id == User.id)
                   .scalar_subquery())
    latest_attempt = (select(func.max(QuizAttempt.started_at)).where(QuizAttempt.user_id == User.id)
                      .scalar_subquery())
    latest_hours = (select(func.max(HoursEntry.created_at)).where(HoursEntry.trainee_id == User.id)
                    .scalar_subquery())
    result = {}
    for user_id, *moments in db.session.execute(
            select(User.id, User.last_login_at, latest_view, latest_attempt, latest_hours).where(User.id.in_(ids))):
        known = [_naive(moment) for moment in moments if moment is not None]
        result[user_id] = max(known, default=None)
    return result


def inactive_trainees(supervisor: User, now: datetime) -> list[tuple[User, datetime | None]]:
    """The supervisor's trainees with nothing done in INACTIVE_DAYS days, longest quiet first (two queries)."""
    trainees = db.session.scalars(select(User).join(SupervisorAssignment, SupervisorAssignment.trainee_id == User.id)
                                  .where(SupervisorAssignment.supervisor_id == supervisor.id)).all()
    latest = last_activity([trainee.id for trainee in trainees])
    cutoff = _naive(now) - timedelta(days=INACTIVE_DAYS)
    quiet = [(trainee, latest[trainee.id]) for trainee in trainees
             if latest[trainee.id] is None or latest[trainee.id] < cutoff]
    return sorted(quiet, key=lambda pair: (pair[1] is not None, pair[1] or datetime.min, pair[0].display_name))


@dataclass
class CohortProgress:
    cohort: Cohort
    trainees: int
    lessons_done: int
    certified: int
    lessons_total: int

    @property
    def percent(self) -> int:
        possible = self.trainees * self.lessons_total
        return round(100 * self.lessons_done / possible) if possible else 0


def cohort_progress() -> list[CohortProgress]:
    """Every cohort with its size, share of lessons completed and people certified (four queries)."""
    lessons_total = db.session.scalar(
        select(func.count(Lesson.id)).join(Module, Module.id == Lesson.module_id)
        .where(Lesson.retired_at.is_(None), Module.retired_at.is_(None), Lesson.current_version_id.is_not(None)))
    sizes = db.session.execute(
        select(Cohort, func.count(Enrolment.id)).outerjoin(Enrolment, Enrolment.cohort_id == Cohort.id)
        .group_by(Cohort.id).order_by(Cohort.starts_on.desc().nulls_last(), Cohort.name)).all()
    done = dict(db.session.execute(
        select(Enrolment.cohort_id, func.count(LessonProgress.id))
        .join(LessonProgress, LessonProgress.trainee_id == Enrolment.trainee_id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id).join(Module, Module.id == Lesson.module_id)
        .where(LessonProgress.completed_at.is_not(None), Lesson.retired_at.is_(None), Module.retired_at.is_(None))
        .group_by(Enrolment.cohort_id)).all())
    certified = dict(db.session.execute(
        select(Enrolment.cohort_id, func.count(func.distinct(Certificate.holder_id)))
        .join(Certificate, Certificate.holder_id == Enrolment.trainee_id)
        .where(Certificate.revoked_at.is_(None)).group_by(Enrolment.cohort_id)).all())
    return [CohortProgress(cohort, size, done.get(cohort.id, 0), certified.get(cohort.id, 0), lessons_total or 0)
            for cohort, size in sizes]


def invited_not_joined(limit: int = 5) -> tuple[int, list[User]]:
    """How many people were invited and have not set a password, and the longest-waiting few (two queries)."""
    waiting = User.password_hash.is_(None) & User.is_active_account.is_(True)
    count = db.session.scalar(select(func.count(User.id)).where(waiting))
    oldest = db.session.scalars(select(User).where(waiting).order_by(User.created_at, User.id).limit(limit)).all()
    return count, list(oldest)


def expiring_soon(today: date) -> int:
    """Certificates in force that expire within EXPIRY_DAYS days (one query)."""
    return db.session.scalar(select(func.count(Certificate.id)).where(
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
        Certificate.expires_on.is_not(None), Certificate.expires_on >= today,
        Certificate.expires_on <= today + timedelta(days=EXPIRY_DAYS)))


def ready_to_issue(today: date) -> list[tuple[dict, int]]:
    """(track, people who meet every requirement and hold nothing yet, or may renew) for tracks
    staff issue by hand; automatic tracks issue themselves."""
    by_hand = [track for track in tracks().values() if not track.get("issue_automatically")]
    if not by_hand:
        return []
    ids = trainee_ids()
    result = []
    for track in by_hand:
        ready, renewals = ready_holders(track, ids, today)
        result.append((track, len(ready) + len(renewals)))
    return result


def failed_mail() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == MailStatus.FAILED))


def pending_for_trainee(trainee_id: int) -> dict:
    """What the trainee is waiting on: hours not yet decided (by kind, in hours) and sign-off requests (two queries)."""
    hours = dict(db.session.execute(
        select(HoursEntry.kind, func.sum(HoursEntry.minutes))
        .where(HoursEntry.trainee_id == trainee_id, HoursEntry.decided_at.is_(None), HoursEntry.withdrawn_at.is_(None))
        .group_by(HoursEntry.kind)).all())
    requests = db.session.scalar(select(func.count(SignoffRequest.id)).where(
        SignoffRequest.trainee_id == trainee_id, SignoffRequest.status == SignoffStatus.PENDING))
    return {"practice_hours": (hours.get(HoursKind.PRACTICE) or 0) / 60,
            "supervision_hours": (hours.get(HoursKind.SUPERVISION) or 0) / 60,
            "signoff_requests": requests or 0}


def staff_counts() -> dict:
    return {"people": db.session.scalar(select(func.count(User.id))),
            "trainees": db.session.scalar(select(func.count(UserRole.user_id)).where(UserRole.role == Role.TRAINEE)),
            "cohorts": db.session.scalar(select(func.count(Cohort.id)))}
