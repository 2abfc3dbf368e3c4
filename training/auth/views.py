"""Sign in and out, password resets, invitations and (optional) registration."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from training import audit
from training.auth import accounts
from training.auth.forms import AcceptInviteForm, LoginForm, NewPasswordForm, RegisterForm, ResetRequestForm
from training.auth.passwords import check_password
from training.auth.tokens import find_usable_token
from training.errors import render_error
from training.extensions import db, limiter
from training.localization import lazy_gettext as _l
from training.mailer import external_url
from training.models import Role, TokenPurpose, normalise_email

bp = Blueprint("auth", __name__)

LOGIN_FAILED = _l("That email and password do not match an account. Please check both and try again.")


def _login_failed(response) -> bool:
    # Only failed attempts count toward the limits; signing in successfully is free.
    return response.status_code != 302


def _account_key() -> str:
    """One account from one address: someone guessing elsewhere cannot lock its owner out."""
    return f"login-account:{get_remote_address()}:" + normalise_email(request.form.get("email", ""))[:254]


def _account_everywhere_key() -> str:
    return "login-account-all:" + normalise_email(request.form.get("email", ""))[:254]


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_login_failed, scope="login-ip")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_login_failed, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE"], methods=["POST"],
               key_func=_account_everywhere_key, deduct_when=_login_failed, scope="login-account-all")
def login():
    """Public: sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if check_password(user, form.password.data) and user.is_active:
            login_user(user, remember=form.remember.data)
            accounts.record_login(user)
            audit.record("auth.signed_in", object_type="user", object_id=user.id, subject_id=user.id, actor=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.home"))
        db.session.rollback()
        audit.record("auth.sign_in_failed", subject_id=user.id if user is not None else None,
                     details={"email": normalise_email(form.email.data)[:254]})
        db.session.commit()
        form.form_errors.append(str(LOGIN_FAILED))
    return render_template("auth/login.html", form=form,
                           registration_open=current_app.config["ALLOW_SELF_REGISTRATION"]), \
        200 if request.method == "GET" else 400


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Signed in: sign out (POST only, so a link on another site cannot sign you out). A new
    session key ends this session everywhere: a copied session or remember-me cookie stops
    working too."""
    accounts.end_sessions(current_user)
    audit.record("auth.signed_out", object_type="user", object_id=current_user.id, subject_id=current_user.id)
    db.session.commit()
    logout_user()
    flash(_("You are signed out, here and on any other device. Take care."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], scope="password-forgot")
def forgot_password():
    """Public: ask for a password reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data,
                                        lambda secret: external_url("auth.reset_password", secret=secret))
        db.session.commit()
        return render_template("auth/reset_sent.html", email=normalise_email(form.email.data))
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret):
    """Public, with a single-use link: choose a new password."""
    token = find_usable_token(secret, TokenPurpose.PASSWORD_RESET)
    if token is None:
        return _dead_link("password reset")
    form = NewPasswordForm()
    form.person = token.user
    if form.validate_on_submit():
        user = accounts.reset_password(token, form.password.data)
        if user is None:
            db.session.rollback()
            return _dead_link("password reset")
        db.session.commit()
        flash(_("Your password has been changed. Please sign in with your new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/invite/<secret>", methods=["GET", "POST"])
def accept_invite(secret):
    """Public, with a single-use link: an invited person sets up their account."""
    token = find_usable_token(secret, TokenPurpose.INVITE)
    if token is None:
        return _dead_link("invitation")
    form = AcceptInviteForm(obj=token.user if request.method == "GET" else None)
    form.person = token.user
    if form.validate_on_submit():
        user = accounts.accept_invite(token, form.display_name.data, form.legal_name.data,
                                      form.password.data)
        if user is None:
            db.session.rollback()
            return _dead_link("invitation")
        login_user(user)
        accounts.record_login(user)
        db.session.commit()
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
        return redirect(url_for("dashboard.home"))
    return render_template("auth/accept_invite.html", form=form, invitee=token.user), \
        400 if form.errors else 200


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"], scope="register")
def register():
    """Public, only when ALLOW_SELF_REGISTRATION is on: create a trainee account."""
    if not current_app.config["ALLOW_SELF_REGISTRATION"]:
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(form.email.data, form.display_name.data, [Role.TRAINEE],
                                           legal_name=form.legal_name.data, password=form.password.data)
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            login_user(user)
            db.session.commit()
            return redirect(url_for("dashboard.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


def _dead_link(kind: str):
    """`kind`: "password reset" or "invitation"."""
    expired = (_("This password reset link has expired or has already been used, so nothing was changed.")
               if kind == "password reset" else
               _("This invitation link has expired or has already been used, so nothing was changed."))
    return render_error(
        410, _("This link can no longer be used"),
        expired + " " + _("You can ask for a new one: for a password, use “Forgot your password?” on the sign-in "
                          "page; for an invitation, ask your program staff to send it again."))
