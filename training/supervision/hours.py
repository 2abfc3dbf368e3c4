"""Practice and supervision hours: logging, the checks that keep the log honest, decisions,
and totals against the credential track. Plain functions; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from training.access import can_review, supervised_trainee_ids
from training.courses.content import ACTIVITY_TYPES, SUPERVISION_FORMATS
from training.courses.published import track_data
from training.extensions import db
from training.models import Decision, HoursDecision, HoursEntry, HoursKind, User

MINUTES_IN_A_DAY = 24 * 60
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
    """Minutes already logged for `day`, leaving out entries a supervisor rejected."""
    entries = db.session.scalars(select(HoursEntry).options(selectinload(HoursEntry.decisions))
                                 .where(HoursEntry.trainee_id == trainee_id, HoursEntry.worked_on == day))
    return sum(entry.minutes for entry in entries if entry.status != Decision.REJECTED)


def log_hours(trainee: User, new: NewHours, today: date) -> tuple[HoursEntry, bool]:
    """Record an entry, or refuse it with a reason: (entry, True). A resent form records
    nothing and returns the first entry: (entry, False)."""
    earlier = db.session.scalar(select(HoursEntry).where(HoursEntry.trainee_id == trainee.id,
                                                         HoursEntry.submission_token == new.token))
    if earlier is not None:
        return earlier, False
    if new.activity not in allowed_activities(new.kind):
        raise HoursRefused("Please choose one of the listed types.")
    if new.minutes <= 0:
        raise HoursRefused("Please enter a time of more than zero.")
    if new.minutes > MINUTES_IN_A_DAY:
        raise HoursRefused("One entry can be at most 24 hours; split longer work across the days it happened.")
    if new.worked_on > today:
        raise HoursRefused("The date is in the future. Log hours once they have happened.")
    already = _counted_minutes_on(trainee.id, new.worked_on)
    if already + new.minutes > MINUTES_IN_A_DAY:
        raise HoursRefused(f"You have already logged {already / 60:g} hours on {new.worked_on:%-d %B %Y}; "
                           f"a day has 24 hours. Please check the date and the time.")
    duplicate = db.session.scalar(select(HoursEntry.id).where(
        HoursEntry.trainee_id == trainee.id, HoursEntry.kind == new.kind, HoursEntry.activity == new.activity,
        HoursEntry.worked_on == new.worked_on, HoursEntry.minutes == new.minutes,
        HoursEntry.setting == new.setting, HoursEntry.note == new.note))
    if duplicate is not None:
        raise HoursRefused("This exact entry is already in your log. If it really happened twice, "
                           "add a note saying so, so your supervisor can tell them apart.")
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


def decide(entry: HoursEntry, reviewer: User, decision: str, reason: str, now: datetime) -> HoursDecision:
    """Verify or reject an entry. A rejection, or a change to an earlier decision, needs a
    reason; the earlier decision stays on record."""
    if not can_review(reviewer, entry.trainee):
        raise HoursRefused("Only a supervisor assigned to this trainee can decide on their hours.")
    if decision not in (Decision.VERIFIED, Decision.REJECTED):
        raise HoursRefused("Choose verify or reject.")
    reason = reason.strip()
    current = entry.latest_decision
    if current is not None and current.decision == decision:
        raise HoursRefused(f"This entry is already {decision}.")
    if decision == Decision.REJECTED and not reason:
        raise HoursRefused("Please give the trainee a reason for rejecting the entry, so they can correct it.")
    if current is not None and not reason:
        raise HoursRefused("Changing an earlier decision needs a reason; both decisions stay on record.")
    record = HoursDecision(entry=entry, reviewer_id=reviewer.id, decision=decision, reason=reason, created_at=now)
    db.session.add(record)
    db.session.flush()
    return record


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


def pending_entries(supervisor: User) -> list[HoursEntry]:
    """Entries of the supervisor's own trainees with no decision yet, oldest first."""
    return list(db.session.scalars(
        select(HoursEntry).where(HoursEntry.trainee_id.in_(supervised_trainee_ids(supervisor)),
                                 ~HoursEntry.decisions.any())
        .options(selectinload(HoursEntry.trainee)).order_by(HoursEntry.created_at, HoursEntry.id)))


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
