"""What a candidate attests to for a certification, what staff record about it, and who
is a qualified supervisor.

Each attestation is a dated record of the version of the wording agreed to. Exam results
are kept as recorded: a correction is a new record that names the one it corrects.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class EligibilityRecord(db.Model):
    """An attestation of education, jurisdiction or lived experience, on one version of its wording."""
    __tablename__ = "eligibility_records"
    __table_args__ = (UniqueConstraint("user_id", "kind", "region", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))       # education, jurisdiction, lived-experience
    document: Mapped[str] = mapped_column(String(60))   # the wording's document slug
    version: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(120), default="")  # jurisdiction only
    detail: Mapped[str] = mapped_column(String(40), default="")   # diploma/ged/equivalency; lives/works/both
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proof_name: Mapped[str] = mapped_column(String(200), default="")
    proof_type: Mapped[str] = mapped_column(String(100), default="")
    proof_size: Mapped[int] = mapped_column(Integer, default=0)
    proof: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # staff saw the proof
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    checked_by = relationship("User", foreign_keys=[checked_by_id])


class StatementStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class LivedExperienceStatement(db.Model):
    """A written statement of lived experience, read by a supervisor assigned to the author.
    Each submission is its own row; a returned statement is revised as a new submission."""
    __tablename__ = "lived_experience_statements"
    __table_args__ = (
        Index("uq_lived_experience_statements_one_pending", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = deferred(mapped_column(Text))
    words: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))   # of the guidance it was written to
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=StatementStatus.PENDING)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User", foreign_keys=[user_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])


class ExamResult(db.Model):
    """The result of an exam taken outside the platform, as staff recorded it."""
    __tablename__ = "exam_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    track: Mapped[str] = mapped_column(String(60))
    exam_name: Mapped[str] = mapped_column(String(200))
    taken_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    evidence_name: Mapped[str] = mapped_column(String(200), default="")
    evidence_type: Mapped[str] = mapped_column(String(100), default="")
    evidence_size: Mapped[int] = mapped_column(Integer, default=0)
    evidence: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A correction names the record it corrects, once: a record is corrected at most once.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("exam_results.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why the correction was made

    trainee = relationship("User", foreign_keys=[trainee_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    corrects = relationship("ExamResult", foreign_keys=[corrects_id], remote_side=[id])


class SupervisorQualification(db.Model):
    """A supervisor's qualification as staff recorded it. The newest record not withdrawn is
    in force; changes are new records, so the history stays."""
    __tablename__ = "supervisor_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    credential: Mapped[str] = mapped_column(String(200))        # e.g. Certified Peer Recovery Specialist
    license: Mapped[str] = mapped_column(String(200), default="")  # e.g. LCSW 12345, Pennsylvania
    years_in_role: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")

    supervisor = relationship("User", foreign_keys=[supervisor_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
