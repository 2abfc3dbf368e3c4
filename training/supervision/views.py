"""Supervisors: their trainees. (Reviews, sign-offs and hours arrive with supervision.)"""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.access import role_required, trainee_for_reviewer_or_404
from training.extensions import db
from training.models import Enrolment, Module, Quiz, QuizAttempt, Role
from training.staff.cohorts import trainees_of

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
    return render_template("supervision/trainee.html", trainee=person, enrolments=enrolments, attempts=attempts)
