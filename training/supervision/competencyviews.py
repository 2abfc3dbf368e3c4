"""Trainees: the competency framework with their ratings, and sign-off requests with evidence."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from training.access import role_required
from training.certification.eligibility import required_competencies
from training.courses.published import framework, tracks
from training.extensions import db
from training.inputs import whole_number
from training.models import EVIDENCE_METHODS, Role, SignoffEvidence, SignoffRequest, SignoffStatus, StoryDraft, utcnow
from training.notifications.events import signoff_sent
from training.supervision.forms import EvidenceForm
from training.supervision.signoffs import (Evidence, SignoffRefused, met_competencies, request_rating,
                                           request_signoff, resubmit, standings, withdraw_request)

bp = Blueprint("competencies", __name__, url_prefix="/competencies")


@bp.route("/")
@role_required(Role.TRAINEE)
def index():
    """Trainees: every competency of the framework, with your ratings and requests, and which
    ones each credential track requires."""
    mine = standings(current_user.id)
    return render_template("competencies/index.html", framework=framework(), standings=mine,
                           met=met_competencies(current_user.id, mine),
                           required=required_competencies(tracks().values()))


def _evidence(form: EvidenceForm) -> Evidence:
    draft = form.story_draft.data
    return Evidence(happened_on=form.happened_on.data, setting=form.setting.data, method=form.method.data,
                    what_happened=form.what_happened.data, reflection=form.reflection.data or "",
                    story_draft_id=whole_number(draft))


def _evidence_form(starting_from: SignoffEvidence | None = None) -> EvidenceForm:
    """The evidence form; on a page that is not a submission, filled in from `starting_from`."""
    drafts = db.session.scalars(select(StoryDraft).where(StoryDraft.author_id == current_user.id)
                                .order_by(StoryDraft.title)).all()
    if starting_from is None or request.method == "POST":
        return EvidenceForm(drafts)
    return EvidenceForm(drafts, data={
        "happened_on": starting_from.happened_on, "setting": starting_from.setting, "method": starting_from.method,
        "what_happened": starting_from.what_happened, "reflection": starting_from.reflection,
        "story_draft": str(starting_from.story_draft_id or "")})


def _send(form, act, subject: str, message: str, done: str):
    """Run `act` (which returns the request); on success tell the supervisors, commit and go
    to the request; on refusal put the reason on the form and return None."""
    try:
        made = act()
    except SignoffRefused as refusal:
        db.session.rollback()
        form.form_errors.append(str(refusal))
        return None
    signoff_sent(made, subject, message)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("competencies.view_request", request_id=made.id))


@bp.route("/<code>/request", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new_request(code):
    """Trainees: ask for a competency to be signed off, with evidence."""
    competency = framework().competency(code)
    if competency is None:
        abort(404)
    form = _evidence_form()
    if form.validate_on_submit():
        sent = _send(form, lambda: request_signoff(current_user, code, _evidence(form), utcnow()),
                     _("A sign-off request to review"),
                     _("%(name)s asks for a sign-off of %(code)s %(competency)s.", name=current_user.display_name,
                       code=code, competency=competency.title),
                     _("Your request is sent. Your supervisor will review it."))
        if sent is not None:
            return sent
    status = 400 if request.method == "POST" else 200
    return render_template("competencies/new.html", competency=competency, form=form), status


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def view_request(request_id):
    """Trainees: one of your requests with its whole history; revise it when it was returned."""
    found = _own_request_or_404(request_id)
    # A revision starts from the evidence sent last time, with the supervisor's feedback above it.
    form = _evidence_form(found.evidence[-1] if found.status == SignoffStatus.RETURNED and found.evidence else None)
    if form.validate_on_submit():
        def revise():
            resubmit(found, current_user, _evidence(form), utcnow())
            return found
        sent = _send(form, revise, _("A revised sign-off request"),
                     _("%(name)s revised a sign-off request for %(code)s.", name=current_user.display_name,
                       code=found.competency),
                     _("Your revised evidence is sent."))
        if sent is not None:
            return sent
    status = 400 if request.method == "POST" else 200
    return render_template("competencies/request.html", found=found, competency=framework().competency(found.competency),
                           form=form, methods=EVIDENCE_METHODS, levels=framework(),
                           rating=request_rating(found) if found.status == SignoffStatus.APPROVED else None), status


def _own_request_or_404(request_id: int) -> SignoffRequest:
    found = db.session.get(SignoffRequest, request_id)
    if found is None or found.trainee_id != current_user.id:
        abort(404)
    return found


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@role_required(Role.TRAINEE)
def withdraw(request_id):
    """Trainees: withdraw your request before it is approved; it leaves your supervisors' queue and counts nowhere."""
    found = _own_request_or_404(request_id)
    try:
        withdraw_request(found, current_user, utcnow())
    except SignoffRefused as refusal:  # approved a moment before: the approval stands
        db.session.rollback()
        flash(str(refusal), "info")
    else:
        db.session.commit()
        flash(_("Your request is withdrawn: it has left your supervisors' queue and stays here marked “Withdrawn”. "
                "You can ask for a sign-off of this competency again whenever you are ready."), "success")
    return redirect(url_for("competencies.view_request", request_id=found.id))
