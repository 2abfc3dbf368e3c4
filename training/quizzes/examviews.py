"""A course's final exam: its rules, and the proctor opening an attempt in person.

The proctor (program staff, or a supervisor assigned to the trainee) types their own email
and password on the trainee's screen; that is how the platform knows they are there. Their
name is kept on the attempt. Answers are read by nobody until the attempt is graded, and the
questions are never shown back to trainees.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import InputRequired

from training.access import can_review, role_required
from training.auth.accounts import find_user_by_email
from training.auth.passwords import check_password
from training import audit
from training.extensions import db, limiter
from training.forms import email_field
from training.localization import lazy_gettext as _l
from training.models import Course, Quiz, QuizKind, Role, User, utcnow
from training.quizzes.attempts import CannotStart, standing, start_attempt
from training.quizzes.bank import quiz_size

bp = Blueprint("exam", __name__)


class ProctorForm(FlaskForm):
    email = email_field(_l("Proctor's email address"))
    password = PasswordField(_l("Proctor's password"),
                             validators=[InputRequired(_l("The proctor types their password."))],
                             render_kw={"autocomplete": "off"})


def _exam_or_404(course_slug: str) -> tuple[Course, Quiz]:
    course = db.session.scalar(select(Course).where(Course.slug == course_slug, Course.retired_at.is_(None)))
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.EXAM,
                                                Quiz.retired_at.is_(None))) if course else None
    if quiz is None:
        abort(404)
    return course, quiz


def may_proctor(proctor: User | None, trainee: User) -> bool:
    """Staff, or a supervisor assigned to the trainee; never the trainee themselves."""
    return (proctor is not None and proctor.id != trainee.id and proctor.is_active
            and (proctor.has_role(Role.STAFF) or can_review(proctor, trainee)))


@bp.route("/courses/<course_slug>/exam")
@login_required
def overview(course_slug):
    """Signed in: the final exam's rules; trainees see their results and how a proctor opens an attempt."""
    course, quiz = _exam_or_404(course_slug)
    mine = None
    if current_user.has_role(Role.TRAINEE):
        mine = standing(quiz, current_user.id, utcnow())
        if mine.finished_now:
            db.session.commit()  # an attempt whose time ran out was just submitted (and nothing else is written)
    return render_template("quizzes/exam.html", course=course, quiz=quiz, standing=mine, form=ProctorForm(),
                           size=quiz_size(quiz))


def _proctor_key() -> str:
    return f"proctor:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


@bp.route("/courses/<course_slug>/exam/start", methods=["POST"])
@role_required(Role.TRAINEE)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_proctor_key, scope="proctor")
def start(course_slug):
    """Trainees, with their proctor: the proctor signs with their own password to open an attempt."""
    course, quiz = _exam_or_404(course_slug)
    form = ProctorForm()
    if form.validate_on_submit():
        proctor = find_user_by_email(form.email.data)
        if not (check_password(proctor, form.password.data) and may_proctor(proctor, current_user)):
            form.password.errors.append(_("That did not work. The proctor must be program staff or one of your "
                                          "supervisors, signing with their own email and password."))
        else:
            try:
                attempt = start_attempt(quiz, current_user, utcnow(), proctor=proctor)
            except CannotStart as refusal:
                db.session.rollback()
                flash(str(refusal), "info")
                return redirect(url_for("exam.overview", course_slug=course_slug))
            audit.record("exam.opened", object_type="quiz_attempt", object_id=attempt.id, subject_id=current_user.id,
                         details={"proctor_id": proctor.id, "attempt": attempt.number}, actor=proctor)
            db.session.commit()
            flash(_("%(proctor)s opened this attempt. Save your answers as you go, and submit when you are done.",
                    proctor=proctor.display_name), "success")
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    db.session.rollback()
    mine = standing(quiz, current_user.id, utcnow())
    return render_template("quizzes/exam.html", course=course, quiz=quiz, standing=mine, form=form,
                           size=quiz_size(quiz)), 422
