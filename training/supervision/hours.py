"""Practice and supervision hours: logging, the checks that keep the log honest, decisions,
and totals against the credential track. Plain functions; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from training.access import can_review, supervised_trainee_ids
from training.auth.accounts import lock
from training.courses.content import ACTIVITY_TYPES, SUPERVISION_FORMATS
from training.courses.published import track_data
from training.extensions import db
from training.models import Decision, HoursDecision, HoursEntry, HoursKind, User

MINUTES_IN_A_DAY = 24 * 60
WITHDRAWN = "withdrawn"  # HoursEntry.status of an entry its trainee withdrew
ACTIVITY_LABELS = {
    "individual-support": "Individual peer support",
    "group-facilitation": "Group facilitation",
    "advocacy-education": "Advocacy and education",
    "peer-led-workshop": "Peer-led workshop",
    "individual": "Individual supervision",
    "group": "Group supervision",
}


class HoursRefused(Exception):
    """The entry or decision cannot be recorded; the message says what to change."""


@dataclass(frozen=True)
class NewHours:
    kind: str
    activity: str
    worked_on: date
    minutes: int
    setting: str
    remote: bool
    note: str
    token: str


def allowed_activities(kind: str) -> tuple[str, ...]:
    return ACTIVITY_TYPES if kind == HoursKind.PRACTICE else SUPERVISION_FORMATS


def _counted_minutes_on(trainee_id: int, day: date) -> int:
    """Minutes already logged for `day`, leaving out entries a supervisor rejected or the trainee withdrew."""
    entries = db.session.scalars(select(HoursEntry).options(selectinload(HoursEntry.decisions))
                                 .where(HoursEntry.trainee_id == trainee_id, HoursEntry.worked_on == day))
    return sum(entry.minutes for entry in entries if entry.status not in (Decision.REJECTED, WITHDRAWN))


def log_hours(trainee: User, new: NewHours, today: date) -> tuple[HoursEntry, bool]:
    """Record an entry, or refuse it with a reason: (entry, True). A resent form records
    nothing and returns the first entry: (entry, False)."""
    earlier = db.session.scalar(select(HoursEntry).where(HoursEntry.trainee_id == trainee.id,
                                                         HoursEntry.submission_token == new.token))
    if earlier is not None:
        return earlier, False
    if new.activity not in allowed_activities(new.kind):
        raise HoursRefused(_("Please choose one of the listed types."))
    if new.minutes <= 0:
        raise HoursRefused(_("Please enter a time of more than zero."))
    if new.minutes > MINUTES_IN_A_DAY:
        raise HoursRefused(_("One entry can be at most 24 hours; split longer work across the days it happened."))
    if new.worked_on > today:
        raise HoursRefused(_("The date is in the future. Log hours once they have happened."))
    lock(trainee)  # parallel posts take turns: each sees the others' hours of that day
    already = _counted_minutes_on(trainee.id, new.worked_on)
    if already + new.minutes > MINUTES_IN_A_DAY:
        logged = f"{already / 60:g}"
        raise HoursRefused(_("You have already logged %(hours)s hours on %(day)s; a day has 24 hours. Please check "
                             "the date and the time.", hours=logged, day=format_date(new.worked_on, "long")))
    duplicate = db.session.scalar(select(HoursEntry.id).where(
        HoursEntry.trainee_id == trainee.id, HoursEntry.kind == new.kind, HoursEntry.activity == new.activity,
        HoursEntry.worked_on == new.worked_on, HoursEntry.minutes == new.minutes,
        HoursEntry.setting == new.setting, HoursEntry.note == new.note, HoursEntry.withdrawn_at.is_(None)))
    if duplicate is not None:
        raise HoursRefused(_("This exact entry is already in your log. If it really happened twice, "
                             "add a note saying so, so your supervisor can tell them apart."))
    entry = HoursEntry(trainee_id=trainee.id, kind=new.kind, activity=new.activity, worked_on=new.worked_on,
                       minutes=new.minutes, setting=new.setting, remote=new.remote, note=new.note,
                       submission_token=new.token)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # the same form arrived twice at the same moment
        return db.session.scalar(select(HoursEntry).where(HoursEntry.trainee_id == trainee.id,
                                                          HoursEntry.submission_token == new.token)), False
    return entry, True


def _lock(entry: HoursEntry) -> None:
    """Lock the entry's row until the caller commits, then read it and its decisions afresh.

    Deciding and withdrawing both start here, so they take turns: on PostgreSQL the second
    waits for the first to commit and then sees what it did (a decision, or the withdrawal).
    SQLite has no row locks, but lets one writer at a time commit.
    """
    db.session.execute(select(HoursEntry.id).where(HoursEntry.id == entry.id).with_for_update())
    db.session.expire(entry)


def decide(entry: HoursEntry, reviewer: User, decision: str, reason: str, now: datetime) -> HoursDecision:
    """Verify or reject an entry. A rejection, or a change to an earlier decision, needs a
    reason; the earlier decision stays on record. An entry the trainee withdrew is refused."""
    if not can_review(reviewer, entry.trainee):
        raise HoursRefused(_("Only a supervisor assigned to this trainee can decide on their hours."))
    if decision not in (Decision.VERIFIED, Decision.REJECTED):
        raise HoursRefused(_("Choose verify or reject."))
    _lock(entry)
    if entry.withdrawn_at is not None:
        raise HoursRefused(_("%(name)s withdrew this entry, so there is nothing to decide; it no longer counts "
                             "anywhere.", name=entry.trainee.display_name))
    reason = reason.strip()
    current = entry.latest_decision
    if current is not None and current.decision == decision:
        raise HoursRefused(_("This entry is already verified.") if decision == Decision.VERIFIED
                           else _("This entry is already rejected."))
    if decision == Decision.REJECTED and not reason:
        raise HoursRefused(_("Please give the trainee a reason for rejecting the entry, so they can correct it."))
    if current is not None and not reason:
        raise HoursRefused(_("Changing an earlier decision needs a reason; both decisions stay on record."))
    record = HoursDecision(entry=entry, reviewer_id=reviewer.id, decision=decision, reason=reason, created_at=now)
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class Skipped:
    entry: HoursEntry
    why: str


@dataclass(frozen=True)
class BulkDecisions:
    decided: list[tuple[HoursEntry, HoursDecision]]
    skipped: list[Skipped]


def decide_pending(entries: list[HoursEntry], reviewer: User, decision: str, reason: str,
                   now: datetime) -> BulkDecisions:
    """Verify or reject several waiting entries at once, each under the same row lock as `decide`.

    An entry someone already decided, or its trainee withdrew, is skipped and said why (a bulk
    decision never changes an earlier one); the others are decided. A rejection needs a reason.
    """
    if decision == Decision.REJECTED and not reason.strip():
        raise HoursRefused(_("Please give the trainees one reason for rejecting the selected entries, so they "
                             "can correct them."))
    decided, skipped = [], []
    for entry in entries:
        _lock(entry)
        current = entry.latest_decision
        if entry.withdrawn_at is not None:
            skipped.append(Skipped(entry, _("%(name)s withdrew it", name=entry.trainee.display_name)))
        elif current is not None:
            skipped.append(Skipped(entry, _("already verified by %(name)s", name=current.reviewer.display_name)
                                   if current.decision == Decision.VERIFIED else
                                   _("already rejected by %(name)s", name=current.reviewer.display_name)))
        else:
            try:
                decided.append((entry, decide(entry, reviewer, decision, reason, now)))
            except HoursRefused as refusal:  # e.g. no longer this supervisor's trainee
                skipped.append(Skipped(entry, str(refusal)))
    return BulkDecisions(decided, skipped)


def pending_query(supervisor: User):
    """The select of `pending_entries`, for a page of them (the partial index on waiting entries serves it)."""
    return (select(HoursEntry).where(HoursEntry.trainee_id.in_(supervised_trainee_ids(supervisor)),
                                     HoursEntry.decided_at.is_(None), HoursEntry.withdrawn_at.is_(None))
            .options(selectinload(HoursEntry.trainee)).order_by(HoursEntry.created_at, HoursEntry.id))


def withdraw_hours(entry: HoursEntry, trainee: User, now: datetime) -> bool:
    """Withdraw the trainee's own entry while no supervisor has decided it: it stays in their
    log as withdrawn and counts nowhere. True if this call withdrew it; False if it was
    withdrawn already (a second click). A decision made a moment before stands: HoursRefused says so."""
    if entry.trainee_id != trainee.id:
        raise HoursRefused(_("Only the trainee who logged an entry can withdraw it."))
    _lock(entry)
    if entry.withdrawn_at is not None:
        return False
    decided = entry.latest_decision
    if decided is not None:
        said = (_("%(name)s had already verified this entry, so it cannot be withdrawn, and the decision stands.",
                  name=decided.reviewer.display_name) if decided.decision == Decision.VERIFIED
                else _("%(name)s had already rejected this entry, so it cannot be withdrawn, and the decision stands.",
                       name=decided.reviewer.display_name))
        raise HoursRefused(" ".join([said, _("If something in it is wrong, please talk with your supervisor.")]))
    entry.withdrawn_at = now
    db.session.flush()
    return True


def trainee_entries(trainee_id: int) -> list[HoursEntry]:
    """Every entry of a trainee, newest first, with its decisions (two queries)."""
    return list(db.session.scalars(
        select(HoursEntry).where(HoursEntry.trainee_id == trainee_id)
        .options(selectinload(HoursEntry.decisions).selectinload(HoursDecision.reviewer))
        .order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc())))


def verified_minutes(entries: list[HoursEntry]) -> dict[tuple[str, str], int]:
    """Verified minutes by (kind, activity); only verified hours count toward the track."""
    totals: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.status == Decision.VERIFIED:
            key = (entry.kind, entry.activity)
            totals[key] = totals.get(key, 0) + entry.minutes
    return totals


def pending_entries(supervisor: User, limit: int | None = None) -> list[HoursEntry]:
    """Entries of the supervisor's own trainees with no decision yet (and not withdrawn), oldest
    first (the oldest `limit` of them, when given)."""
    return list(db.session.scalars(pending_query(supervisor).limit(limit)))


@dataclass(frozen=True)
class Requirement:
    kind: str
    activity: str | None  # None: the total of that kind
    label: str
    hours: float


def track_requirements() -> list[Requirement]:
    """The practice and supervision hours the credential track asks for."""
    track = track_data()
    practice, supervision = track.get("practice") or {}, track.get("supervision") or {}
    requirements: list[Requirement] = []
    if practice.get("total_hours"):
        requirements.append(Requirement(HoursKind.PRACTICE, None, "Practice hours in total",
                                        float(practice["total_hours"])))
    for activity, hours in (practice.get("by_activity") or {}).items():
        requirements.append(Requirement(HoursKind.PRACTICE, activity, ACTIVITY_LABELS.get(activity, activity),
                                        float(hours)))
    if supervision.get("hours"):
        requirements.append(Requirement(HoursKind.SUPERVISION, None, "Supervision hours",
                                        float(supervision["hours"])))
    return requirements


def progress(requirements: list[Requirement], totals: dict[tuple[str, str], int]) -> list[tuple[Requirement, float]]:
    """Each requirement with the verified hours that count toward it."""
    result = []
    for requirement in requirements:
        minutes = sum(value for (kind, activity), value in totals.items()
                      if kind == requirement.kind and requirement.activity in (None, activity))
        result.append((requirement, minutes / 60))
    return result
