"""The audit log on screen: staff read and export it with filters; everyone sees the events
about their own records (Account, "Activity on my records")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from training import audit
from training.access import role_required
from training.extensions import db
from training.inputs import whole_number
from training.localization import lazy_gettext as _l
from training.models import AuditEvent, Role, User, utcnow
from training.reports import exports
from training.staff.search import matches, people_matching

bp = Blueprint("audit", __name__)
PER_PAGE = 50

ACTIONS = {
    "auth.signed_in": _l("Signed in"), "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.signed_out": _l("Signed out"), "account.created": _l("Account created (invited)"),
    "account.deactivated": _l("Account deactivated"), "account.reactivated": _l("Account reactivated"),
    "role.granted": _l("Role given"), "role.removed": _l("Role removed"),
    "supervisor.assigned": _l("Supervisor assigned"), "supervisor.removed": _l("Supervisor removed"),
    "hours.verified": _l("Hours verified"), "hours.rejected": _l("Hours rejected"),
    "competency.rated": _l("Competency rated"), "competency.rating_corrected": _l("Competency rating corrected"),
    "signoff.approved": _l("Sign-off approved"), "signoff.returned": _l("Sign-off returned"),
    "story.shared": _l("Story draft shared"), "story.unshared": _l("Story draft made private"),
    "story.read": _l("Shared story draft read"), "exam.recorded": _l("Exam result recorded"),
    "attestation.signed": _l("Document signed"), "eligibility.attested": _l("Eligibility confirmed"),
    "eligibility.checked": _l("Eligibility proof checked"), "statement.accepted": _l("Statement accepted"),
    "statement.returned": _l("Statement returned"), "training.recorded": _l("Outside training recorded"),
    "lab.attendance": _l("Lab attendance recorded"), "qualification.recorded": _l("Qualification recorded"),
    "qualification.withdrawn": _l("Qualification withdrawn"), "certificate.issued": _l("Certificate issued"),
    "certificate.revoked": _l("Certificate revoked"), "certificate.superseded": _l("Certificate superseded"),
    "key.created": _l("Signing key created"), "key.rotated": _l("Signing key rotated"),
    "content.published": _l("Lesson published"), "content.synced": _l("Course content synced"),
    "report.exported": _l("Report exported"), "audit.exported": _l("Audit log exported"),
    "xapi.exported": _l("xAPI statements exported"),
    "exam.opened": _l("Final exam opened by a proctor"), "quiz.essay_marked": _l("Written answer marked"),
    "learner_record.issued": _l("Learner record issued"), "learner_record.revoked": _l("Learner record revoked"),
    "personal_data.requested": _l("Personal data download requested"),
    "personal_data.erased": _l("Personal data erased"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    person = StringField(_l("Person (name or email, who acted or whose record)"),
                         validators=[Optional(), Length(max=254)])
    action = SelectField(_l("Action"), default="")  # no filter: "Any action", not an error
    object = StringField(_l("Record (type, or type:number, such as certificate:12)"),
                         validators=[Optional(), Length(max=110)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])


@dataclass(frozen=True)
class Filters:
    person: str = ""
    action: str = ""
    object: str = ""
    since: date | None = None
    until: date | None = None


def _filters(form: AuditFilterForm) -> Filters:
    """The filters as given; a field with an error (shown on the form) filters nothing."""
    form.validate()

    def value(field):
        return None if field.errors else field.data

    def day(field) -> date | None:
        found = value(field)
        return found if isinstance(found, date) and found.year >= 1900 else None
    return Filters((value(form.person) or "").strip(), value(form.action) or "", (value(form.object) or "").strip(),
                   day(form.since), day(form.until))


def _query(filters: Filters):
    query = select(AuditEvent)
    if filters.person:
        people = select(User.id).where(people_matching(filters.person))
        query = query.where(or_(AuditEvent.actor_id.in_(people), AuditEvent.subject_id.in_(people),
                                matches(AuditEvent.actor_email, filters.person)))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object:
        kind, _sep, number = filters.object.partition(":")
        query = query.where(AuditEvent.object_type == kind.strip().replace(" ", "_").lower())
        if number.strip():
            query = query.where(AuditEvent.object_id == number.strip())
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(filters.since, time(), timezone.utc))
    if filters.until:
        query = query.where(AuditEvent.occurred_at < datetime.combine(filters.until + timedelta(days=1), time(),
                                                                      timezone.utc))
    return query.order_by(AuditEvent.seq.desc())


def _names(events) -> dict[int, str]:
    ids = {event.actor_id for event in events if event.actor_id} | {event.subject_id for event in events
                                                                       if event.subject_id}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}


COLUMNS = [
    ("Number", lambda row: row[0].seq), ("When (UTC)", lambda row: row[0].occurred_at),
    ("Action", lambda row: row[0].action), ("Who", lambda row: row[0].actor_email or "system"),
    ("Record", lambda row: f"{row[0].object_type}:{row[0].object_id}" if row[0].object_type else ""),
    ("About", lambda row: row[1].get(row[0].subject_id, "") if row[0].subject_id else ""),
    ("From address", lambda row: row[0].address), ("Details", lambda row: exports_details(row[0].details)),
    ("Hash", lambda row: row[0].hash),
]


def exports_details(details: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted((details or {}).items()))


def _export_rows(query):
    """Every event of the query, 1,000 at a time, with the names of the people they are about."""
    last = None
    while True:
        batch_query = query.limit(1000)
        if last is not None:
            batch_query = batch_query.where(AuditEvent.seq < last)
        events = db.session.scalars(batch_query).all()
        if not events:
            return
        names = _names(events)
        for event in events:
            yield event, names
        last = events[-1].seq


@bp.route("/staff/audit")
@role_required(Role.STAFF)
def log():
    """Staff: the audit log, newest first, filtered by person, action, record and dates; as CSV too."""
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(code, str(label)) for code, label in sorted(ACTIONS.items(), key=lambda item: str(item[1]))]
    filters = _filters(form)
    query = _query(filters)
    if request.args.get("format") == "csv":
        audit.record("audit.exported", object_type="audit_log",
                     details={key: str(value)[:100] for key, value in vars(filters).items() if value})
        db.session.commit()
        response = Response(stream_with_context(exports.csv_lines(COLUMNS, _export_rows(query))),
                            mimetype=exports.CSV_MIMETYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="audit-{utcnow():%Y-%m-%d}.csv"'
        return response
    page = max(whole_number(request.args.get("page"), maximum=1_000_000) or 1, 1)
    events = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    args = {key: value for key, value in request.args.items() if key in form._fields and value}
    return render_template("audit/log.html", form=form, events=events, names=_names(events.items),
                           label=action_label, args=args, page=page), 200


@bp.route("/account/activity")
@login_required
def mine():
    """Signed in: what was done to your records, and by whom (sign-ins, decisions, ratings,
    certificates, reads of what you shared), newest first."""
    page = max(whole_number(request.args.get("page"), maximum=1_000_000) or 1, 1)
    events = db.paginate(select(AuditEvent).where(AuditEvent.subject_id == current_user.id)
                         .order_by(AuditEvent.seq.desc()), page=page, per_page=PER_PAGE, error_out=False)
    return render_template("audit/mine.html", events=events, names=_names(events.items), label=action_label,
                           page=page)
