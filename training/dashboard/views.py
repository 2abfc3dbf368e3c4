"""The home page: one dashboard, with a section for each role a person holds, each
answering "what now?"."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.certification.standing import standing_for
from training.courses.progress import catalogue, course_outline
from training.courses.published import tracks
from training.dashboard import summaries
from training.certification import stored
from training.extensions import db
from training.models import Role, SupervisorAssignment, utcnow
from training.notifications.delivery import recent_unread
from training.supervision.overview import overview
from training.supervision.queue import waiting_count

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


def _trainee_context(user) -> dict:
    courses = []
    for course, total, done in catalogue(user.id):
        if total:
            outline = course_outline(course, user.id, apply_locks=True)
            courses.append({"outline": outline, "next_step": outline.next_step(), "resume": outline.resume()})
    return {
        "courses": courses,
        "standings": [standing_for(track, user.id) for track in tracks().values()],
        "pending": summaries.pending_for_trainee(user.id),
        "my_supervisors": db.session.scalars(
            select(SupervisorAssignment).options(selectinload(SupervisorAssignment.supervisor))
            .where(SupervisorAssignment.trainee_id == user.id)
            .order_by(SupervisorAssignment.is_primary.desc())).all(),
    }


def _supervisor_context(user, now) -> dict:
    rows, quiz_count, pages = overview(user, per_page=summaries.TRAINEES_SHOWN)
    return {"waiting": summaries.oldest_waiting(user), "waiting_total": waiting_count(user),
            "inactive": summaries.inactive_trainees(user, now), "trainee_rows": rows, "quiz_count": quiz_count, "trainee_count": pages.total,
            "inactive_days": summaries.INACTIVE_DAYS}


def _staff_context(today) -> dict:
    invited, oldest_invites = summaries.invited_not_joined()
    return {"cohorts": summaries.cohort_progress(), "invited": invited, "oldest_invites": oldest_invites,
            "ready": summaries.ready_to_issue(today), "expiring": summaries.expiring_soon(today),
            "expiry_days": summaries.EXPIRY_DAYS, "failed_mail": summaries.failed_mail(),
            "counts": summaries.staff_counts()}


@bp.route("/dashboard")
@login_required
def home():
    """Signed in: what each of your roles needs next."""
    now = utcnow()
    context = {"updates": recent_unread(current_user)}
    if current_user.has_role(Role.TRAINEE):
        context.update(_trainee_context(current_user))
    if current_user.has_role(Role.SUPERVISOR):
        context.update(_supervisor_context(current_user, now))
    if current_user.has_role(Role.STAFF):
        context.update(_staff_context(now.date()))
        stored.keep()  # the certification standings computed on the way
    return render_template("dashboard/home.html", **context)
