"""Eligibility: trainees confirm education, jurisdiction and lived experience and write a
statement of lived experience; supervisors read statements; staff check education documents.

A statement is read only by its author and the supervisors assigned to them; staff see its
status and length, never its text.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from training.access import role_required, trainee_for_reviewer_or_404
from training.certification.attesting import (EDUCATION_CHOICES, JURISDICTION_CHOICES, add_education_proof, attest,
                                              attestations_of, count_words, mark_checked, review_statement,
                                              statements_of, submit_statement)
from training.certification.forms import AttestForm, ProofForm, StatementForm, StatementReviewForm
from training.certification.records import Proof, RecordRefused, attachment
from training.certification.standing import issue_due
from training.courses.published import document, tracks
from training.extensions import db
from training.models import EligibilityRecord, LivedExperienceStatement, Role, StatementStatus, utcnow
from training.notifications.events import statement_reviewed, statement_sent

bp = Blueprint("eligibility", __name__)
CHOICES = {"education": EDUCATION_CHOICES, "jurisdiction": JURISDICTION_CHOICES}
ATTESTED_KINDS = ("education", "jurisdiction", "lived-experience")


def _item_or_404(track_slug: str, kind: str) -> tuple[dict, dict]:
    """The track and its eligibility item of this kind, or 404."""
    track = tracks().get(track_slug)
    item = next((i for i in (track or {}).get("eligibility") or [] if i.get("kind") == kind), None)
    if item is None:
        abort(404)
    return track, item


def _wording(item: dict):
    wording = document(item.get("document") or f"eligibility-{item['kind']}")
    if wording is None:
        abort(404)
    return wording


def _upload(field) -> Proof | None:
    upload = field.data
    return Proof(upload.filename or "proof", upload.read()) if upload and getattr(upload, "filename", "") else None


@bp.route("/certification/<track_slug>/eligibility/<kind>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def confirm(track_slug, kind):
    """Trainees: read the wording (education, where you live or work, lived experience) and confirm it."""
    if kind not in ATTESTED_KINDS:
        abort(404)
    track, item = _item_or_404(track_slug, kind)
    wording, region = _wording(item), item.get("region") or ""
    records = [r for r in attestations_of(current_user.id) if r.kind == kind and r.region == region]
    current = next((r for r in records if r.version == wording.version), None)
    form = AttestForm(CHOICES.get(kind))
    if kind != "education":
        del form.proof
    if form.validate_on_submit():
        proof = _upload(form.proof) if kind == "education" else None
        try:
            _record, created = attest(current_user, kind, wording, now=utcnow(), region=region,
                                      detail=form.detail.data if "detail" in form else "", proof=proof)
        except RecordRefused as refusal:
            db.session.rollback()
            (form.proof if proof and kind == "education" else form.confirm).errors.append(str(refusal))
        else:
            issue_due([current_user.id], utcnow())
            db.session.commit()
            flash(_("Thank you: your confirmation is recorded with today's date and the version you read. "
                    "Here is what is left for the credential.") if created else _("You had already confirmed this."),
                  "success")
            return redirect(url_for("certification.index") + f"#track-{track_slug}")
    return render_template("eligibility/confirm.html", track=track, item=item, wording=wording,
                           body=wording.body.replace("{region}", region), form=form, current=current,
                           records=records, proof_form=ProofForm()), 422 if request.method == "POST" else 200


@bp.route("/certification/<track_slug>/eligibility/education/proof", methods=["POST"])
@role_required(Role.TRAINEE)
def add_proof(track_slug):
    """Trainees: add a copy of the diploma or equivalency to the education confirmation."""
    track, item = _item_or_404(track_slug, "education")
    wording = _wording(item)
    record = db.session.scalar(select(EligibilityRecord).where(
        EligibilityRecord.user_id == current_user.id, EligibilityRecord.kind == "education",
        EligibilityRecord.version == wording.version))
    form = ProofForm()
    if record is None or not form.validate_on_submit():
        flash(_("Please confirm your education first, then choose the file.") if record is None
              else _("Please choose the file to upload."), "error")
        return redirect(url_for("eligibility.confirm", track_slug=track_slug, kind="education"))
    try:
        add_education_proof(record, _upload(form.proof))
    except RecordRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("eligibility.confirm", track_slug=track_slug, kind="education"))
    db.session.commit()
    flash(_("Your document is uploaded. Program staff will look at it and mark it as checked."), "success")
    return redirect(url_for("certification.index") + f"#track-{track_slug}")


@bp.route("/certification/<track_slug>/statement", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def statement(track_slug):
    """Trainees: write the statement of lived experience and send it to your supervisors."""
    track, item = _item_or_404(track_slug, "statement")
    guidance, min_words = _wording(item), int(item.get("min_words") or 1)
    history = statements_of(current_user.id)
    latest = history[0] if history else None
    form = StatementForm()
    if request.method == "GET" and latest is not None:
        db.session.refresh(latest, ["text"])
        form.text.data = latest.text  # a returned statement is revised from where it was
    if form.validate_on_submit():
        try:
            sent = submit_statement(current_user, form.text.data, guidance, min_words=min_words, now=utcnow())
        except RecordRefused as refusal:
            db.session.rollback()
            form.text.errors.append(str(refusal))
        else:
            statement_sent(sent, current_user)
            db.session.commit()
            flash(_("Your statement is sent to your supervisor. You will see their decision here, and on your "
                    "certification checklist."), "success")
            return redirect(url_for("eligibility.statement", track_slug=track_slug))
    words = count_words(form.text.data or "")
    return render_template("eligibility/statement.html", track=track, guidance=guidance, min_words=min_words,
                           form=form, history=history, latest=latest, words=words,
                           waiting=latest is not None and latest.status == StatementStatus.PENDING), \
        422 if request.method == "POST" else 200


@bp.route("/supervision/statements/<int:statement_id>", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def review(statement_id):
    """Supervisors: read a trainee's statement of lived experience; accept it or return it with feedback."""
    found = db.session.scalar(select(LivedExperienceStatement).where(LivedExperienceStatement.id == statement_id)
                              .options(undefer(LivedExperienceStatement.text)))
    if found is None:
        abort(404)
    trainee = trainee_for_reviewer_or_404(current_user, found.user_id)
    form = StatementReviewForm()
    if found.status == StatementStatus.PENDING and form.validate_on_submit():
        try:
            review_statement(found, by=current_user, accept=form.outcome.data == "accept",
                             feedback=form.feedback.data or "", now=utcnow())
        except RecordRefused as refusal:
            db.session.rollback()
            form.feedback.errors.append(str(refusal))
        else:
            statement_reviewed(found, current_user)
            issue_due([trainee.id], utcnow())
            db.session.commit()
            flash(_("Your decision is recorded and %(name)s can see it. Next: the rest of your review queue.",
                    name=trainee.display_name), "success")
            return redirect(url_for("supervision.queue"))
    return render_template("eligibility/review.html", statement=found, trainee=trainee, form=form), \
        422 if request.method == "POST" else 200


@bp.route("/staff/certification/eligibility/<int:record_id>/proof")
@role_required(Role.STAFF)
def proof(record_id):
    """Staff: the education document as uploaded (always downloaded, never shown inline)."""
    record = db.session.scalar(select(EligibilityRecord).where(EligibilityRecord.id == record_id)
                               .options(undefer(EligibilityRecord.proof)))
    if record is None or not record.proof_size:
        abort(404)
    return attachment(record.proof, record.proof_type, f"education-{record.id}")


@bp.route("/staff/certification/eligibility/<int:record_id>/checked", methods=["POST"])
@role_required(Role.STAFF)
def checked(record_id):
    """Staff: mark the education document as checked (recorded once, with who and when)."""
    record = db.session.get(EligibilityRecord, record_id)
    if record is None:
        abort(404)
    try:
        mark_checked(record, by=current_user, now=utcnow())
    except RecordRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        issue_due([record.user_id], utcnow())
        db.session.commit()
        flash(_("The document is marked as checked."), "success")
    back = request.form.get("track") or next(iter(tracks()), "")
    return redirect(url_for("certstaff.trainee", slug=back, trainee_id=record.user_id) + "#eligibility")
