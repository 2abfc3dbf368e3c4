"""Who may do what. Flask-Login says who someone is; these rules say what they may do.

Wrong role: 403. Someone else's object: 404, so nothing can be enumerated.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from training.extensions import db
from training.inputs import whole_number
from training.models import Role, SupervisorAssignment, User
from training.notifications.delivery import UNREAD_OF_USER


# The person, their roles (every page checks them) and their unread notifications (the menu
# shows the count) in one query, built once: building it per request, or session.get with
# loader options, costs more than running it.
_SIGNED_IN = (select(User, UNREAD_OF_USER).options(joinedload(User.role_rows))
              .where(User.id == bindparam("user_id")))


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session key, so a password change or
    reset signs the person out of every other session."""
    ident, _, session_key = user_id.partition(":")
    number = whole_number(ident)
    if number is None or not session_key:
        return None
    row = db.session.execute(_SIGNED_IN, {"user_id": number}).unique().one_or_none()
    if row is None or row[0].session_key != session_key or not row[0].is_active:
        return None
    user = row[0]
    user.unread_when_loaded = row[1]  # for the menu (notifications.delivery.menu_unread)
    return user


def role_required(*roles: Role):
    """Allow signed-in people who hold at least one of `roles`; others get 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def supervises(supervisor: User, trainee_id: int) -> bool:
    """True when `supervisor` is assigned (primary or additional) to the trainee."""
    return db.session.scalar(
        select(SupervisorAssignment.id).where(
            SupervisorAssignment.supervisor_id == supervisor.id,
            SupervisorAssignment.trainee_id == trainee_id)) is not None


def supervised_trainee_ids(supervisor: User):
    """A subquery of the ids of the trainees assigned to `supervisor`, never themselves
    (for `Model.trainee_id.in_(...)`)."""
    return select(SupervisorAssignment.trainee_id).where(SupervisorAssignment.supervisor_id == supervisor.id,
                                                         SupervisorAssignment.trainee_id != supervisor.id)


def can_review(user: User, trainee: User) -> bool:
    """A supervisor may review the records of their own trainees, and nobody their own."""
    return (user.id != trainee.id and user.has_role(Role.SUPERVISOR)
            and supervises(user, trainee.id))


def can_view_trainee(user: User, trainee: User) -> bool:
    """Staff see every trainee's records; supervisors their own; a trainee only theirs."""
    return user.id == trainee.id or user.has_role(Role.STAFF) or can_review(user, trainee)


def trainee_for_reviewer_or_404(user: User, trainee_id: int) -> User:
    """The trainee if `user` may review them; otherwise 404 (never 403, to hide existence)."""
    trainee = db.session.get(User, trainee_id)
    if trainee is None or not trainee.has_role(Role.TRAINEE) or not can_review(user, trainee):
        abort(404)
    return trainee
