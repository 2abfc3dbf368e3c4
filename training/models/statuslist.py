"""The entries of the public revocation list (a W3C Bitstring Status List), shared by the
certificates and the issued learner records.

Each credential that can be revoked takes the next entry when its row is inserted: the
entry's id is its bit in the list. The database hands out the ids, so two credentials
issued at the same moment, of either kind, never share a bit.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Mapped, mapped_column

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class StatusListEntry(db.Model):
    __tablename__ = "status_list_entries"
    __table_args__ = {"sqlite_autoincrement": True}  # never hand out an id twice, even after a delete

    id: Mapped[int] = mapped_column(primary_key=True)  # the bit in the revocation list
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def next_status_index(context) -> int:
    """Column default: a new entry, inserted in the same transaction as the row that takes it."""
    table = StatusListEntry.__table__
    return context.connection.execute(insert(table).values(created_at=utcnow())).inserted_primary_key[0]
