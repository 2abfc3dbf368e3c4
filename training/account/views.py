"""A person's own account: names and password."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from training.account.forms import ChangePasswordForm, ProfileForm
from training.auth.accounts import change_password
from training.auth.passwords import check_password
from training.certification.standing import issue_due
from training.extensions import db, limiter
from training.models import Role, utcnow
from training.notifications.forms import EmailPreferenceForm
from training.supervision.qualifications import in_force, qualifications_of

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    """Signed in: your display name, legal name and time zone (supervisors: the qualification staff recorded)."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.legal_name = form.legal_name.data.strip()
        current_user.time_zone = form.time_zone.data or None
        issue_due([current_user.id], utcnow())  # a certificate that waited only for the legal name
        db.session.commit()
        flash(_("Your details are saved."), "success")
        return redirect(url_for("account.profile"))
    qualification = (in_force(qualifications_of(current_user.id)) if current_user.has_role(Role.SUPERVISOR)
                     else None)
    return render_template("account/profile.html", form=form, qualification=qualification,
                           notification_form=EmailPreferenceForm(obj=current_user)), \
        400 if form.errors else 200


def _wrong_current_password(response) -> bool:
    return bool(g.get("wrong_current_password"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=lambda: f"password-check:{current_user.id}", deduct_when=_wrong_current_password,
               scope="password-check")
def password():
    """Signed in: change your password (signs out your other sessions). Wrong current
    passwords are limited like failed sign-ins: an unattended session is no way to guess it."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(current_user, form.current_password.data):
            g.wrong_current_password = True
            form.current_password.errors.append(_("That is not your current password. Please try again."))
        else:
            change_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user)  # this session stays signed in with the new key
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form), 400 if form.errors else 200
