"""Issued learner records: the trainee's CLR 2.0 credential, signed, stored and verifiable.

`issue` gathers what the records show now. When it states the same achievements as the
holder's last record (the fingerprint: the credential built without its moment), the last
record is returned; otherwise a new record is signed and stored, with its own public
address and an entry in the certificates' revocation list, and a job renders its PDF
transcript. Records are never rewritten: an old one keeps verifying as of its day.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from training import audit
from training.certification.clr import learner_record_for
from training.certification.credentials import sign_credential, status_entry
from training.certification.learnerrecord import gather_record
from training.certification.records import RecordRefused
from training.certification.statuslist import mark_revoked
from training.certification.transcript import render_transcript
from training.extensions import db
from training.jobs import after_commit
from training.mailer import external_url
from training.models import IssuedLearnerRecord, User

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def fingerprint(credential: dict) -> str:
    """The hash of what a record states, from the credential built as of EPOCH."""
    text = json.dumps(credential, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def issue(holder: User, *, by: User, now: datetime) -> tuple[IssuedLearnerRecord | None, bool]:
    """(the holder's record as of now, whether it is new); (None, False) while there is
    nothing to put in it. Two requests at the same moment make one record."""
    gathered = gather_record(holder, now)
    if gathered.empty:
        return None, False
    stamp = fingerprint(learner_record_for(holder, now, record=replace(gathered, as_of=EPOCH)))
    existing = _in_force(holder.id, stamp)
    if existing is not None:
        return existing, False
    try:
        with db.session.begin_nested():
            issued = IssuedLearnerRecord(holder_id=holder.id, fingerprint=stamp,
                                         achievements=len(gathered.entries), issued_at=now, issued_by_id=by.id,
                                         credential_json="", credential_jwt="")
            db.session.add(issued)
            db.session.flush()  # takes its entry in the revocation list
            credential = learner_record_for(holder, now, record=gathered, record_id=issued.urn,
                                            status=status_entry(issued.status_index, external_url("issuer.status_list")))
            issued.credential_json = json.dumps(credential, ensure_ascii=False)
            issued.credential_jwt = sign_credential(credential)
            db.session.flush()
    except IntegrityError:
        existing = _in_force(holder.id, stamp)  # issued by a request a moment ago: that one stands
        if existing is None:
            raise
        return existing, False
    audit.record("learner_record.issued", object_type="learner_record", object_id=issued.id, subject_id=holder.id,
                 details={"achievements": issued.achievements}, actor=by)
    after_commit("render_learner_transcript", issued.id)
    return issued, True


def _in_force(holder_id: int, stamp: str) -> IssuedLearnerRecord | None:
    """The holder's record not revoked that states what `stamp` is the fingerprint of."""
    return db.session.scalar(select(IssuedLearnerRecord).where(
        IssuedLearnerRecord.holder_id == holder_id, IssuedLearnerRecord.fingerprint == stamp,
        IssuedLearnerRecord.revoked_at.is_(None)))


def revoke(record: IssuedLearnerRecord, *, by: User, reason: str, now: datetime) -> None:
    """Mark the record revoked; its public page and the status list say so at once."""
    if not reason.strip():
        raise RecordRefused(_("Give the reason for revoking; it is shown on the record's public page."))
    if not mark_revoked(record, by=by, reason=reason, now=now):
        raise RecordRefused(_("This learner record is already revoked."))
    audit.record("learner_record.revoked", object_type="learner_record", object_id=record.id,
                 subject_id=record.holder_id, details={"reason": reason.strip()}, actor=by)


def transcript_hint(record: IssuedLearnerRecord) -> str:
    return _("This transcript is a readable copy of learner record %(id)s. Check it, and whether it is still valid, "
             "at %(url)s", id=record.public_id, url=external_url("records.record", public_id=record.public_id))


def ensure_transcript(record_id: int) -> bytes:
    """The record's PDF transcript, rendering and storing it if it is not there yet (the row
    is locked first, so the job and a download at the same moment render it once)."""
    record = db.session.scalar(select(IssuedLearnerRecord).where(IssuedLearnerRecord.id == record_id)
                               .options(undefer(IssuedLearnerRecord.transcript_pdf),
                                        undefer(IssuedLearnerRecord.credential_json)).with_for_update())
    if record is None:
        return b""
    if not record.transcript_pdf:
        record.transcript_pdf = render_transcript(json.loads(record.credential_json), transcript_hint(record))
        db.session.commit()
    return record.transcript_pdf


def issued_records(holder_id: int) -> list[IssuedLearnerRecord]:
    """The holder's issued learner records, the latest first (one query)."""
    return list(db.session.scalars(select(IssuedLearnerRecord).where(IssuedLearnerRecord.holder_id == holder_id)
                                   .order_by(IssuedLearnerRecord.issued_at.desc(), IssuedLearnerRecord.id.desc())))
