"""Trainees: the hours log (practice and supervision) with totals against the track."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.access import role_required
from training.extensions import db
from training.models import HoursEntry, HoursKind, Role, utcnow
from training.notifications.events import hours_logged
from training.supervision.forms import HoursForm
from training.supervision.hours import (ACTIVITY_LABELS, HoursRefused, NewHours, log_hours, progress,
                                        track_requirements, trainee_entries, verified_minutes, withdraw_hours)

bp = Blueprint("hours", __name__, url_prefix="/hours")
KINDS = (HoursKind.PRACTICE, HoursKind.SUPERVISION)


def _page(forms, status=200):
    entries = trainee_entries(current_user.id)
    rows = progress(track_requirements(), verified_minutes(entries))
    return render_template("hours/log.html", forms=forms, entries=entries, progress=rows,
                           labels=ACTIVITY_LABELS), status


def _forms(posted_kind=None):
    return {kind: HoursForm(kind, prefix=kind, formdata=request.form if kind == posted_kind else None)
            for kind in KINDS}


@bp.route("/")
@role_required(Role.TRAINEE)
def log():
    """Trainees: your hours, their status, and the totals that count toward the credential."""
    return _page(_forms())


@bp.route("/<any(practice, supervision):kind>", methods=["POST"])
@role_required(Role.TRAINEE)
def add(kind):
    """Trainees: log practice or supervision hours; your supervisors are told."""
    forms = _forms(kind)
    form = forms[kind]
    if not form.validate_on_submit():
        return _page(forms, 400)
    new = NewHours(kind=kind, activity=form.activity.data, worked_on=form.worked_on.data,
                   minutes=round(float(form.hours.data) * 60), setting=form.setting.data.strip(),
                   remote=form.mode.data == "remote", note=(form.note.data or "").strip(), token=form.token.data)
    try:
        entry, created = log_hours(current_user, new, date.today())
    except HoursRefused as refusal:
        db.session.rollback()
        form.form_errors.append(str(refusal))
        return _page(forms, 400)
    if created:
        hours_logged(entry)
    db.session.commit()
    flash(_("Your hours are logged. Your supervisor will verify them."), "success")
    return redirect(url_for("hours.log") + f"#entry-{entry.id}")


@bp.route("/<int:entry_id>/withdraw", methods=["POST"])
@role_required(Role.TRAINEE)
def withdraw(entry_id):
    """Trainees: withdraw one of your entries that no supervisor has decided yet; it then counts nowhere."""
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None or entry.trainee_id != current_user.id:
        abort(404)
    try:
        withdraw_hours(entry, current_user, utcnow())
    except HoursRefused as refusal:  # a supervisor decided it a moment before: the decision stands
        db.session.rollback()
        flash(str(refusal), "info")
    else:
        db.session.commit()
        flash(_("The entry is withdrawn: it stays in your log marked “Withdrawn”, counts nowhere, and has left your "
                "supervisor's queue. If a detail was wrong, log the hours again with the right details."), "success")
    return redirect(url_for("hours.log") + f"#entry-{entry.id}")
