"""A person's own data, as one file they asked for (training/personaldata/)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from training.extensions import db
from training.models.base import UTCDateTime, utcnow

QUEUED = "status = 'queued'"


class PersonalDataExport(db.Model):
    """A ZIP of everything the platform holds about one person, built by a job and kept for
    them to download for a week. At most one is being built per person at a time (the
    partial unique index), however many times the button is pressed."""
    __tablename__ = "personal_data_exports"
    __table_args__ = (
        Index("uq_personal_data_exports_one_queued", "user_id", unique=True,
              sqlite_where=text(QUEUED), postgresql_where=text(QUEUED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, ready, failed
    filename: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)  # bytes
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
