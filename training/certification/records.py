"""What people record toward certification: signatures on the code of ethics, training done
elsewhere (recorded by staff) and continuing education (logged by certificate holders)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from flask_babel import format_decimal, gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from training.courses.published import DocumentView
from training.extensions import db
from training.models import Attestation, ContinuingEducation, ExternalTraining, User

PROOF_LIMIT = 2 * 1024 * 1024
PROOF_TYPES = {  # what the file starts with -> (content type, what to call it)
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


class RecordRefused(Exception):
    """The record cannot be kept as given; the message says what to change (and `field`,
    when known, names the form field it is about)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def sign(user: User, document: DocumentView, typed_name: str, now: datetime) -> tuple[Attestation, bool]:
    """Record `user`'s signature on the current version of `document`: (attestation, new?).

    The typed name must be the legal name on the account, which certificates are issued in;
    an account without one takes the typed name.
    """
    typed = " ".join(typed_name.split())
    if user.legal_name.strip() and not _same_name(user.legal_name, typed):
        raise RecordRefused(_("Please type your legal name as it is on your account: “%(name)s”. "
                              "If that name is wrong, change it in My account first.", name=user.legal_name))
    existing = db.session.scalar(select(Attestation).where(
        Attestation.user_id == user.id, Attestation.document == document.slug,
        Attestation.version == document.version))
    if existing is not None:
        return existing, False
    if not user.legal_name.strip():
        user.legal_name = typed
    attestation = Attestation(user_id=user.id, document=document.slug, version=document.version,
                              legal_name=typed, signed_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(attestation)
    except IntegrityError:  # the same form sent twice at once
        return db.session.scalar(select(Attestation).where(
            Attestation.user_id == user.id, Attestation.document == document.slug,
            Attestation.version == document.version)), False
    return attestation, True


@dataclass(frozen=True)
class Proof:
    filename: str
    data: bytes


def proof_columns(proof: Proof, prefix: str = "proof") -> dict:
    """A checked proof file as the columns a record keeps it in (`proof`, `proof_type`,
    `proof_size`, `proof_name`, or with another prefix such as `evidence`); refuses a file
    that is not a PDF, PNG or JPEG, or is too large."""
    name = (proof.filename or prefix).rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    return {f"{prefix}_type": check_proof(proof), prefix: proof.data, f"{prefix}_size": len(proof.data),
            f"{prefix}_name": name}


def keep_proof(record, proof: Proof, prefix: str = "proof") -> None:
    for column, value in proof_columns(proof, prefix).items():
        setattr(record, column, value)


def attachment(data: bytes, content_type: str, filename: str) -> Response:
    """A stored file as a download: never shown inline, never sniffed, never cached by others."""
    return Response(data, mimetype=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def check_proof(proof: Proof) -> str:
    """The proof file's content type, judged by its bytes, not its name."""
    if len(proof.data) > PROOF_LIMIT:
        raise RecordRefused(_("The proof file is %(size)s MB; files can be up to 2 MB. A scan at a lower resolution, "
                              "or a PDF, is usually small enough.",
                              size=format_decimal(len(proof.data) / 1024 / 1024, "0.0")))
    if not proof.data:
        raise RecordRefused(_("The proof file is empty. Please choose the file again."))
    for start, content_type in PROOF_TYPES.items():
        if proof.data.startswith(start):
            return content_type
    raise RecordRefused(_("The proof must be a PDF, PNG or JPEG file. Other files (such as Word documents) "
                          "can be saved or printed as PDF first."))


def _minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


def add_continuing_education(holder: User, *, topic: str, title: str, provider: str, completed_on: date,
                             hours: Decimal, proof: Proof | None, today: date) -> ContinuingEducation:
    if completed_on > today:
        raise RecordRefused(_("The date is in the future. Log continuing education once you have completed it."),
                            "completed_on")
    record = ContinuingEducation(holder_id=holder.id, topic=topic, title=title.strip(), provider=provider.strip(),
                                 completed_on=completed_on, minutes=_minutes(hours))
    if proof is not None:
        keep_proof(record, proof)
    db.session.add(record)
    db.session.flush()
    return record


def add_external_training(trainee: User, recorder: User, *, domain: str, title: str, provider: str,
                          completed_on: date, hours: Decimal, note: str, today: date) -> ExternalTraining:
    if completed_on > today:
        raise RecordRefused(_("The date is in the future. Record training once it has been completed."),
                            "completed_on")
    record = ExternalTraining(trainee_id=trainee.id, domain=domain, title=title.strip(), provider=provider.strip(),
                              completed_on=completed_on, minutes=_minutes(hours), note=(note or "").strip(),
                              recorded_by_id=recorder.id)
    db.session.add(record)
    db.session.flush()
    return record
