"""Issued learner records: the holder (or staff for them) issues one; anyone with its link
checks it, like a certificate.

The link's random id is what finds a record: there is no search by name, and an unknown id
and a malformed one get the same answer. The public routes are rate limited per address,
like certificate verification.
"""
from __future__ import annotations

import json
import uuid

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from training.access import role_required
from training.certification import issuedrecords
from training.certification.forms import RecordRevokeForm
from training.certification.records import RecordRefused
from training.certification.transcript import holder_name, transcript_sections
from training.extensions import db, limiter
from training.localization import local_date, long_date
from training.models import IssuedLearnerRecord, Role, User, utcnow

bp = Blueprint("records", __name__, url_prefix="/learner-records")
PUBLIC = {"Access-Control-Allow-Origin": "*"}  # wallets and verifiers read it from anywhere
limit = limiter.limit(lambda: current_app.config["VERIFY_LIMIT_PER_IP"], scope="verify")


def _find(public_id: str, *columns) -> IssuedLearnerRecord:
    """The record with this public id, or the not-found page (the same for a malformed id)."""
    try:
        canonical = str(uuid.UUID(public_id))
    except ValueError:
        canonical = None
    found = canonical and db.session.scalar(select(IssuedLearnerRecord).where(IssuedLearnerRecord.public_id == canonical)
                                            .options(*(undefer(column) for column in columns)))
    if not found:
        abort(Response(render_template("records/not_found.html"), 404, {"Cache-Control": "no-store"}))
    return found


@bp.route("/issue/<int:holder_id>", methods=["POST"])
@role_required(Role.TRAINEE, Role.STAFF)
def issue(holder_id):
    """Holder, or staff for them: issue the learner record as of now (the last one again when
    nothing has changed since)."""
    holder = db.session.get(User, holder_id)
    if holder is None or not (holder.id == current_user.id or current_user.has_role(Role.STAFF)):
        abort(404)
    issued, created = issuedrecords.issue(holder, by=current_user, now=utcnow())
    if issued is None:
        return render_template("certification/no_record.html", own=holder.id == current_user.id), 422
    db.session.commit()
    if created:
        flash(_("The learner record is issued. Share its link, or download it below."), "success")
    else:
        flash(_("Nothing has changed since the learner record of %(date)s, so that record still stands. "
                "Share its link, or download it below.", date=long_date(local_date(issued.issued_at))), "success")
    return redirect(url_for("records.record", public_id=issued.public_id))


@bp.route("/<public_id>")
@limit
def record(public_id):
    """Anyone with the link: the record's holder, issuer, date, status and achievements."""
    return _page(_find(public_id, IssuedLearnerRecord.credential_json)), 200, {
        "Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}


def _page(found: IssuedLearnerRecord, form: RecordRevokeForm | None = None) -> str:
    """The record's page; its holder and staff also learn whether a newer record exists, and
    staff get the form to revoke it."""
    credential = json.loads(found.credential_json)
    name = holder_name(credential)
    own = current_user.is_authenticated and current_user.id == found.holder_id
    staff = current_user.is_authenticated and current_user.has_role(Role.STAFF)
    newer = db.session.scalar(select(IssuedLearnerRecord.public_id).where(
        IssuedLearnerRecord.holder_id == found.holder_id, IssuedLearnerRecord.issued_at > found.issued_at)
        .order_by(IssuedLearnerRecord.issued_at.desc()).limit(1)) if own or staff else None
    if staff and not found.revoked_at:
        form = form or RecordRevokeForm()
    return render_template("records/record.html", record=found, credential=credential, name=name,
                           sections=transcript_sections(credential), own=own, staff=staff, newer=newer, form=form)


@bp.route("/<public_id>/learner-record.jwt")
@limit
def jwt(public_id):
    """Anyone with the link: the signed ClrCredential (VC-JWT)."""
    found = _find(public_id, IssuedLearnerRecord.credential_jwt)
    return Response(found.credential_jwt, mimetype="application/vc+jwt", headers={
        **PUBLIC, "Content-Disposition": 'attachment; filename="learner-record.jwt"'})


@bp.route("/<public_id>/learner-record.json")
@limit
def as_json(public_id):
    """Anyone with the link: the same credential unsigned, to read (the .jwt is what verifies)."""
    found = _find(public_id, IssuedLearnerRecord.credential_json)
    return Response(found.credential_json, mimetype="application/json", headers={
        **PUBLIC, "Content-Disposition": 'attachment; filename="learner-record.json"',
        "Link": f'<{url_for("records.jwt", public_id=found.public_id)}>; rel="alternate"; type="application/vc+jwt"'})


@bp.route("/<public_id>/transcript.pdf")
@limit
def transcript(public_id):
    """Anyone with the link: the readable PDF transcript of the same record."""
    found = _find(public_id, IssuedLearnerRecord.transcript_pdf)
    data = found.transcript_pdf or issuedrecords.ensure_transcript(found.id)  # the job has not rendered it yet
    return Response(data, mimetype="application/pdf", headers={
        **PUBLIC, "Content-Disposition": 'attachment; filename="transcript.pdf"'})


@bp.route("/<public_id>/revoke", methods=["POST"])
@role_required(Role.STAFF)
def revoke(public_id):
    """Staff: revoke an issued learner record, with the reason shown on its page."""
    found = _find(public_id, IssuedLearnerRecord.credential_json)
    form = RecordRevokeForm()
    if form.validate_on_submit():
        try:
            issuedrecords.revoke(found, by=current_user, reason=form.reason.data, now=utcnow())
        except RecordRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("The learner record is revoked. Its page and the public revocation list say so now; the holder "
                    "can issue a new one from their records."), "success")
        return redirect(url_for("records.record", public_id=found.public_id))
    return _page(found, form), 422
