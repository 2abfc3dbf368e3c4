"""Practice labs: the lab pages, booking and cancelling places, calendar files, scheduling
sessions (staff) and recording attendance (the facilitator or staff)."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from training.access import role_required
from training.certification.standing import issue_due
from training.courses.published import framework
from training.extensions import db
from training.inputs import whole_number
from training.labs.booking import (LabRefused, Mark, NewSession, active_booking, book, bookings_of, can_facilitate,
                                   cancel_booking, cancel_session, latest_attendance, local_time,
                                   may_record_attendance, record_attendance, schedule_session)
from training.labs.calendar import session_calendar
from training.labs.forms import AttendanceForm, CancelSessionForm, ScheduleForm
from training.mailer import external_url
from training.models import (AttendanceStatus, Course, Lab, LabBooking, LabSession, Module, Role, User, UserRole,
                             utcnow)
from training.notifications.events import lab_cancelled

bp = Blueprint("labs", __name__, url_prefix="/labs")


@bp.app_template_filter("session_when")
def session_when(session: LabSession) -> str:
    """When a session starts, on its own time zone's clock, in the reader's language and its way
    of writing dates: Tuesday, December 15, 2026, 6:30 PM EST."""
    start = local_time(session)
    locale = get_locale() or "en_US"
    day = format_date(start.date(), "full", locale=locale)
    time = format_time(start, "short", tzinfo=start.tzinfo, locale=locale)
    return f"{day}, {time} {start.tzname()}"


def _lab_or_404(lab_id: int) -> Lab:
    lab = db.session.scalar(select(Lab).where(Lab.id == lab_id).options(
        joinedload(Lab.module).joinedload(Module.course)))
    if lab is None:
        abort(404)
    return lab


def _session_or_404(session_id: int) -> LabSession:
    session = db.session.scalar(select(LabSession).where(LabSession.id == session_id).options(
        joinedload(LabSession.lab).joinedload(Lab.module).joinedload(Module.course),
        joinedload(LabSession.facilitator)))
    if session is None:
        abort(404)
    return session


def _facilitators() -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_([Role.STAFF, Role.SUPERVISOR]), User.is_active_account.is_(True))
        .distinct().order_by(User.display_name, User.id)))


@bp.route("/")
@login_required
def index():
    """Signed in: every lab; trainees see their places and attendance, facilitators their sessions."""
    now = utcnow()
    labs = db.session.scalars(select(Lab).join(Module, Module.id == Lab.module_id).join(Course, Course.id == Lab.course_id)
                              .where(Lab.retired_at.is_(None), Module.retired_at.is_(None), Course.retired_at.is_(None))
                              .options(joinedload(Lab.module)).order_by(Course.title, Module.position, Lab.position)).all()
    mine = []
    if current_user.has_role(Role.TRAINEE):
        mine = db.session.scalars(select(LabBooking).where(
            LabBooking.trainee_id == current_user.id, LabBooking.cancelled_at.is_(None))
            .options(joinedload(LabBooking.session).joinedload(LabSession.lab))
            .join(LabSession, LabSession.id == LabBooking.session_id).order_by(LabSession.starts_at.desc())).all()
    facilitating = []
    if can_facilitate(current_user):
        query = select(LabSession).options(joinedload(LabSession.lab), joinedload(LabSession.facilitator))
        if not current_user.has_role(Role.STAFF):
            query = query.where(LabSession.facilitator_id == current_user.id)
        facilitating = db.session.scalars(query.order_by(LabSession.starts_at.desc()).limit(200)).all()
    attendance = latest_attendance([booking.id for booking in mine])
    return render_template("labs/index.html", labs=labs, mine=mine, attendance=attendance,
                           facilitating=facilitating, now=now)


@bp.route("/<int:lab_id>")
@login_required
def lab(lab_id):
    """Signed in: what a lab practices and its upcoming sessions; trainees book or cancel a place."""
    found, now = _lab_or_404(lab_id), utcnow()
    sessions = db.session.scalars(select(LabSession).where(
        LabSession.lab_id == found.id, LabSession.starts_at > now, LabSession.cancelled_at.is_(None))
        .options(joinedload(LabSession.facilitator)).order_by(LabSession.starts_at)).all()
    bookings = {}
    history = []
    if current_user.has_role(Role.TRAINEE):
        mine = db.session.scalars(select(LabBooking).join(LabSession, LabSession.id == LabBooking.session_id).where(
            LabBooking.trainee_id == current_user.id, LabBooking.cancelled_at.is_(None), LabSession.lab_id == found.id)
            .options(joinedload(LabBooking.session)).order_by(LabSession.starts_at)).all()
        bookings = {booking.session_id: booking for booking in mine}
        attendance = latest_attendance([booking.id for booking in mine])
        history = [(booking, attendance.get(booking.id)) for booking in mine if booking.session.starts_at <= now]
    return render_template("labs/lab.html", lab=found, sessions=sessions, bookings=bookings, history=history,
                           now=now, domain_title=dict(framework().domains).get(found.domain, found.domain), attended=any(record and record.status == AttendanceStatus.PRESENT
                                                 for _booking, record in history))


@bp.route("/sessions/<int:session_id>/book", methods=["POST"])
@role_required(Role.TRAINEE)
def book_place(session_id):
    """Trainees: take a place in a session (booking twice keeps the one place)."""
    session = _session_or_404(session_id)
    try:
        _booking, created = book(session, current_user, now=utcnow())
    except LabRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("labs.lab", lab_id=session.lab_id))
    db.session.commit()
    if created:
        flash(_("You have a place on %(when)s. Add it to your calendar with the link below. "
                "If you cannot come, cancel your place so someone else can have it.", when=session_when(session)),
              "success")
    else:
        flash(_("You already have a place in this session."), "info")
    return redirect(url_for("labs.lab", lab_id=session.lab_id) + f"#session-{session.id}")


@bp.route("/sessions/<int:session_id>/cancel-place", methods=["POST"])
@role_required(Role.TRAINEE)
def cancel_place(session_id):
    """Trainees: give your place back before the session starts."""
    session = _session_or_404(session_id)
    booking = active_booking(session.id, current_user.id)
    if booking is None:
        flash(_("You do not have a place in that session."), "info")
        return redirect(url_for("labs.lab", lab_id=session.lab_id))
    try:
        cancel_booking(booking, now=utcnow())
    except LabRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("labs.lab", lab_id=session.lab_id))
    db.session.commit()
    flash(_("Your place is cancelled. You can book another session below whenever you are ready."), "success")
    return redirect(url_for("labs.lab", lab_id=session.lab_id))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@login_required
def calendar(session_id):
    """The session as a calendar file: for people with a place, its facilitator and staff."""
    session = _session_or_404(session_id)
    allowed = (current_user.has_role(Role.STAFF) or session.facilitator_id == current_user.id
               or active_booking(session.id, current_user.id) is not None)
    if not allowed:
        abort(404)
    body = session_calendar(session, external_url("labs.lab", lab_id=session.lab_id))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="lab-session-{session.id}.ics"',
        "Cache-Control": "private, no-store"})


@bp.route("/<int:lab_id>/schedule", methods=["GET", "POST"])
@role_required(Role.STAFF)
def schedule(lab_id):
    """Staff: schedule a session of a lab (date and time in a time zone, place or link, facilitator, places)."""
    found = _lab_or_404(lab_id)
    form = ScheduleForm(_facilitators(), minutes=found.minutes)
    if form.validate_on_submit():
        try:
            session = schedule_session(NewSession(
                lab=found, starts_local=datetime.combine(form.day.data, form.start.data), time_zone=form.time_zone.data,
                minutes=form.minutes.data, mode=form.mode.data, location=form.location.data or "",
                link=form.link.data or "", facilitator=db.session.get(User, form.facilitator.data),
                capacity=form.capacity.data), by=current_user, now=utcnow())
        except LabRefused as refusal:
            db.session.rollback()
            field = {"starts_at": form.day}.get(refusal.field) or getattr(form, refusal.field or "", None) or form.day
            field.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("The session on %(when)s is scheduled. Trainees can book a place from this page now; the "
                    "facilitator records attendance here once it starts.", when=session_when(session)), "success")
            return redirect(url_for("labs.lab", lab_id=found.id))
    status = 422 if request.method == "POST" else 200
    return render_template("labs/schedule.html", lab=found, form=form), status


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@role_required(Role.STAFF)
def cancel(session_id):
    """Staff: cancel a session that has not started; everyone booked is told."""
    session = _session_or_404(session_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        flash(_("Please say why the session is cancelled; the people booked are told."), "error")
        return redirect(url_for("labs.attendance", session_id=session.id))
    try:
        booked = cancel_session(session, reason=form.reason.data, now=utcnow())
    except LabRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("labs.attendance", session_id=session.id))
    lab_cancelled(session, booked, when=session_when(session))
    db.session.commit()
    flash(ngettext("The session is cancelled and %(num)d booked person was told. Schedule another one from the lab "
                   "page if you need to.",
                   "The session is cancelled and %(num)d booked people were told. Schedule another one from the lab "
                   "page if you need to.", len(booked)), "success")
    return redirect(url_for("labs.lab", lab_id=session.lab_id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id):
    """The facilitator (or staff): who is booked, and attendance once the session has started."""
    session = _session_or_404(session_id)
    if not can_facilitate(current_user):
        abort(403)
    if not may_record_attendance(current_user, session):
        abort(404)
    now = utcnow()
    booked = bookings_of(session)
    current = latest_attendance([booking.id for booking in booked])
    form = AttendanceForm()
    if request.method == "GET":
        for booking in booked:
            record = current.get(booking.id)
            form.marks.append_entry({"booking": str(booking.id), "status": record.status if record else None,
                                     "minutes": record.minutes if record and record.status == "left-early" else None})
    elif form.validate_on_submit():
        marks = {}
        for row in form.marks:
            booking_id = whole_number(row.booking.data)
            if booking_id is None:
                abort(400)
            if row.status.data:
                marks[booking_id] = Mark(row.status.data, row.minutes.data)
        try:
            added = record_attendance(session, marks, by=current_user, now=now)
        except LabRefused as refusal:
            db.session.rollback()
            form.form_errors.append(str(refusal))
        else:
            issue_due([booking.trainee_id for booking in booked if booking.id in marks], now)
            db.session.commit()
            flash(ngettext("Attendance saved (%(num)d change). Attended minutes now count toward each person's "
                           "training hours, and a full attendance completes a required lab.",
                           "Attendance saved (%(num)d changes). Attended minutes now count toward each person's "
                           "training hours, and a full attendance completes a required lab.", len(added)), "success")
            return redirect(url_for("labs.attendance", session_id=session.id))
    by_id = {str(booking.id): booking for booking in booked}
    rows = [(by_id[row.booking.data], row) for row in form.marks if row.booking.data in by_id]
    for booking, row in rows:  # each group names its person, for screen readers
        row.status.label.text = _("Attendance of %(name)s", name=booking.trainee.display_name)
        row.minutes.label.text = _("Minutes %(name)s attended, if they left early", name=booking.trainee.display_name)
    status = 422 if request.method == "POST" else 200
    return render_template("labs/attendance.html", session=session, rows=rows, form=form, booked=booked,
                           started=now >= session.starts_at, cancel_form=CancelSessionForm(), now=now), status
