"""Program staff: results of exams taken outside the platform (record, correct, evidence)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from training.access import role_required
from training.certification.exams import record_exam_result, results_for
from training.certification.forms import ExamResultForm
from training.certification.records import Proof, RecordRefused, attachment
from training.certification.standing import issue_due
from training.courses.published import tracks
from training.extensions import db
from training.models import ExamResult, Role, User, utcnow

bp = Blueprint("exams", __name__, url_prefix="/staff/certification")


def _external_track_or_404(slug: str) -> dict:
    track = tracks().get(slug)
    if track is None or (track.get("exam") or {}).get("type") != "external":
        abort(404)
    return track


def _trainee_or_404(trainee_id: int) -> User:
    person = db.session.get(User, trainee_id)
    if person is None or not person.has_role(Role.TRAINEE):
        abort(404)
    return person


def _record(form: ExamResultForm, person: User, track: dict, corrects: ExamResult | None) -> ExamResult | None:
    """Keep the result the form describes, or put the refusal on the form's field; None when refused."""
    upload = form.evidence.data
    evidence = Proof(upload.filename or "evidence", upload.read()) if upload and getattr(upload, "filename", "") \
        else None
    try:
        return record_exam_result(person, track, taken_on=form.taken_on.data, passed={"pass": True, "fail": False}.get(
            form.passed.data), score=form.score.data, evidence=evidence, by=current_user, now=utcnow(),
            corrects=corrects, reason=(form.reason.data or "") if "reason" in form else "")
    except RecordRefused as refusal:
        db.session.rollback()
        field = getattr(form, refusal.field or "", None) or (form.evidence if evidence else form.taken_on)
        field.errors.append(str(refusal))
        return None


@bp.route("/<slug>/trainees/<int:trainee_id>/exam", methods=["GET", "POST"])
@role_required(Role.STAFF)
def results(slug, trainee_id):
    """Staff: every exam result recorded for a trainee, and a form to record a new one."""
    track, person = _external_track_or_404(slug), _trainee_or_404(trainee_id)
    form = ExamResultForm()
    del form.reason
    if form.validate_on_submit() and _record(form, person, track, None) is not None:
        issue_due([person.id], utcnow())
        db.session.commit()
        flash(_("The result is recorded for %(name)s. It shows on their certification checklist now; "
                "if they meet every requirement, they appear under Ready to issue.", name=person.display_name),
              "success")
        return redirect(url_for("exams.results", slug=slug, trainee_id=trainee_id))
    recorded = results_for(person.id, slug)
    corrected = {result.corrects_id for result in recorded if result.corrects_id}
    return render_template("exams/results.html", track=track, person=person, form=form, results=recorded,
                           corrected=corrected), 422 if request.method == "POST" else 200


@bp.route("/exam-results/<int:result_id>/correct", methods=["GET", "POST"])
@role_required(Role.STAFF)
def correct(result_id):
    """Staff: correct a result that was recorded wrongly: a new record, with the reason, that names it."""
    original = db.session.get(ExamResult, result_id)
    if original is None:
        abort(404)
    track, person = _external_track_or_404(original.track), _trainee_or_404(original.trainee_id)
    if db.session.scalar(select(ExamResult.id).where(ExamResult.corrects_id == original.id)) is not None:
        flash(_("That result was already corrected; correct the newer record instead."), "info")
        return redirect(url_for("exams.results", slug=original.track, trainee_id=person.id))
    form = ExamResultForm(data={"taken_on": original.taken_on, "passed": "pass" if original.passed else "fail",
                                "score": original.score} if request.method == "GET" else None)
    if form.validate_on_submit() and _record(form, person, track, original) is not None:
        issue_due([person.id], utcnow())
        db.session.commit()
        flash(_("The correction is recorded; the earlier result stays on record, marked as corrected."), "success")
        return redirect(url_for("exams.results", slug=original.track, trainee_id=person.id))
    return render_template("exams/correct.html", track=track, person=person, original=original, form=form), \
        422 if request.method == "POST" else 200


@bp.route("/exam-results/<int:result_id>/evidence")
@role_required(Role.STAFF)
def evidence(result_id):
    """Staff: the evidence file as uploaded (always downloaded, never shown inline)."""
    result = db.session.scalar(select(ExamResult).where(ExamResult.id == result_id)
                               .options(undefer(ExamResult.evidence)))
    if result is None or not result.evidence_size:
        abort(404)
    return attachment(result.evidence, result.evidence_type, f"exam-result-{result.id}")
