"""Supervisors: their trainees, and the review queue (hours to verify, essays to mark)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.access import role_required, trainee_for_reviewer_or_404
from training.extensions import db
from training.models import Enrolment, HoursEntry, Module, Quiz, QuizAttempt, Role, utcnow
from training.staff.cohorts import trainees_of
from training.supervision.forms import DecisionForm
from training.supervision.queue import essays_to_mark
from training.supervision.hours import (ACTIVITY_LABELS, HoursRefused, decide, pending_entries, progress,
                                        track_requirements, trainee_entries, verified_minutes)

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


@bp.route("/trainees")
@role_required(Role.SUPERVISOR)
def trainees():
    """Supervisors: the trainees assigned to you."""
    return render_template("supervision/trainees.html", trainees=trainees_of(current_user))


@bp.route("/trainees/<int:trainee_id>")
@role_required(Role.SUPERVISOR)
def trainee(trainee_id):
    """Supervisors: one of your trainees (anyone else's: 404)."""
    person = trainee_for_reviewer_or_404(current_user, trainee_id)
    enrolments = db.session.scalars(select(Enrolment).options(selectinload(Enrolment.cohort))
                                    .where(Enrolment.trainee_id == person.id)).all()
    attempts = db.session.scalars(
        select(QuizAttempt).join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.user_id == person.id)
        .options(selectinload(QuizAttempt.quiz).selectinload(Quiz.module))
        .order_by(Module.position, QuizAttempt.number)).all()
    entries = trainee_entries(person.id)
    return render_template("supervision/trainee.html", trainee=person, enrolments=enrolments, attempts=attempts,
                           entries=entries, labels=ACTIVITY_LABELS,
                           progress=progress(track_requirements(), verified_minutes(entries)))


@bp.route("/queue")
@role_required(Role.SUPERVISOR)
def queue():
    """Supervisors: hours to verify and essay answers to mark from your own trainees, oldest first."""
    return render_template("supervision/queue.html", entries=pending_entries(current_user),
                           attempts=essays_to_mark(current_user), labels=ACTIVITY_LABELS, form=DecisionForm())


@bp.route("/hours/<int:entry_id>/decide", methods=["POST"])
@role_required(Role.SUPERVISOR)
def decide_hours(entry_id):
    """Supervisors: verify or reject one of your trainee's entries (anyone else's: 404)."""
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None:
        abort(404)
    trainee_for_reviewer_or_404(current_user, entry.trainee_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("Please choose verify or reject.", "error")
        return redirect(url_for("supervision.queue") + f"#entry-{entry.id}")
    try:
        decide(entry, current_user, form.decision.data, form.reason.data or "", utcnow())
    except HoursRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("supervision.queue") + f"#entry-{entry.id}")
    db.session.commit()
    flash(f"The entry of {entry.trainee.display_name} is {form.decision.data}.", "success")
    return redirect(url_for("supervision.queue"))
