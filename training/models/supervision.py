"""Supervised practice: hours a trainee logs and the supervisor's decisions on them.

A decision is never changed in place. A supervisor who changes their mind records a new
decision with a reason; the newest decision is the entry's status, and every earlier one
stays visible in its history.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class HoursKind:
    PRACTICE = "practice"        # peer support given, by activity type
    SUPERVISION = "supervision"  # supervision received, individual or group


class Decision:
    VERIFIED = "verified"
    REJECTED = "rejected"


WAITING = "decided_at IS NULL AND withdrawn_at IS NULL"  # an entry in the supervisor's queue


class HoursEntry(db.Model):
    __tablename__ = "hours_entries"
    __table_args__ = (
        # The form carries a one-time token, so a double click or a resent form logs nothing twice.
        # Its leading column also serves lookups by trainee.
        UniqueConstraint("trainee_id", "submission_token"),
        # The entries waiting for a supervisor, so the queue count in the menu is an index lookup.
        Index("ix_hours_entries_waiting", "trainee_id", sqlite_where=text(WAITING), postgresql_where=text(WAITING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    activity: Mapped[str] = mapped_column(String(40))  # an activity type, or a supervision format
    worked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    setting: Mapped[str] = mapped_column(String(200))
    remote: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    submission_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The trainee withdrew the entry before any decision: it stays in their log, counts nowhere
    # and leaves the supervisor's queue. Set only while no decision exists (supervision/hours.py).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the newest decision was recorded; None while the entry waits for one. Kept in step
    # with the decisions by the listener below, whoever records them.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    trainee = relationship("User")
    decisions: Mapped[list[HoursDecision]] = relationship(back_populates="entry", order_by="HoursDecision.id")

    @property
    def latest_decision(self) -> HoursDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def status(self) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
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


@event.listens_for(HoursDecision, "after_insert")
def _entry_is_decided(mapper, connection, decision: HoursDecision) -> None:
    """Stamp the entry with its newest decision's time, in the same flush as the decision."""
    decided_at = decision.created_at or utcnow()
    connection.execute(update(HoursEntry.__table__).where(HoursEntry.__table__.c.id == decision.entry_id)
                       .values(decided_at=decided_at))
    entry = decision.__dict__.get("entry")
    if entry is not None:
        set_committed_value(entry, "decided_at", decided_at)


class SignoffStatus:
    PENDING = "pending"      # waiting for a supervisor
    RETURNED = "returned"    # the supervisor asked for more; the trainee may revise
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"  # the trainee took it back before a decision; it counts nowhere


EVIDENCE_METHODS = {
    "direct-observation": "Direct observation",
    "role-play": "Role-play",
    "recorded-session": "Recorded session",
    "written-reflection": "Written reflection",
}


OPEN_REQUEST = "status NOT IN ('approved', 'withdrawn')"


class SignoffRequest(db.Model):
    """A trainee asks for one competency to be signed off. Each submission of evidence and
    each supervisor response is its own row, so the whole history stays."""

    __tablename__ = "signoff_requests"
    # The requests waiting for a supervisor, for the queue count in the menu.
    __table_args__ = (
        Index("ix_signoff_requests_pending", "trainee_id", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        # One open request per trainee and competency, held by the database under parallel requests.
        Index("uq_signoff_requests_one_open", "trainee_id", "competency", unique=True,
              sqlite_where=text(OPEN_REQUEST), postgresql_where=text(OPEN_REQUEST)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=SignoffStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee = relationship("User")
    evidence: Mapped[list[SignoffEvidence]] = relationship(back_populates="request", order_by="SignoffEvidence.id")
    responses: Mapped[list[SignoffResponse]] = relationship(back_populates="request",
                                                            order_by="SignoffResponse.id")


class SignoffEvidence(db.Model):
    __tablename__ = "signoff_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("signoff_requests.id"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    setting: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(30))
    what_happened: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text, default="")
    # A story-workspace draft the trainee points to. Supervisors can open it only while it
    # is shared; deleting the draft for good leaves the evidence without the link.
    story_draft_id: Mapped[int | None] = mapped_column(ForeignKey("story_drafts.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[SignoffRequest] = relationship(back_populates="evidence")
    story_draft = relationship("StoryDraft")


class SignoffResponse(db.Model):
    """A supervisor's answer to the latest evidence: approved with a rating, or returned with feedback."""

    __tablename__ = "signoff_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("signoff_requests.id"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("signoff_evidence.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20))  # approved | returned
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[SignoffRequest] = relationship(back_populates="responses")
    reviewer = relationship("User")


class CompetencyRating(db.Model):
    """One supervisor's rating of one competency on the framework's rubric. Every rating is
    kept; several supervisors may rate the same competency. A correction is a new rating
    that names the one it supersedes and why."""

    __tablename__ = "competency_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency: Mapped[str] = mapped_column(String(20))
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(30))
    observed_on: Mapped[date] = mapped_column(Date)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("signoff_requests.id"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("competency_ratings.id"))
    supersede_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rater = relationship("User", foreign_keys=[rater_id])
