"""Certification: what a trainee signs, what staff record, and the certificates issued.

An issued certificate is a record, not a view of the profile: the legal name, track,
dates, PDF and signed credential are stored at issue and never rewritten. Revocation and
supersession add facts to it; a reissue is a new certificate.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow
from training.models.statuslist import next_status_index


class ExternalTraining(db.Model):
    """Approved training done outside this platform (a workshop, another provider's course),
    recorded by staff and counted toward the track's training hours by domain."""
    __tablename__ = "external_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    domain: Mapped[str] = mapped_column(String(60))
    minutes: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee = relationship("User", foreign_keys=[trainee_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])


class Attestation(db.Model):
    """A signature on one version of a document (the code of ethics)."""
    __tablename__ = "attestations"
    __table_args__ = (UniqueConstraint("user_id", "document", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    document: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))
    legal_name: Mapped[str] = mapped_column(String(200))  # as typed when signing
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateCounter(db.Model):
    """The last certificate number used per prefix and year. Issuing takes the row's lock
    (UPDATE ... RETURNING), so numbers stay sequential and unique under parallel issuance."""
    __tablename__ = "certificate_counters"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class SigningKey(db.Model):
    """The issuer's signing keys (ES256; Ed25519 ones from before only verify). Retired keys keep their public half so that credentials
    signed with them still verify."""
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str | None] = mapped_column(Text)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The short verification code: Crockford base32 (digits and capitals without I, L, O and U),
# so a code read aloud or typed from paper can be taken in any case, with I or L for 1 and
# O for 0. 16 characters carry 80 random bits; printed in groups of four.
SHORT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 16


def new_short_code() -> str:
    """A fresh short verification code (stored without dashes), the column's default."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def group_short_code(code: str) -> str:
    """A short code as printed and shown, in groups of four: K7Q2-9XPA-3MZD-H4TB."""
    return "-".join(code[start:start + 4] for start in range(0, len(code), 4))


class Certificate(db.Model):
    __tablename__ = "certificates"
    # One certificate per holder, track, cycle and edition: issuing twice returns the first,
    # and a reissue or a correction in the same cycle is the next edition. A revoked
    # certificate is corrected at most once (corrects_id is unique).
    __table_args__ = (UniqueConstraint("holder_id", "track", "cycle", "edition"),
                      CheckConstraint("corrects_id IS NULL OR corrects_id <> id", name="correction_not_itself"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Its bit in the public revocation list, shared with the learner records (certificates
    # issued before learner records were stored kept their id as their bit).
    status_index: Mapped[int] = mapped_column(ForeignKey("status_list_entries.id"), unique=True,
                                              default=next_status_index)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # the public verification code (in links, QR)
    short_code: Mapped[str] = mapped_column(String(SHORT_CODE_LENGTH), unique=True, default=new_short_code)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # indexed as the unique constraint's lead
    track: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="certification")  # or completion
    track_title: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200), default="")  # completion: the course completed
    # completion: the contact hours earned, by domain ({code: {"title", "hours"}}), and what they count toward
    contact_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    counts_toward: Mapped[str] = mapped_column(String(300), default="")
    # The issuing organization and its signatory as configured at issue (ORGANIZATION_*).
    issuer_name: Mapped[str] = mapped_column(String(200))
    issuer_url: Mapped[str] = mapped_column(String(300), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    legal_name: Mapped[str] = mapped_column(String(200))
    cycle: Mapped[int] = mapped_column(Integer, default=1)  # 1: first certification, 2: first renewal...
    edition: Mapped[int] = mapped_column(Integer, default=1)  # 2 and up: reissues within the cycle
    valid_from: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)  # no longer valid from this day on; None: never
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: issued automatically
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # what was met at issue
    credential_jwt: Mapped[str] = deferred(mapped_column(Text, default=""))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, default=b""))
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supersede_reason: Mapped[str] = mapped_column(Text, default="")
    # A corrected certificate names the revoked certificate it corrects.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), unique=True)

    holder = relationship("User", foreign_keys=[holder_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
    superseded_by = relationship("Certificate", foreign_keys=[superseded_by_id], remote_side=[id])
    renews = relationship("Certificate", foreign_keys=[renews_id], remote_side=[id])
    corrects = relationship("Certificate", foreign_keys=[corrects_id], remote_side=[id], back_populates="corrected_by")
    corrected_by = relationship("Certificate", foreign_keys=[corrects_id], back_populates="corrects", uselist=False)

    @property
    def printed_code(self) -> str | None:
        """The short verification code in groups of four, as on the PDF and the pages."""
        return group_short_code(self.short_code) if self.short_code else None

    @property
    def total_hours(self) -> float:
        return round(sum(item["hours"] for item in (self.contact_hours or {}).values()), 2)

    def status(self, today: date) -> str:
        """revoked, superseded, expired, upcoming (a renewal not yet started) or valid."""
        if self.revoked_at is not None:
            return "revoked"
        if self.superseded_by_id is not None:
            return "superseded"
        if self.expires_on is not None and today >= self.expires_on:
            return "expired"
        if today < self.valid_from:
            return "upcoming"
        return "valid"


class ContinuingEducation(db.Model):
    """A continuing-education record a certificate holder logs toward renewal. It counts
    for the cycle whose dates hold `completed_on`."""
    __tablename__ = "continuing_education"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    proof_name: Mapped[str] = mapped_column(String(200), default="")
    proof_type: Mapped[str] = mapped_column(String(100), default="")
    proof_size: Mapped[int] = mapped_column(Integer, default=0)
    proof: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrackStanding(db.Model):
    """One person's standing on one track, stored so that lists of thousands read it instead
    of computing it (training/certification/stored.py). A row is good while the person's
    standing_version and the track's content stamp are those it was computed from."""
    __tablename__ = "track_standings"

    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    track: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)         # the holder's standing_version it was computed at
    content_stamp: Mapped[str] = mapped_column(String(64))  # the track's content it was computed against
    eligible: Mapped[bool] = mapped_column()               # every requirement for a first certificate met
    requirements_met: Mapped[int] = mapped_column(Integer)
    requirements_total: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
