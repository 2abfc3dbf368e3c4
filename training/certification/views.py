"""Trainees and holders: the eligibility checklist, signing the code of ethics, "My
certificates" with downloads, the learner record, and continuing education toward renewal."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from training.access import role_required
from training.certification.checklist import where_to_act
from training.certification.forms import ContinuingEducationForm, SignForm
from training.certification.issuance import ensure_pdf
from training.certification.issuedrecords import issued_records
from training.certification.learnerrecord import gather_record
from training.certification.records import Proof, RecordRefused, add_continuing_education, attachment, sign
from training.certification.standing import issue_due, standing_for
from training.courses.published import document, tracks
from training.extensions import db
from training.mailer import external_url
from training.models import Certificate, ContinuingEducation, Role, utcnow

bp = Blueprint("certification", __name__)


def _my_standings():
    return [standing_for(track, current_user.id) for track in tracks().values()]


def _actions(standings) -> dict:
    """Per track, where the person acts on each requirement (for the checklists)."""
    return {standing.track["slug"]: where_to_act(standing.track) for standing in standings}


@bp.route("/certification")
@role_required(Role.TRAINEE)
def index():
    """Trainees: every requirement of each credential track, met or still to do."""
    standings = _my_standings()
    return render_template("certification/index.html", standings=standings, today=utcnow().date(),
                           actions=_actions(standings))


@bp.route("/certification/sign/<slug>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def sign_document(slug):
    """Trainees: read the code of ethics and sign its current version."""
    current = document(slug)
    if current is None or not any(slug == item.get("document") for track in tracks().values()
                                  for item in track.get("attestations") or []):
        abort(404)
    form = SignForm()
    if form.validate_on_submit():
        try:
            created = sign(current_user, current, form.legal_name.data, utcnow())[1]
        except RecordRefused as refusal:
            form.legal_name.errors.append(str(refusal))
        else:
            issue_due([current_user.id], utcnow())
            db.session.commit()
            flash(_("Thank you. You signed version %(version)s of the %(title)s.", version=current.version,
                    title=current.title) if created
                  else _("You had already signed version %(version)s.", version=current.version), "success")
            return redirect(url_for("certification.index"))
    return (render_template("certification/sign.html", document=current, form=form),
            422 if request.method == "POST" else 200)


@bp.route("/certificates")
@role_required(Role.TRAINEE)
def mine():
    """Holders: my certificates, their verification links and downloads, my learner record, and renewal."""
    return _mine_page(ContinuingEducationForm())


def _mine_page(form: ContinuingEducationForm) -> str:
    standings, now = _my_standings(), utcnow()
    return render_template("certification/mine.html", standings=standings, today=now.date(), form=form,
                           verify_link=_verify_link, verify_home=external_url("verify.form"),
                           actions=_actions(standings), record=gather_record(current_user, now),
                           issued=issued_records(current_user.id))


def _verify_link(certificate: Certificate) -> str:
    return external_url("verify.certificate", code=certificate.code)


def _readable_certificate(certificate_id: int, *columns) -> Certificate:
    """The holder's own certificate, or any for staff; everyone else gets 404."""
    certificate = db.session.scalar(select(Certificate).where(Certificate.id == certificate_id)
                                    .options(*(undefer(column) for column in columns)))
    if certificate is None or not (certificate.holder_id == current_user.id or current_user.has_role(Role.STAFF)):
        abort(404)
    return certificate


@bp.route("/certificates/<int:certificate_id>/certificate.pdf")
@role_required(Role.TRAINEE, Role.STAFF)
def pdf(certificate_id):
    """Holder and staff: the PDF exactly as rendered at issue."""
    certificate = _readable_certificate(certificate_id, Certificate.pdf)
    data = certificate.pdf or ensure_pdf(certificate.id)  # the job has not rendered it yet
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.number}.pdf"',
        "Cache-Control": "private, max-age=3600"})


@bp.route("/certificates/<int:certificate_id>/credential.jwt")
@role_required(Role.TRAINEE, Role.STAFF)
def credential(certificate_id):
    """Holder and staff: the signed Open Badges credential (VC-JWT) to put in a wallet."""
    certificate = _readable_certificate(certificate_id, Certificate.credential_jwt)
    return Response(certificate.credential_jwt, mimetype="application/vc+jwt", headers={
        "Content-Disposition": f'attachment; filename="{certificate.number}.jwt"'})


@bp.route("/certificates/continuing-education", methods=["POST"])
@role_required(Role.TRAINEE)
def add_ce():
    """Holders: log continuing education, with an optional proof file."""
    form = ContinuingEducationForm()
    if form.validate_on_submit():
        upload = form.proof.data
        proof = Proof(upload.filename or "proof", upload.read()) if upload and upload.filename else None
        try:
            add_continuing_education(current_user, topic=form.topic.data, title=form.title.data,
                                     provider=form.provider.data, completed_on=form.completed_on.data,
                                     hours=form.hours.data, proof=proof, today=utcnow().date())
        except RecordRefused as refusal:
            db.session.rollback()
            # The refusal is about the date (it says so in `field`) or else about the proof file.
            (form.proof if proof and refusal.field != "completed_on" else form.completed_on).errors.append(str(refusal))
        else:
            issue_due([current_user.id], utcnow())
            db.session.commit()
            flash(_("Your continuing education is logged."), "success")
            return redirect(url_for("certification.mine") + "#continuing-education")
    return _mine_page(form), 422


def _ce_record(record_id: int, *, staff_may: bool) -> ContinuingEducation:
    record = db.session.get(ContinuingEducation, record_id)
    if record is None or not (record.holder_id == current_user.id or (staff_may and current_user.has_role(Role.STAFF))):
        abort(404)
    return record


@bp.route("/certificates/continuing-education/<int:record_id>/proof")
@role_required(Role.TRAINEE, Role.STAFF)
def proof(record_id):
    """Holder and staff: the proof file as uploaded (always downloaded, never shown inline)."""
    record = _ce_record(record_id, staff_may=True)
    if not record.proof_size:
        abort(404)
    return attachment(record.proof, record.proof_type, f"proof-{record.id}")


@bp.route("/certificates/continuing-education/<int:record_id>/delete", methods=["POST"])
@role_required(Role.TRAINEE)
def delete_ce(record_id):
    """Holders: remove a record logged by mistake."""
    record = _ce_record(record_id, staff_may=False)
    db.session.delete(record)
    db.session.commit()
    flash(_("The record is removed."), "success")
    return redirect(url_for("certification.mine") + "#continuing-education")
