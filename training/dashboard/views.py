"""The home page: one dashboard, with a section for each role a person holds."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from training.extensions import db
from training.models import Cohort, Enrolment, OutboxMessage, Role, SupervisorAssignment, User
from training.staff.cohorts import trainees_of

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    """Public: the front page sends signed-in people to their dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return render_template("dashboard/welcome.html")


@bp.route("/healthz")
def healthz():
    """Public: a trivial liveness check (also the benchmark's baseline route)."""
    return {"status": "ok"}


@bp.route("/dashboard")
@login_required
def home():
    """Signed in: what each of your roles needs next."""
    context = {}
    if current_user.has_role(Role.TRAINEE):
        context["enrolments"] = db.session.scalars(
            select(Enrolment).options(selectinload(Enrolment.cohort))
            .where(Enrolment.trainee_id == current_user.id)).all()
        context["my_supervisors"] = db.session.scalars(
            select(SupervisorAssignment).options(selectinload(SupervisorAssignment.supervisor))
            .where(SupervisorAssignment.trainee_id == current_user.id)
            .order_by(SupervisorAssignment.is_primary.desc())).all()
    if current_user.has_role(Role.SUPERVISOR):
        context["my_trainees"] = trainees_of(current_user)
    if current_user.has_role(Role.STAFF):
        context["counts"] = {
            "people": db.session.scalar(select(func.count(User.id))),
            "pending": db.session.scalar(select(func.count(User.id)).where(User.password_hash.is_(None))),
            "cohorts": db.session.scalar(select(func.count(Cohort.id))),
            "mail": db.session.scalar(select(func.count(OutboxMessage.id))),
        }
    return render_template("dashboard/home.html", **context)
