"""Lab sessions: scheduling, booking and cancelling a place, and recording attendance.

A place is taken by raising the session's `booked` counter with a conditional UPDATE
(`booked < capacity`); the database's row lock and its CHECK constraint decide who gets
the last place, not a count read earlier in Python. These functions add and flush; the
caller commits (or rolls back after a refusal).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import format_date, gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from training.extensions import db
from training.localization import lazy_gettext as _l
from training.models import (AttendanceStatus, Lab, LabAttendance, LabBooking, LabMode, LabSession, Role, User)

MAX_CAPACITY = 200
MAX_SESSION_MINUTES = 8 * 60
ATTENDANCE_STATUSES = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LEFT_EARLY: _l("Left early"),
    AttendanceStatus.ABSENT: _l("Absent"),
}
MODES = {LabMode.IN_PERSON: _l("In person"), LabMode.ONLINE: _l("Online")}


class LabRefused(Exception):
    """The lab action cannot be done as asked; the message says why and what to do."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field  # the form field the message belongs to, when there is one


def time_zones() -> list[str]:
    """Every IANA time zone name, US zones first (the program serves US credentials)."""
    zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    us = [zone for zone in zones if zone.startswith("America/") or zone.startswith("Pacific/Honolulu")]
    return us + [zone for zone in zones if zone not in us]


def local_to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time in `zone_name` as UTC; refuses times that do not exist or happen twice
    there (when the clocks change), so nobody turns up an hour early."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LabRefused(_("“%(zone)s” is not a time zone we know; choose one from the list.", zone=zone_name),
                         "time_zone") from None
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    as_utc = first.astimezone(timezone.utc)
    clock = local.strftime("%H:%M")  # 24-hour, as the form asks for it
    # First the gap: a skipped time also has two offsets (PEP 495), so it would pass for a repeated one.
    if as_utc.astimezone(zone).replace(tzinfo=None) != local:
        raise LabRefused(_("%(day)s at %(time)s does not exist in %(zone)s: the clocks go forward then. Choose another "
                           "time.", day=_day(local), time=clock, zone=zone_name), "starts_at")
    if first.utcoffset() != second.utcoffset():
        raise LabRefused(_("%(day)s at %(time)s happens twice in %(zone)s, when the clocks go back. Choose a time at "
                           "least an hour away.", day=_day(local), time=clock, zone=zone_name), "starts_at")
    return as_utc


def _day(moment: datetime) -> str:
    """The calendar day of a wall-clock time, in the reader's language: 15 December 2026."""
    return format_date(moment.date(), "long")


def local_time(session: LabSession) -> datetime:
    """When the session starts, on the clock of its own time zone."""
    return session.starts_at.astimezone(ZoneInfo(session.time_zone))


def ends_at(session: LabSession) -> datetime:
    return session.starts_at + timedelta(minutes=session.minutes)


def can_facilitate(user: User) -> bool:
    """Staff and supervisors can facilitate labs."""
    return user.has_role(Role.STAFF, Role.SUPERVISOR)


def may_record_attendance(user: User, session: LabSession) -> bool:
    """The session's facilitator, or any staff member (covering for them)."""
    return user.id == session.facilitator_id or user.has_role(Role.STAFF)


@dataclass(frozen=True)
class NewSession:
    lab: Lab
    starts_local: datetime  # wall-clock time in `time_zone`
    time_zone: str
    minutes: int
    mode: str
    location: str
    link: str
    facilitator: User | None
    capacity: int


def schedule_session(new: NewSession, *, by: User, now: datetime) -> LabSession:
    """A new session of a lab, checked field by field."""
    if new.lab.retired_at is not None:
        raise LabRefused(_("This lab is no longer part of the course, so no new sessions can be scheduled."))
    starts_at = local_to_utc(new.starts_local, new.time_zone)
    if starts_at <= now:
        raise LabRefused(_("The start time is in the past. Choose a date and time still to come."), "starts_at")
    if not 1 <= new.minutes <= MAX_SESSION_MINUTES:
        raise LabRefused(_("A session lasts from 1 to %(most)d minutes.", most=MAX_SESSION_MINUTES), "minutes")
    if not 1 <= new.capacity <= MAX_CAPACITY:
        raise LabRefused(_("Places must be from 1 to %(most)d.", most=MAX_CAPACITY), "capacity")
    if new.mode not in MODES:
        raise LabRefused(_("Choose in person or online."), "mode")
    location, link = new.location.strip(), new.link.strip()
    if new.mode == LabMode.IN_PERSON and not location:
        raise LabRefused(_("Say where the session is: the address and room, so people can find it."), "location")
    if new.mode == LabMode.ONLINE and not link.startswith("https://"):
        raise LabRefused(_("Give the meeting link, starting with https://."), "link")
    if new.facilitator is None or not can_facilitate(new.facilitator) or not new.facilitator.is_active_account:
        raise LabRefused(_("Choose a facilitator: a staff member or supervisor with an active account."),
                         "facilitator")
    session = LabSession(lab_id=new.lab.id, starts_at=starts_at, minutes=new.minutes, time_zone=new.time_zone,
                         mode=new.mode, location=location if new.mode == LabMode.IN_PERSON else "",
                         link=link if new.mode == LabMode.ONLINE else "", facilitator_id=new.facilitator.id,
                         capacity=new.capacity, booked=0, created_by_id=by.id, created_at=now)
    db.session.add(session)
    db.session.flush()
    return session


def active_booking(session_id: int, trainee_id: int) -> LabBooking | None:
    return db.session.scalar(select(LabBooking).where(
        LabBooking.session_id == session_id, LabBooking.trainee_id == trainee_id, LabBooking.cancelled_at.is_(None)))


def book(session: LabSession, trainee: User, *, now: datetime) -> tuple[LabBooking, bool]:
    """A place for `trainee`: (booking, whether it is new). Booking twice returns the first."""
    existing = active_booking(session.id, trainee.id)
    if existing is not None:
        return existing, False
    if session.cancelled_at is not None:
        raise LabRefused(_("This session was cancelled. Please choose another session."))
    if session.starts_at <= now:
        raise LabRefused(_("This session has already started, so places can no longer be booked."))
    if session.lab.retired_at is not None:
        raise LabRefused(_("This lab is no longer part of the course."))
    other = db.session.scalar(
        select(LabSession).join(LabBooking, LabBooking.session_id == LabSession.id).where(
            LabBooking.trainee_id == trainee.id, LabBooking.cancelled_at.is_(None),
            LabSession.lab_id == session.lab_id, LabSession.cancelled_at.is_(None), LabSession.starts_at > now))
    if other is not None:
        raise LabRefused(_("You already have a place in another session of this lab (%(day)s). Cancel that place "
                           "first if you would rather come to this one.", day=_day(local_time(other))))
    try:
        with db.session.begin_nested():
            booking = LabBooking(session_id=session.id, trainee_id=trainee.id, booked_at=now)
            db.session.add(booking)
            db.session.flush()
            taken = db.session.execute(
                update(LabSession).where(LabSession.id == session.id, LabSession.booked < LabSession.capacity,
                                         LabSession.cancelled_at.is_(None))
                .values(booked=LabSession.booked + 1).execution_options(synchronize_session=False)).rowcount
            if not taken:
                raise LabRefused(_("Sorry, this session is full: the last place was just taken. Please choose "
                                   "another session."))
    except IntegrityError:  # the same trainee's second click won the race for nothing
        existing = active_booking(session.id, trainee.id)
        if existing is None:
            raise
        return existing, False
    db.session.refresh(session)
    return booking, True


def cancel_booking(booking: LabBooking, *, now: datetime) -> None:
    """Give the place back, up to the moment the session starts."""
    session = booking.session
    if session.starts_at <= now:
        raise LabRefused(_("This session has already started, so the place can no longer be cancelled. If you "
                           "could not come, the facilitator will mark you absent; you can book another session."))
    claimed = db.session.execute(
        update(LabBooking).where(LabBooking.id == booking.id, LabBooking.cancelled_at.is_(None))
        .values(cancelled_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed:
        db.session.execute(update(LabSession).where(LabSession.id == session.id, LabSession.booked > 0)
                           .values(booked=LabSession.booked - 1).execution_options(synchronize_session=False))
    db.session.refresh(booking)
    db.session.refresh(session)


def cancel_session(session: LabSession, *, reason: str, now: datetime) -> list[LabBooking]:
    """Cancel a session that has not started; returns the bookings it had (to tell those people)."""
    if not reason.strip():
        raise LabRefused(_("Say why the session is cancelled; the people booked are told."), "reason")
    if session.starts_at <= now:
        raise LabRefused(_("This session has already started; record attendance instead."))
    claimed = db.session.execute(
        update(LabSession).where(LabSession.id == session.id, LabSession.cancelled_at.is_(None))
        .values(cancelled_at=now, cancel_reason=reason.strip()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise LabRefused(_("This session is already cancelled."))
    db.session.refresh(session)
    return bookings_of(session)


def bookings_of(session: LabSession) -> list[LabBooking]:
    """The active bookings of a session, in the order they were made, with their people."""
    return list(db.session.scalars(select(LabBooking).where(
        LabBooking.session_id == session.id, LabBooking.cancelled_at.is_(None))
        .options(joinedload(LabBooking.trainee)).order_by(LabBooking.booked_at, LabBooking.id)))


def latest_attendance(booking_ids: list[int]) -> dict[int, LabAttendance]:
    """The attendance record in force for each booking (the newest), in one query."""
    if not booking_ids:
        return {}
    latest: dict[int, LabAttendance] = {}
    for record in db.session.scalars(select(LabAttendance).where(LabAttendance.booking_id.in_(booking_ids))
                                     .order_by(LabAttendance.id)):
        latest[record.booking_id] = record
    return latest


@dataclass(frozen=True)
class Mark:
    status: str
    minutes: int | None  # only for "left early"


def record_attendance(session: LabSession, marks: dict[int, Mark], *, by: User, now: datetime
                      ) -> list[LabAttendance]:
    """Record attendance for the session's bookings (by booking id). Every mark is checked
    before anything is stored; a mark for someone who did not book refuses the whole form.
    A mark that repeats the one in force adds nothing; a changed mark adds a newer record."""
    if session.cancelled_at is not None:
        raise LabRefused(_("This session was cancelled, so there is no attendance to record."))
    if now < session.starts_at:
        raise LabRefused(_("This session has not started yet. Record attendance once it has begun."))
    booked = {booking.id: booking for booking in bookings_of(session)}
    checked: list[tuple[int, str, int]] = []
    for booking_id, mark in marks.items():
        if booking_id not in booked:
            raise LabRefused(_("The form lists someone who has no place in this session, so nothing was saved. "
                               "Reload the page: only people who booked can be marked."))
        if mark.status not in ATTENDANCE_STATUSES:
            raise LabRefused(_("Choose present, left early or absent for %(name)s.",
                               name=booked[booking_id].trainee.display_name), f"status-{booking_id}")
        if mark.status == AttendanceStatus.LEFT_EARLY:
            if mark.minutes is None or not 1 <= mark.minutes < session.minutes:
                raise LabRefused(_("For %(name)s, who left early, give the minutes they attended: from 1 to "
                                   "%(most)d.", name=booked[booking_id].trainee.display_name,
                                   most=session.minutes - 1), f"minutes-{booking_id}")
            minutes = mark.minutes
        else:
            minutes = session.minutes if mark.status == AttendanceStatus.PRESENT else 0
        checked.append((booking_id, mark.status, minutes))
    current = latest_attendance(list(booked))
    added = []
    for booking_id, status, minutes in checked:
        before = current.get(booking_id)
        if before is not None and (before.status, before.minutes) == (status, minutes):
            continue
        record = LabAttendance(booking_id=booking_id, status=status, minutes=minutes, recorded_by_id=by.id,
                               recorded_at=now)
        db.session.add(record)
        added.append(record)
    db.session.flush()
    return added
