"""Notifications: the list of what happened to you, opening one, and how we email you."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from training.extensions import db
from training.inputs import whole_number
from training.localization import lazy_gettext as _l
from training.models import EmailPreference, Notification, utcnow
from training.notifications.delivery import mark_all_read, page_of, unread_count
from training.notifications.forms import EmailPreferenceForm
from training.notifications.targets import destination

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 30
MAX_PAGE = 10_000  # keeps the offset a small number whatever the address says

CHOSEN = {
    EmailPreference.EACH: _l("We will email you about each notification as it happens."),
    EmailPreference.DIGEST: _l("We will email you once a day with what is new, if anything is."),
    EmailPreference.OFF: _l("We will not email you about notifications; they are all listed here."),
}


@bp.route("/")
@login_required
def index():
    """Signed in: your notifications, newest first, unread ones marked."""
    page = min(whole_number(request.args.get("page")) or 1, MAX_PAGE)
    notifications, older = page_of(current_user, page, PER_PAGE)
    return render_template("notifications/index.html", notifications=notifications, older=older, page=page,
                           unread=unread_count(current_user), chosen=CHOSEN[current_user.notification_email])


@bp.route("/<int:notification_id>", endpoint="open")
@login_required
def open_notification(notification_id):
    """Signed in: open one of your notifications (someone else's: 404). It is marked read and
    takes you to what it is about, or says kindly that it is no longer there."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    place = destination(notification, current_user)
    if place.url is not None:
        return redirect(place.url)
    return render_template("notifications/gone.html", notification=notification, place=place)


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    """Signed in: mark all your notifications as read."""
    marked = mark_all_read(current_user, utcnow())
    db.session.commit()
    flash(ngettext("Marked %(num)d notification as read.", "Marked %(num)d notifications as read.", marked)
          if marked else _("Everything was already read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/email", methods=["POST"])
@login_required
def email_preference():
    """Signed in: choose whether we email you about each notification, once a day, or never."""
    form = EmailPreferenceForm()
    if not form.validate_on_submit():
        return render_template("notifications/email.html", notification_form=form), 400
    current_user.notification_email = EmailPreference(form.notification_email.data)
    db.session.commit()
    flash(_("Saved. %(choice)s", choice=CHOSEN[current_user.notification_email]), "success")
    return redirect(url_for("account.profile") + "#notification-email")
