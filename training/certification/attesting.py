"""Eligibility attestations and the statement of lived experience.

A candidate confirms the wording of a document (education, jurisdiction, lived experience):
each confirmation is a dated record of the version agreed to. The platform never asks for a
diagnosis. A statement of lived experience is read by a supervisor assigned to its author,
who accepts it or returns it with feedback; every submission stays on record.
These functions add and flush; the caller commits.
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import format_decimal, gettext as _, ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from training import audit
from training.certification import stored
from training.certification.records import Proof, RecordRefused, keep_proof
from training.courses.published import DocumentView
from training.extensions import db
from training.localization import lazy_gettext as _l
from training.models import EligibilityRecord, LivedExperienceStatement, StatementStatus, User

EDUCATION_CHOICES = {"diploma": _l("High school diploma"), "ged": _l("GED"),
                     "equivalency": _l("Another high school equivalency credential")}
JURISDICTION_CHOICES = {"lives": _l("I live there"), "works": _l("I work there"), "both": _l("I live and work there")}
STATEMENT_MAX_WORDS = 5000
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str) -> int:
    return len(WORD.findall(text or ""))


def attest(user: User, kind: str, document: DocumentView, *, now: datetime, region: str = "", detail: str = "",
           proof: Proof | None = None) -> tuple[EligibilityRecord, bool]:
    """Record that `user` confirms the current wording of `document`: (record, whether new).
    Confirming the same version again keeps the first record."""
    choices = {"education": EDUCATION_CHOICES, "jurisdiction": JURISDICTION_CHOICES}.get(kind)
    if choices is not None and detail not in choices:
        raise RecordRefused(_("Please choose the option that fits you."))
    existing = _attestation(user.id, kind, region, document.version)
    if existing is not None:
        return existing, False
    record = EligibilityRecord(user_id=user.id, kind=kind, document=document.slug, version=document.version,
                               region=region, detail=detail, attested_at=now)
    if proof is not None:
        keep_proof(record, proof)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:  # the same confirmation sent twice at once
        return _attestation(user.id, kind, region, document.version), False
    return record, True


def _attestation(user_id: int, kind: str, region: str, version: str) -> EligibilityRecord | None:
    return db.session.scalar(select(EligibilityRecord).where(
        EligibilityRecord.user_id == user_id, EligibilityRecord.kind == kind, EligibilityRecord.region == region,
        EligibilityRecord.version == version))


def add_education_proof(record: EligibilityRecord, proof: Proof) -> None:
    """A copy of the diploma or equivalency, added after confirming (replaces one not yet checked)."""
    if record.checked_at is not None:
        raise RecordRefused(_("Program staff have already checked your document; there is nothing more to add."))
    keep_proof(record, proof)
    db.session.flush()


def mark_checked(record: EligibilityRecord, *, by: User, now: datetime) -> None:
    """Staff saw the education document; recorded once, with who and when."""
    if not record.proof_size:
        raise RecordRefused(_("There is no document to check yet."))
    claimed = db.session.execute(update(EligibilityRecord).where(
        EligibilityRecord.id == record.id, EligibilityRecord.checked_at.is_(None))
        .values(checked_at=now, checked_by_id=by.id).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise RecordRefused(_("This document was already marked as checked."))
    stored.forget([record.user_id])
    audit.record("eligibility.checked", object_type="eligibility_record", object_id=record.id,
                 subject_id=record.user_id, details={"kind": record.kind}, actor=by)
    db.session.refresh(record)


def submit_statement(user: User, text: str, guidance: DocumentView, *, min_words: int, now: datetime
                     ) -> LivedExperienceStatement:
    """Send a statement to the author's supervisors. While one waits to be read, another cannot
    be sent (a partial unique index holds that under parallel requests too)."""
    words = count_words(text)
    if words < min_words:
        raise RecordRefused(ngettext("Your statement has %(words)s word; please write at least %(minimum)s. "
                                     "Your text is kept below so you can go on.",
                                     "Your statement has %(words)s words; please write at least %(minimum)s. "
                                     "Your text is kept below so you can go on.",
                                     words, words=format_decimal(words), minimum=format_decimal(min_words)))
    if words > STATEMENT_MAX_WORDS:
        raise RecordRefused(_("Your statement has %(words)s words; please keep it under %(maximum)s.",
                              words=format_decimal(words), maximum=format_decimal(STATEMENT_MAX_WORDS)))
    statement = LivedExperienceStatement(user_id=user.id, text=text.strip(), words=words, document=guidance.slug,
                                         version=guidance.version, submitted_at=now, status=StatementStatus.PENDING)
    try:
        with db.session.begin_nested():
            db.session.add(statement)
    except IntegrityError:
        raise RecordRefused(_("Your statement is already with your supervisor. You can send a new version once "
                              "they have read it.")) from None
    return statement


def review_statement(statement: LivedExperienceStatement, *, by: User, accept: bool, feedback: str,
                     now: datetime) -> None:
    """A supervisor's decision, recorded once. Returning it needs feedback saying what to change."""
    if statement.user_id == by.id:
        raise RecordRefused(_("Nobody reviews their own statement."))
    if not accept and not feedback.strip():
        raise RecordRefused(_("Please say what to change, so the author knows how to revise it."))
    status = StatementStatus.ACCEPTED if accept else StatementStatus.RETURNED
    claimed = db.session.execute(update(LivedExperienceStatement).where(
        LivedExperienceStatement.id == statement.id, LivedExperienceStatement.status == StatementStatus.PENDING)
        .values(status=status, reviewed_by_id=by.id, reviewed_at=now, feedback=feedback.strip())
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise RecordRefused(_("This statement was already reviewed."))
    stored.forget([statement.user_id])
    audit.record(f"statement.{status}", object_type="lived_experience_statement", object_id=statement.id,
                 subject_id=statement.user_id, actor=by)
    db.session.refresh(statement)


def statements_of(user_id: int) -> list[LivedExperienceStatement]:
    """Every statement the person sent, newest first (texts deferred)."""
    return list(db.session.scalars(select(LivedExperienceStatement).where(LivedExperienceStatement.user_id == user_id)
                                   .order_by(LivedExperienceStatement.id.desc())))


def attestations_of(user_id: int) -> list[EligibilityRecord]:
    return list(db.session.scalars(select(EligibilityRecord).where(EligibilityRecord.user_id == user_id)
                                   .order_by(EligibilityRecord.attested_at.desc(), EligibilityRecord.id.desc())))
