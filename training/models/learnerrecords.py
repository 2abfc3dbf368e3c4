"""Issued learner records: a trainee's Comprehensive Learner Record, signed and kept.

Like a certificate, an issued record is never rewritten: its signed credential and the
transcript drawn from it are stored, it has a public address (its random `public_id`) and a
bit in the same revocation list. Issuing again after new achievements makes a new record;
the old ones keep verifying as what the records showed on their day. Issuing again with
nothing new returns the last one: (holder_id, fingerprint) is unique among the records not
revoked, so two requests at the same moment make one record, and a revoked record can be
issued afresh.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow
from training.models.statuslist import next_status_index

IN_FORCE = "revoked_at IS NULL"


def new_public_id() -> str:
    return str(uuid.uuid4())


class IssuedLearnerRecord(db.Model):
    __tablename__ = "issued_learner_records"
    __table_args__ = (Index("uq_issued_learner_records_one_in_force", "holder_id", "fingerprint", unique=True,
                            sqlite_where=text(IN_FORCE), postgresql_where=text(IN_FORCE)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)  # urn:uuid: and the link
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What the record states, hashed without its moment: the same achievements, the same print.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_index: Mapped[int] = mapped_column(ForeignKey("status_list_entries.id"), unique=True,
                                              default=next_status_index)
    achievements: Mapped[int] = mapped_column(Integer)  # how many credentials it holds
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the holder, or staff for them
    credential_json: Mapped[str] = deferred(mapped_column(Text, nullable=False))  # the unsigned ClrCredential, as signed
    credential_jwt: Mapped[str] = deferred(mapped_column(Text, nullable=False))
    transcript_pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False, default=b""))  # rendered by a job
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    holder = relationship("User", foreign_keys=[holder_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.public_id}"
