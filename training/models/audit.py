"""The audit log: who did what to which record, when and from where, append-only and
chained by hashes so that a changed or removed row shows (training/audit/)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One consequential action. Never updated or deleted; `hash` covers every other column
    and the previous event's hash, so `flask audit verify` finds any change."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_subject_id_seq", "subject_id", "seq"),
        Index("ix_audit_events_actor_id_seq", "actor_id", "seq"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)      # 1, 2, 3... with no gaps
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)          # who (None: the system, a command)
    actor_email: Mapped[str] = mapped_column(String(254), default="")  # as it was then
    action: Mapped[str] = mapped_column(String(60), index=True)    # e.g. hours.verified
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer)        # the person the record is about
    address: Mapped[str] = mapped_column(String(45), default="")   # the client's IP address
    details: Mapped[dict] = mapped_column(JSON, default=dict)      # names and numbers, never content
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The end of the chain (one row): writers take its lock, so events chain one after another."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
