"""A person's own data: they download it; staff erase it at their request."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from training.access import role_required
from training.extensions import db
from training.jobs.files import send_built_file
from training.models import PersonalDataExport, Role, User
from training.personaldata import downloads, erasure
from training.personaldata.forms import ErasureForm

bp = Blueprint("personaldata", __name__)


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
def mine():
    """Signed in: ask for a download of everything the platform holds about you; list yours."""
    if request.method == "POST":  # the button carries only the CSRF token, checked for every POST
        _download, new = downloads.request_download(current_user)
        flash(_("Your file is being prepared. It usually takes a minute; reload this page to see it ready to "
                "download.") if new else
              _("Your file is already being prepared. Reload this page in a minute to see it ready to download."),
              "success" if new else "info")
        return redirect(url_for("personaldata.mine"))
    return render_template("personaldata/mine.html", downloads=downloads.downloads_of(current_user),
                           kept_days=downloads.KEPT_DAYS)


@bp.route("/account/data/<int:download_id>")
@login_required
def download(download_id):
    """Signed in: your prepared file (only you can download it)."""
    return send_built_file(PersonalDataExport, download_id, "user_id", url_for("personaldata.mine"),
                           lambda _download: "application/zip")


@bp.route("/staff/people/<int:user_id>/erase", methods=["GET", "POST"])
@role_required(Role.STAFF)
def erase(user_id):
    """Staff: erase a person's data at their request, after a page that shows what goes and what stays."""
    person = db.get_or_404(User, user_id)
    form = ErasureForm()
    refusal = None
    if person.erased_at is None and person.id != current_user.id and form.validate_on_submit():
        if form.confirm_email.data.strip().lower() != person.email:
            form.confirm_email.errors.append(_("That is not %(name)s's email address. Please type it as shown above.",
                                               name=person.display_name))
        else:
            name = person.display_name
            try:
                done = erasure.erase(person, by=current_user, reference=form.reference.data.strip())
            except erasure.ErasureRefused as error:
                db.session.rollback()
                refusal = str(error)
            else:
                db.session.commit()
                flash(_("%(name)s's data is erased: %(rows)d records removed or cleared. Next, tell them it is done, "
                        "by the address they wrote from; the audit log records the erasure.",
                        name=name, rows=sum(done.values())), "success")
                return redirect(url_for("staff.person", user_id=person.id))
    return render_template("personaldata/erase.html", person=person, form=form, plan=erasure.plan(person),
                           refusal=refusal), 422 if form.errors or refusal else 200
