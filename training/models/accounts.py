"""Single-use account links (invitations, password resets) and the mail outbox."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow
from training.models.users import User


class TokenPurpose(str, enum.Enum):
    INVITE = "invite"
    PASSWORD_RESET = "password_reset"


class AccountToken(db.Model):
    """A link sent by email. Only a hash of the secret is stored, so a database leak
    does not hand out working links."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        db.Enum(TokenPurpose, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class MailStatus(str, enum.Enum):
    STORED = "stored"      # no SMTP server configured: kept here and written to the log
    QUEUED = "queued"      # waiting for the mail job
    RETRYING = "retrying"  # the server did not take it; the job tries again later
    SENT = "sent"
    FAILED = "failed"      # every attempt failed; staff can send it again


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Messages carrying a sign-in link (invitations, password resets) are not shown to staff.
    sensitive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[MailStatus] = mapped_column(
        db.Enum(MailStatus, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]))
    error: Mapped[str | None] = mapped_column(String(500))  # the last attempt's
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ReportExport(db.Model):
    """A report file too large to build within one request, built by a job and kept for its
    requester to download (for a week: older ones go when they ask for another)."""
    __tablename__ = "report_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    report: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(10))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, ready, failed
    rows: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(120), default="")
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
