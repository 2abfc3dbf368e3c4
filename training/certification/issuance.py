"""Issuing, reissuing, revoking, correcting and renewing certificates.

A certificate is written once: the holder's legal name, the track, the dates, the rendered
PDF and the signed credential are stored at issue. Later changes to the profile or the
track never reach it. Everything after issue (revocation, supersession) is a new fact on
the row, never a rewrite of what was issued.
"""
from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from training import audit
from training.certification.credentials import build_credential, credential_urls, sign_credential
from training.certification.eligibility import Eligibility
from training.certification.pdf import render_pdf
from training.certification.organization import organization
from training.certification.statuslist import mark_revoked
from training.extensions import db
from training.jobs import after_commit
from training.localization import long_date
from training.models import Certificate, CertificateCounter, Course, User
from training.notifications.events import certificate_revoked

CODE_BYTES = 24  # 192 random bits; the issue asks for at least 128


class IssueRefused(Exception):
    """A certificate cannot be issued or changed; the message says why and what to do."""


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when that day does not exist)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_number(prefix: str, year: int) -> str:
    """The next certificate number for this prefix and year, e.g. PSS-2026-000123.

    The counter row is incremented with UPDATE ... RETURNING, which holds the row's lock until
    the transaction ends: parallel issuers wait for each other, so numbers are unique and have
    no gaps (a rolled-back issue gives its number back).
    """
    def increment():
        return db.session.execute(
            update(CertificateCounter).where(CertificateCounter.prefix == prefix, CertificateCounter.year == year)
            .values(last_number=CertificateCounter.last_number + 1).returning(CertificateCounter.last_number)
        ).scalar()
    number = increment()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateCounter(prefix=prefix, year=year, last_number=0))
        except IntegrityError:
            pass  # another issuer created the row first
        number = increment()
    return f"{prefix}-{year}-{number:06d}"


def _existing(holder_id: int, track: str, cycle: int, edition: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.holder_id == holder_id, Certificate.track == track, Certificate.cycle == cycle,
        Certificate.edition == edition))


def _store(certificate: Certificate) -> None:
    """Sign once, at issue (the row needs its id first: it is the status-list index); the PDF
    (about 300 ms) is rendered once by a job after the commit, so issuing many at once stays
    quick. A download that comes first renders it itself (ensure_pdf)."""
    urls = credential_urls(certificate)
    certificate.credential_jwt = sign_credential(build_credential(certificate, **urls))
    certificate.pdf = b""
    after_commit("render_certificate_pdf", certificate.id, urls["verify_url"])


def ensure_pdf(certificate_id: int, verify_url: str | None = None) -> bytes:
    """The certificate's PDF, rendering and storing it if it is not there yet. The row is
    locked first, so the job and a download at the same moment render it once."""
    certificate = db.session.scalar(select(Certificate).where(Certificate.id == certificate_id)
                                    .options(undefer(Certificate.pdf)).with_for_update())
    if certificate is None:
        return b""
    if not certificate.pdf:
        certificate.pdf = render_pdf(certificate, verify_url or credential_urls(certificate)["verify_url"])
        db.session.commit()
    return certificate.pdf


def _completion_fields(track: dict, contact_hours: dict | None) -> dict:
    """What a certificate of completion says beyond a certification: the course, the hours
    earned by domain, and what they count toward."""
    if track.get("kind") != "completion":
        return {}
    course_slug = (track.get("training") or {}).get("course")
    course_title = db.session.scalar(select(Course.title).where(Course.slug == course_slug)) if course_slug else None
    return {"course_title": course_title or track.get("title", ""), "contact_hours": contact_hours or {},
            "counts_toward": track.get("counts_toward") or ""}


def _create(holder: User, track: dict, *, by: User | None, now: datetime, cycle: int, edition: int,
            valid_from: date, summary: dict, renews: Certificate | None = None, record: dict | None = None,
            expires_on: date | None = None, corrects: Certificate | None = None) -> tuple[Certificate, bool]:
    """`record` holds what the certificate states beyond the track and the organization
    (a completion's course and hours). `expires_on`, when given, replaces the track's
    validity counted from `valid_from` (a correction keeps its cycle's end)."""
    legal_name = holder.legal_name.strip()
    if not legal_name:
        raise IssueRefused(_("%(name)s has no legal name on their account. They add it under My account "
                             "(or when they sign the code of ethics), exactly as on their ID.",
                             name=holder.display_name))
    try:
        with db.session.begin_nested():
            validity = track.get("validity_months")
            certificate = Certificate(
                number=next_number(track.get("number_prefix", "CERT"), now.year),
                code=secrets.token_urlsafe(CODE_BYTES), holder_id=holder.id, track=track["slug"],
                kind=track.get("kind", "certification"), track_title=track.get("title", track["slug"]),
                **organization(), **(record or {}), legal_name=legal_name, cycle=cycle, edition=edition,
                valid_from=valid_from,
                expires_on=expires_on or (add_months(valid_from, int(validity)) if validity else None),
                issued_at=now, issued_by_id=by.id if by else None, summary=summary,
                renews_id=renews.id if renews else None, corrects_id=corrects.id if corrects else None)
            db.session.add(certificate)
            db.session.flush()
            _store(certificate)
            db.session.flush()
    except IntegrityError:
        # Someone issued the same holder, track, cycle and edition a moment ago: that one stands.
        existing = _existing(holder.id, track["slug"], cycle, edition)
        if existing is None:
            raise
        return existing, False
    return certificate, True


def issue(holder: User, track: dict, eligibility: Eligibility, *, by: User | None, now: datetime,
          contact_hours: dict | None = None) -> tuple[Certificate, bool]:
    """The holder's first certificate for the track: (certificate, whether it is new).
    Issuing again returns the certificate already issued. `contact_hours` (by domain, from
    the holder's records) is what a certificate of completion lists."""
    existing = _existing(holder.id, track["slug"], 1, 1)
    if existing is not None:
        return existing, False
    if not eligibility.eligible:
        raise IssueRefused(_("%(name)s has not met every requirement yet (%(met)d of %(total)d met).",
                             name=holder.display_name, met=eligibility.met_count, total=len(eligibility.checks)))
    return _create(holder, track, by=by, now=now, cycle=1, edition=1, valid_from=now.date(),
                   summary={"requirements": eligibility.summary()},
                   record=_completion_fields(track, contact_hours))


def renew(current: Certificate, track: dict, eligibility: Eligibility, *, by: User | None, now: datetime
          ) -> tuple[Certificate, bool]:
    """The certificate for the next cycle, starting the day `current` expires."""
    existing = _existing(current.holder_id, current.track, current.cycle + 1, 1)
    if existing is not None:
        return existing, False
    if current.revoked_at is not None or current.superseded_by_id is not None:
        raise IssueRefused(_("Certificate %(number)s is %(status)s; only the certificate in force can be renewed.",
                             number=current.number, status=status_word(current.status(now.date()))))
    if not eligibility.eligible:
        raise IssueRefused(_("The renewal requirements are not met yet (%(met)d of %(total)d).",
                             met=eligibility.met_count, total=len(eligibility.checks)))
    return _create(current.holder, track, by=by, now=now, cycle=current.cycle + 1, edition=1,
                   valid_from=current.expires_on, summary={"renewal": eligibility.summary()}, renews=current)


def reissue(old: Certificate, track: dict, *, by: User, reason: str, now: datetime) -> Certificate:
    """A new certificate for the same cycle and dates (after a legal name change, say) that
    supersedes `old`; the old one keeps saying which certificate replaced it and why."""
    if not reason.strip():
        raise IssueRefused(_("Say why the certificate is reissued (for example: legal name changed)."))
    if old.revoked_at is not None or old.superseded_by_id is not None:
        raise IssueRefused(_("Certificate %(number)s is %(status)s; only a certificate in force can be reissued.",
                             number=old.number, status=status_word(old.status(now.date()))))
    new = _create(old.holder, track, by=by, now=now, cycle=old.cycle, edition=old.edition + 1,
                  valid_from=old.valid_from, summary={**(old.summary or {}), "reissue_of": old.number,
                                                      "reissue_reason": reason.strip()},
                  renews=old.renews, record={"course_title": old.course_title, "contact_hours": old.contact_hours,
                                             "counts_toward": old.counts_toward})[0]
    claimed = db.session.execute(update(Certificate).where(
        Certificate.id == old.id, Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None))
        .values(superseded_by_id=new.id, superseded_at=now, supersede_reason=reason.strip())).rowcount
    if not claimed:
        raise IssueRefused(_("Certificate %(number)s changed while you were reissuing it; reload and check.",
                             number=old.number))
    audit.record("certificate.superseded", object_type="certificate", object_id=old.id, subject_id=old.holder_id,
                 details={"number": old.number, "by_number": new.number}, actor=by)
    db.session.expire(old)
    return new


def status_word(status: str) -> str:
    """A certificate's status (Certificate.status) as a word for a sentence: "revoked"."""
    return {"valid": _("valid"), "upcoming": _("upcoming"), "expired": _("expired"), "revoked": _("revoked"),
            "superseded": _("superseded")}.get(status, status)


def correction_refused(old: Certificate, track: dict | None, today: date) -> str | None:
    """Why no corrected certificate can be issued for `old` today, or None when one can."""
    if old.revoked_at is None:
        return _("Certificate %(number)s is not revoked. A certificate in force is changed by reissuing it; "
                 "a corrected certificate replaces one that was revoked.", number=old.number)
    if old.corrected_by is not None:
        return _("Certificate %(number)s was already corrected by certificate %(correction)s.", number=old.number,
                 correction=old.corrected_by.number)
    if track is None:
        return _("The track “%(track)s” is no longer in the course files, so no certificate can be issued for it.",
                 track=old.track)
    if old.expires_on is not None and today >= old.expires_on:
        return _("Certificate %(number)s was for the cycle that ended on %(date)s: a corrected certificate would "
                 "already have expired.", number=old.number, date=long_date(old.expires_on))
    in_force = db.session.scalar(select(Certificate.number).where(
        Certificate.holder_id == old.holder_id, Certificate.track == old.track, Certificate.cycle == old.cycle,
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None)).limit(1))
    if in_force is not None:
        return _("Certificate %(number)s is in force for the same holder and cycle; to change what it says, "
                 "reissue that one.", number=in_force)
    return None


def correct(old: Certificate, track: dict | None, *, by: User, reason: str, now: datetime,
            contact_hours: dict | None = None) -> tuple[Certificate, bool]:
    """A corrected certificate for a revoked one: (certificate, whether it is new).

    It is a new certificate (new number and codes) for the same holder, track and cycle, the
    next edition, in the holder's current legal name, and it names the certificate it
    corrects (corrects_id, unique: one correction per revoked certificate, however many staff
    press the button at once). It is valid from the day it is issued, never backdated over
    the days the public record showed the old one revoked, until the day the revoked one
    would have expired, so the renewal cycle stays as it was. A completion lists the
    `contact_hours` in the holder's records now (the old list when not given)."""
    if not reason.strip():
        raise IssueRefused(_("Say what the corrected certificate corrects (for example: the wrong name was printed)."))
    refusal = correction_refused(old, track, now.date())
    if refusal:
        raise IssueRefused(refusal)
    latest_edition = db.session.scalar(select(func.max(Certificate.edition)).where(
        Certificate.holder_id == old.holder_id, Certificate.track == old.track, Certificate.cycle == old.cycle))
    kept = {key: value for key, value in (old.summary or {}).items() if key in ("requirements", "renewal")}
    record = (_completion_fields(track, contact_hours) if contact_hours is not None else
              {"course_title": old.course_title, "contact_hours": old.contact_hours,
               "counts_toward": old.counts_toward})
    try:
        new, created = _create(old.holder, track, by=by, now=now, cycle=old.cycle, edition=(latest_edition or 0) + 1,
                               valid_from=max(old.valid_from, now.date()), expires_on=old.expires_on,
                               summary={**kept, "corrects": old.number, "correction_reason": reason.strip()},
                               renews=old.renews, record=record, corrects=old)
    except IntegrityError:
        created, new = False, None
    if new is None or new.corrects_id != old.id:
        raise IssueRefused(_("Certificate %(number)s changed while you were correcting it; reload the page and check.",
                             number=old.number))
    return new, created


def revoke(certificate: Certificate, *, by: User, reason: str, now: datetime) -> None:
    """Mark the certificate revoked; the verification page and the status list change at once."""
    if not reason.strip():
        raise IssueRefused(_("Give the reason for revoking; it is shown on the public verification page."))
    number, holder_id = certificate.number, certificate.holder_id
    if not mark_revoked(certificate, by=by, reason=reason, now=now):
        raise IssueRefused(_("Certificate %(number)s is already revoked.", number=number))
    audit.record("certificate.revoked", object_type="certificate", object_id=certificate.id,
                 subject_id=holder_id, details={"number": number}, actor=by)
    certificate_revoked(certificate, by=by, reason=reason)
