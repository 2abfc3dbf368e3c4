"""Trainees: the competency framework with their ratings, and sign-off requests with evidence."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from training.access import role_required
from training.courses.published import framework
from training.extensions import db
from training.inputs import whole_number
from training.models import EVIDENCE_METHODS, Role, SignoffRequest, StoryDraft, utcnow
from training.supervision.forms import EvidenceForm
from training.supervision.queue import notify_supervisors
from training.supervision.signoffs import (Evidence, SignoffRefused, met_competencies, request_signoff, resubmit,
                                           standings)

bp = Blueprint("competencies", __name__, url_prefix="/competencies")


@bp.route("/")
@role_required(Role.TRAINEE)
def index():
    """Trainees: every competency of the framework, with your ratings and requests."""
    mine = standings(current_user.id)
    return render_template("competencies/index.html", framework=framework(), standings=mine,
                           met=met_competencies(current_user.id, mine))


def _evidence(form: EvidenceForm) -> Evidence:
    draft = form.story_draft.data
    return Evidence(happened_on=form.happened_on.data, setting=form.setting.data, method=form.method.data,
                    what_happened=form.what_happened.data, reflection=form.reflection.data or "",
                    story_draft_id=whole_number(draft))


def _evidence_form() -> EvidenceForm:
    drafts = db.session.scalars(select(StoryDraft).where(StoryDraft.author_id == current_user.id)
                                .order_by(StoryDraft.title)).all()
    return EvidenceForm(drafts)


def _send(form, act, subject: str, message: str, done: str):
    """Run `act` (which returns the request); on success tell the supervisors, commit and go
    to the request; on refusal put the reason on the form and return None."""
    try:
        made = act()
    except SignoffRefused as refusal:
        db.session.rollback()
        form.form_errors.append(str(refusal))
        return None
    notify_supervisors(current_user.id, subject, message, "supervision.signoff", request_id=made.id)
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
                     "A sign-off request to review",
                     f"{current_user.display_name} asks for a sign-off of {code} {competency.title}.",
                     "Your request is sent. Your supervisor will review it.")
        if sent is not None:
            return sent
    status = 400 if request.method == "POST" else 200
    return render_template("competencies/new.html", competency=competency, form=form), status


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def view_request(request_id):
    """Trainees: one of your requests with its whole history; revise it when it was returned."""
    found = db.session.get(SignoffRequest, request_id)
    if found is None or found.trainee_id != current_user.id:
        abort(404)
    form = _evidence_form()
    if form.validate_on_submit():
        def revise():
            resubmit(found, current_user, _evidence(form), utcnow())
            return found
        sent = _send(form, revise, "A revised sign-off request",
                     f"{current_user.display_name} revised a sign-off request for {found.competency}.",
                     "Your revised evidence is sent.")
        if sent is not None:
            return sent
    status = 400 if request.method == "POST" else 200
    return render_template("competencies/request.html", found=found, competency=framework().competency(found.competency),
                           form=form, methods=EVIDENCE_METHODS, levels=framework()), status
