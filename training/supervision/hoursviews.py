"""Trainees: the hours log (practice and supervision) with totals against the track."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from training.access import role_required
from training.extensions import db
from training.models import HoursKind, Role
from training.supervision.forms import HoursForm
from training.supervision.hours import (ACTIVITY_LABELS, HoursRefused, NewHours, log_hours, progress,
                                        track_requirements, trainee_entries, verified_minutes)
from training.supervision.queue import notify_supervisors

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
        notify_supervisors(current_user.id, "Hours to verify",
                           f"{current_user.display_name} logged {entry.minutes / 60:g} hours of "
                           f"{ACTIVITY_LABELS.get(entry.activity, entry.activity).lower()} "
                           f"on {entry.worked_on:%-d %B %Y}.", "supervision.queue")
    db.session.commit()
    flash("Your hours are logged. Your supervisor will verify them.", "success")
    return redirect(url_for("hours.log") + f"#entry-{entry.id}")
