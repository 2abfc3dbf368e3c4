"""The reports' filter form: sent by GET, so a filtered report is a link people can share."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice, SelectField

from training.courses.published import tracks
from training.extensions import db
from training.localization import lazy_gettext as _l
from training.models import Cohort, Role, User, UserRole


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    track = SelectField(_l("Track"))
    cohort = SelectField(_l("Cohort"))
    supervisor = SelectField(_l("Supervisor"))
    status = SelectField(_l("Certification status"))


def filter_form(track: str, cohort_id: int | None, supervisor_id: int | None, status: str | None,
                fields: tuple[str, ...]) -> ReportFilterForm:
    """The filter form showing the filters in force; a cohort or supervisor no one has is still
    shown (as unknown), so the empty result explains itself (two queries)."""
    form = ReportFilterForm(formdata=None, data={
        "track": track, "cohort": str(cohort_id or ""), "supervisor": str(supervisor_id or ""),
        "status": status or ""})
    form.track.choices = [SelectChoice(slug, item.get("title") or slug) for slug, item in tracks().items()]
    cohorts = db.session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.name)).all()
    form.cohort.choices = [SelectChoice("", _("All cohorts"))] + [SelectChoice(str(i), name) for i, name in cohorts]
    if cohort_id is not None and cohort_id not in {i for i, _name in cohorts}:
        form.cohort.choices.append(SelectChoice(str(cohort_id), _("Unknown cohort (number %(num)d)", num=cohort_id)))
    supervisors = db.session.execute(
        select(User.id, User.display_name).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.SUPERVISOR).order_by(User.display_name, User.id)).all()
    form.supervisor.choices = [SelectChoice("", _("All supervisors"))] + [
        SelectChoice(str(i), name) for i, name in supervisors]
    if supervisor_id is not None and supervisor_id not in {i for i, _name in supervisors}:
        form.supervisor.choices.append(
            SelectChoice(str(supervisor_id), _("Unknown supervisor (number %(num)d)", num=supervisor_id)))
    form.status.choices = [SelectChoice("", _("Any status")), SelectChoice("holds", _("Holds the certificate")),
                           SelectChoice("eligible", _("Eligible, not issued yet")),
                           SelectChoice("in-progress", _("In progress")),
                           SelectChoice("not-yet", _("Does not hold it yet"))]
    for name in ("track", "cohort", "supervisor", "status"):
        if name not in fields or (name == "track" and not form.track.choices):
            delattr(form, name)
    return form
