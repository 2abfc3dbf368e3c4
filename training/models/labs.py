"""Practice labs: practice with other trainees and a facilitator, in person or online.

A lab is declared in module.yml and synced here. Staff schedule sessions of it; trainees
book and cancel a place; the facilitator records attendance. Attended minutes count
toward training hours in the lab's domain, and a required lab must be attended for its
module to be complete.

The number of places taken is a counter on the session row, raised with a conditional
UPDATE and held under `booked <= capacity` by a CHECK constraint, so two trainees taking
the last place at the same moment cannot both get it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class LabMode:
    IN_PERSON = "in-person"
    ONLINE = "online"


class AttendanceStatus:
    PRESENT = "present"
    LEFT_EARLY = "left-early"
    ABSENT = "absent"


class Lab(db.Model):
    __tablename__ = "labs"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(60))
    practice_html: Mapped[str] = mapped_column(Text)  # what to practice, rendered and sanitised once
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module = relationship("Module")


class LabSession(db.Model):
    __tablename__ = "lab_sessions"
    __table_args__ = (
        CheckConstraint("booked >= 0 AND booked <= capacity", name="places"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("minutes >= 1", name="minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lab_id: Mapped[int] = mapped_column(ForeignKey("labs.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name the session is shown in
    mode: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(300), default="")  # in person: where
    link: Mapped[str] = mapped_column(String(500), default="")      # online: the meeting link
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    lab: Mapped[Lab] = relationship()
    facilitator = relationship("User", foreign_keys=[facilitator_id])

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class LabBooking(db.Model):
    __tablename__ = "lab_bookings"
    __table_args__ = (
        # One place per trainee and session, however the requests interleave.
        Index("uq_lab_bookings_one_active", "session_id", "trainee_id", unique=True,
              sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("lab_sessions.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[LabSession] = relationship()
    trainee = relationship("User")


class LabAttendance(db.Model):
    """The facilitator's record of one booking. Records are added, never changed: a
    correction is a newer record, and the newest one counts."""
    __tablename__ = "lab_attendance"
    __table_args__ = (CheckConstraint("minutes >= 0", name="minutes_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("lab_bookings.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)  # attended: all of it, part of it, or 0
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[LabBooking] = relationship()
    recorded_by = relationship("User")
