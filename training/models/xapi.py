"""xAPI statements about what people did, kept to send to a learning record store."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class XapiStatement(db.Model):
    """One xAPI statement, written in the same transaction as what it reports. It is sent to
    the learning record store (XAPI_ENDPOINT) by a job and kept afterwards, so staff can
    export any period and nothing is lost while the store is unavailable."""

    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_unsent", "id", sqlite_where=db.text("sent_at IS NULL"),
                            postgresql_where=db.text("sent_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)  # the statement's own UUID
    verb: Mapped[str] = mapped_column(String(40))  # our short name: completed, passed, ...
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    statement: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
