"""Supervised practice: hours a trainee logs and the supervisor's decisions on them.

A decision is never changed in place. A supervisor who changes their mind records a new
decision with a reason; the newest decision is the entry's status, and every earlier one
stays visible in its history.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class HoursKind:
    PRACTICE = "practice"        # peer support given, by activity type
    SUPERVISION = "supervision"  # supervision received, individual or group


class Decision:
    VERIFIED = "verified"
    REJECTED = "rejected"


class HoursEntry(db.Model):
    __tablename__ = "hours_entries"
    # The form carries a one-time token, so a double click or a resent form logs nothing twice.
    __table_args__ = (UniqueConstraint("trainee_id", "submission_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    activity: Mapped[str] = mapped_column(String(40))  # an activity type, or a supervision format
    worked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    setting: Mapped[str] = mapped_column(String(200))
    remote: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    submission_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee = relationship("User")
    decisions: Mapped[list[HoursDecision]] = relationship(back_populates="entry", order_by="HoursDecision.id")

    @property
    def latest_decision(self) -> HoursDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def status(self) -> str:
        return self.latest_decision.decision if self.decisions else "pending"


class HoursDecision(db.Model):
    __tablename__ = "hours_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("hours_entries.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[HoursEntry] = relationship(back_populates="decisions")
    reviewer = relationship("User")
