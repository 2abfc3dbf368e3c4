"""Creating accounts, invitations and password resets, as plain functions.

These add and flush; the view or CLI command that calls them commits.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from training.auth.passwords import set_password
from training.auth.tokens import LIFETIMES, consume_token, issue_token
from training.extensions import db
from training.mailer import send_mail
from training.models import AccountToken, Cohort, Role, TokenPurpose, User, normalise_email, utcnow
from training.models.users import new_session_key


class AccountError(ValueError):
    """A request that cannot be carried out; the message is safe to show."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(email: str, display_name: str, roles, *, legal_name: str = "",
                   password: str | None = None) -> User:
    """A new account with `roles`. Raises AccountError if the email is taken."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with this email address already exists."))
    user = User(email=email, display_name=display_name.strip(), legal_name=legal_name.strip())
    for role in roles:
        user.grant(Role(role))
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def invite_person(email: str, display_name: str, role: Role, invited_by: User, link_for,
                  cohort: Cohort | None = None) -> User:
    """Create an account without a password and email a link to set one.

    `link_for(secret)` turns the link secret into a full URL. A trainee may be enrolled
    in `cohort` straight away.
    """
    from training.staff.cohorts import enrol_trainee  # the staff feature owns enrolment rules
    user = create_account(email, display_name, [role])
    if cohort is not None:
        if role is not Role.TRAINEE:
            raise AccountError(_("Only trainees are enrolled in a cohort."))
        enrol_trainee(cohort, user)
    send_invitation(user, invited_by, link_for)
    return user


def send_invitation(user: User, invited_by: User, link_for) -> None:
    """Email a fresh set-up link; any earlier invitation link stops working."""
    link = link_for(issue_token(user, TokenPurpose.INVITE, created_by=invited_by))
    send_mail(user.email, _("You are invited to the peer support training platform"),
              render_template("email/invite.txt", user=user, inviter=invited_by,
                              roles=sorted(role.value for role in user.roles), link=link,
                              days=LIFETIMES[TokenPurpose.INVITE].days), secret=link)


def accept_invite(token: AccountToken, display_name: str, legal_name: str, password: str) -> User | None:
    """Set the invitee's names and password. None if the link was used meanwhile."""
    if not consume_token(token):
        return None
    user = token.user
    user.display_name = display_name.strip()
    user.legal_name = legal_name.strip()
    set_password(user, password)
    return user


def request_password_reset(email: str, link_for) -> None:
    """Email a reset link if an active account has this address; otherwise do nothing.

    The caller shows the same message either way, so the form reveals nobody's account.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active_account or not user.has_password:
        return
    link = link_for(issue_token(user, TokenPurpose.PASSWORD_RESET))
    send_mail(user.email, _("Reset your password"),
              render_template("email/password_reset.txt", user=user, link=link), secret=link)


def reset_password(token: AccountToken, password: str) -> User | None:
    """Set a new password from a reset link and sign the person out everywhere else.

    None if the link was used by another request in the meantime.
    """
    if not consume_token(token):
        return None
    user = token.user
    change_password(user, password)
    return user


def change_password(user: User, password: str) -> None:
    """New password; a new session key ends every other signed-in session."""
    set_password(user, password)
    end_sessions(user)


def lock(user: User) -> None:
    """Take the person's row lock until the transaction ends (PostgreSQL; SQLite has one writer
    at a time anyway): their rules that span rows (24 hours a day, one open request per
    competency) are checked and written by one request at a time."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def end_sessions(user: User) -> None:
    """A new session key: every session and remember-me cookie of this person stops working."""
    user.session_key = new_session_key()


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
