"""The home page: one dashboard, with a section for each role a person holds, each
answering "what now?"."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.certification.standing import standing_for
from training.courses.progress import catalogue, course_outline
from training.courses.published import tracks
from training.dashboard import summaries
from training.errors import RETRY_AFTER_SECONDS, database_answers, redis_answers
from training.extensions import commit_keeping_loaded, db
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


@bp.route("/livez")
def livez():
    """Public: the process is up (touches nothing else; the benchmark's trivial route)."""
    return {"status": "ok"}


@bp.route("/readyz")
@bp.route("/healthz")
def readyz():
    """Public: ready to serve: the database answers, and Redis too when rate limits are kept
    there; 503 naming what does not answer, so a load balancer takes this process out."""
    checks = {"database": database_answers()}
    if current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("redis"):
        checks["redis"] = redis_answers()
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    if not ready:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
        commit_keeping_loaded()  # the certification standings computed on the way
    return render_template("dashboard/home.html", **context)
