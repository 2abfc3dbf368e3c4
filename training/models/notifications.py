"""Notifications: what happened to a person, listed in the app and emailed as each person chose.

A notification keeps a one-line snapshot written when the event happened; it never copies
story text, statements or feedback. What it is about is named by table and id, so a
notification outlives what it points to (a deleted draft, a withdrawn request) and says so
when opened.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class NotificationKind(str, enum.Enum):
    HOURS_LOGGED = "hours_logged"              # to supervisors
    HOURS_VERIFIED = "hours_verified"
    HOURS_REJECTED = "hours_rejected"
    SIGNOFF_REQUESTED = "signoff_requested"    # to supervisors (new or revised evidence)
    SIGNOFF_APPROVED = "signoff_approved"
    SIGNOFF_RETURNED = "signoff_returned"
    STORY_SHARED = "story_shared"              # to supervisors
    STORY_FEEDBACK = "story_feedback"
    STATEMENT_SENT = "statement_sent"          # to supervisors
    STATEMENT_ACCEPTED = "statement_accepted"
    STATEMENT_RETURNED = "statement_returned"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    RENEWAL_OPEN = "renewal_open"
    LAB_CANCELLED = "lab_cancelled"
    SUPERVISOR_CHANGED = "supervisor_changed"  # to the trainee: assigned or removed by staff
    PERSONAL_DATA_READY = "personal_data_ready"  # the download of one's own data is prepared
    REPORT_READY = "report_ready"              # to staff: a report file built by a job


class EmailPreference(str, enum.Enum):
    """How a person wants notifications by email (User.notification_email)."""
    EACH = "each"      # one email per notification, when it is created
    DIGEST = "digest"  # one email a day listing what is new (flask notifications send-digest)
    OFF = "off"        # in the app only


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        # A renewal reminder is sent at most once per certificate, even when two runs of the
        # daily command overlap: the second insert fails and sends nothing.
        Index("uq_notifications_renewal_once", "user_id", "kind", "target_type", "target_id", unique=True,
              sqlite_where=text("kind = 'renewal_open'"), postgresql_where=text("kind = 'renewal_open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        db.Enum(NotificationKind, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What it is about: a table name and a row id (None: nothing in particular).
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    count: Mapped[int] = mapped_column(Integer, default=1)  # events of the same kind and actor, while unread
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def unread(self) -> bool:
        return self.read_at is None
