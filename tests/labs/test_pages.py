"""The lab pages as each role sees them: sessions with places left and the meeting link only for
those who may join, booking and cancelling with a next step, the calendar file, attendance
through the form, cancelling a session with an email to each person booked, and a fixed
number of queries however many people are booked."""
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from tests.certification.conftest import counted_queries
from training.extensions import db
from training.labs.booking import Mark, cancel_booking, record_attendance
from training.models import AttendanceStatus, LabAttendance, LabBooking, LabMode, OutboxMessage, Role, utcnow

LINK = "https://meet.example/boundaries-room-7"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def followed(client, response) -> str:
    """The page a redirect leads to, with its flashed message."""
    assert response.status_code == 302, text_of(response)
    return text_of(client.get(response.headers["Location"]))


def to_the_minute(delta: timedelta):
    """A start time a calendar can write exactly (iCalendar has no fractions of a second)."""
    return (utcnow() + delta).replace(second=0, microsecond=0)


# --- the lab page ----------------------------------------------------------------------

@pytest.mark.parametrize("viewer, sees_link", [
    ("booked trainee", True), ("facilitator", True), ("staff", True), ("trainee", False),
    ("trainee who cancelled", False), ("other supervisor", False),
])
def test_the_meeting_link_is_shown_only_to_those_who_may_join(client, login_as, lab, make_user, make_session,
                                                              book_early, facilitator, staff, viewer, sees_link):
    session = make_session(mode=LabMode.ONLINE, location="", link=LINK)
    holder, gone = book_early(session, new=2)
    cancel_booking(gone, now=utcnow())
    book_early(session, new=2)
    people = {"booked trainee": holder.trainee, "facilitator": facilitator, "staff": staff,
              "trainee": make_user(Role.TRAINEE), "trainee who cancelled": gone.trainee,
              "other supervisor": make_user(Role.SUPERVISOR)}
    login_as(people[viewer])
    page = text_of(client.get(f"/labs/{lab.id}"))
    assert "7 of 10 places left" in page
    assert (LINK in page) is sees_link
    assert ("the link is shown once you have a place" in page) is not sees_link


def test_the_lab_page_lists_only_upcoming_sessions_and_offers_a_place_where_one_is_left(client, login_as, lab,
                                                                                       make_session, book_early):
    make_session(location="Upcoming room", capacity=3)
    full = make_session(starts_in=timedelta(days=9), location="Full room", capacity=1)
    book_early(full)
    make_session(starts_in=-timedelta(hours=1), location="Begun room")
    make_session(location="Cancelled room", cancelled_at=utcnow(), cancel_reason="Ill")
    login_as(Role.TRAINEE)
    page = text_of(client.get(f"/labs/{lab.id}"))
    assert "Upcoming room" in page and "Full room" in page
    assert "Begun room" not in page and "Cancelled room" not in page
    assert "3 of 3 places left" in page and "<p>Full</p>" in page
    assert page.count("Book a place") == 1
    assert "Training hours in" in page and "90 minutes" in page


def test_a_trainee_books_a_place_and_is_told_what_comes_next(client, login_as, lab, make_session):
    session = make_session()
    trainee = login_as(Role.TRAINEE)
    response = client.post(f"/labs/sessions/{session.id}/book")
    assert response.headers["Location"] == f"/labs/{lab.id}#session-{session.id}"
    page = followed(client, response)
    assert "You have a place on" in page and "Add it to your calendar" in page and "cancel your place" in page
    assert f"/labs/sessions/{session.id}/calendar.ics" in page and "Cancel my place" in page
    db.session.refresh(session)
    assert session.booked == 1
    assert db.session.scalar(select(LabBooking.trainee_id)) == trainee.id


def test_a_trainee_who_finds_the_session_full_is_told_to_choose_another(client, login_as, lab, make_session,
                                                                         book_early):
    session = make_session(capacity=1)
    book_early(session)
    trainee = login_as(Role.TRAINEE)
    response = client.post(f"/labs/sessions/{session.id}/book")
    assert response.headers["Location"] == f"/labs/{lab.id}"
    assert "this session is full" in followed(client, response)
    db.session.refresh(session)
    assert session.booked == 1
    assert db.session.scalar(select(func.count(LabBooking.id)).where(LabBooking.trainee_id == trainee.id)) == 0


def test_a_trainee_cancels_a_place_and_can_book_another(client, login_as, lab, make_session, book_early):
    session = make_session()
    trainee = login_as(Role.TRAINEE)
    booking, = book_early(session, trainee)
    response = client.post(f"/labs/sessions/{session.id}/cancel-place")
    assert response.headers["Location"] == f"/labs/{lab.id}"
    page = followed(client, response)
    assert "Your place is cancelled" in page and "book another session" in page
    assert "Book a place" in page
    db.session.refresh(session)
    db.session.refresh(booking)
    assert session.booked == 0 and booking.cancelled_at is not None


def test_a_place_in_a_session_that_has_begun_cannot_be_cancelled_from_the_page(client, login_as, lab, make_session,
                                                                               book_early):
    session = make_session(starts_in=-timedelta(minutes=5))
    trainee = login_as(Role.TRAINEE)
    booking, = book_early(session, trainee)
    page = followed(client, client.post(f"/labs/sessions/{session.id}/cancel-place"))
    assert "already started" in page and "book another session" in page
    db.session.refresh(booking)
    assert booking.cancelled_at is None


# --- the calendar file -----------------------------------------------------------------

@pytest.mark.parametrize("mode, where", [(LabMode.IN_PERSON, "Recovery center, Room 2"), (LabMode.ONLINE, LINK)])
def test_the_calendar_file_is_valid_icalendar_in_utc(client, login_as, lab, make_session, book_early, mode, where):
    in_person = mode == LabMode.IN_PERSON
    session = make_session(starts_at=to_the_minute(timedelta(days=7)), mode=mode, location=where if in_person else "",
                           link="" if in_person else where)
    trainee = login_as(Role.TRAINEE)
    book_early(session, trainee)
    response = client.get(f"/labs/sessions/{session.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert f"DTSTART:{session.starts_at:%Y%m%dT%H%M%S}Z" in text_of(response)
    event, = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at and event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtend") == session.starts_at + timedelta(minutes=90)
    assert lab.title in str(event["summary"])
    assert str(event["location"]) == where
    assert str(event["uid"]) == f"lab-session-{session.id}@peer-support-training"
    assert str(event["status"]) == "CONFIRMED"


def test_the_calendar_file_of_a_cancelled_session_says_so(client, login_as, make_session, book_early):
    session = make_session()
    trainee = login_as(Role.TRAINEE)
    book_early(session, trainee)
    session.cancelled_at, session.cancel_reason = utcnow(), "The facilitator is ill."
    db.session.commit()
    event, = Calendar.from_ical(client.get(f"/labs/sessions/{session.id}/calendar.ics").data).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert "Cancelled: The facilitator is ill." in str(event["description"])


# --- attendance ------------------------------------------------------------------------

def test_before_the_session_the_facilitator_sees_who_is_booked(client, login_as, lab, make_session, book_early,
                                                               facilitator):
    session = make_session()
    bookings = book_early(session, new=2)
    login_as(facilitator)
    page = text_of(client.get(f"/labs/sessions/{session.id}/attendance"))
    assert all(booking.trainee.display_name in page for booking in bookings)
    assert "2 of 10 places booked" in page and "once the session starts" in page
    assert 'name="marks-0-status"' not in page


def test_the_facilitator_records_attendance_with_the_form(client, login_as, lab, make_session, book_early,
                                                          facilitator):
    session = make_session(starts_in=-timedelta(hours=2))
    stays, leaves, unmarked = book_early(session, new=3)
    login_as(facilitator)
    page = text_of(client.get(f"/labs/sessions/{session.id}/attendance"))
    for index, booking in enumerate((stays, leaves, unmarked)):
        assert f'name="marks-{index}-booking"' in page and f'value="{booking.id}"' in page
        assert f"Attendance of {booking.trainee.display_name}" in page
    response = client.post(f"/labs/sessions/{session.id}/attendance", {
        "marks-0-booking": stays.id, "marks-0-status": "present",
        "marks-1-booking": leaves.id, "marks-1-status": "left-early", "marks-1-minutes": "45",
        "marks-2-booking": unmarked.id})
    assert response.headers["Location"] == f"/labs/sessions/{session.id}/attendance"
    page = followed(client, response)
    assert "Attendance saved (2 changes)" in page
    assert 'value="45"' in page
    stored = {record.booking_id: (record.status, record.minutes, record.recorded_by_id)
              for record in db.session.scalars(select(LabAttendance))}
    assert stored == {stays.id: ("present", 90, facilitator.id), leaves.id: ("left-early", 45, facilitator.id)}


@pytest.mark.parametrize("marks, message", [
    ({"marks-0-status": "left-early", "marks-0-minutes": ""}, "give the minutes they attended: from 1 to 89"),
    ({"marks-0-status": "left-early", "marks-0-minutes": "90"}, "give the minutes they attended: from 1 to 89"),
    ({"marks-0-status": "present", "marks-1-booking": "{stranger}", "marks-1-status": "present"},
     "no place in this session"),
], ids=["no-minutes", "all-the-minutes", "stranger"])
def test_a_refused_attendance_form_saves_nothing_and_says_why(client, login_as, lab, make_session, book_early,
                                                              facilitator, marks, message):
    session = make_session(starts_in=-timedelta(hours=2))
    booking, = book_early(session)
    stranger, = book_early(make_session(starts_in=-timedelta(hours=3)))
    login_as(facilitator)
    form = {"marks-0-booking": booking.id,
            **{name: value.format(stranger=stranger.id) for name, value in marks.items()}}
    response = client.post(f"/labs/sessions/{session.id}/attendance", form)
    assert response.status_code == 422
    assert message in text_of(response)
    assert db.session.scalar(select(func.count(LabAttendance.id))) == 0


@pytest.mark.parametrize("cancelled", [False, True], ids=["not-started", "cancelled-meanwhile"])
def test_attendance_that_cannot_be_recorded_says_why_nothing_was_saved(client, login_as, lab, make_session, book_early,
                                                                      facilitator, cancelled):
    session = make_session(starts_in=-timedelta(hours=1) if cancelled else timedelta(hours=1))
    booking, = book_early(session)
    if cancelled:  # by staff, while the facilitator had the form open
        session.cancelled_at, session.cancel_reason = session.starts_at - timedelta(minutes=5), "Snow"
        db.session.commit()
    login_as(facilitator)
    response = client.post(f"/labs/sessions/{session.id}/attendance",
                           {"marks-0-booking": booking.id, "marks-0-status": "present"})
    assert response.status_code == 422
    assert ("was cancelled, so there is no attendance" if cancelled else "has not started yet") in text_of(response)
    assert db.session.scalar(select(func.count(LabAttendance.id))) == 0


# --- cancelling a session --------------------------------------------------------------

def test_staff_cancel_a_session_and_everyone_booked_is_emailed(client, login_as, lab, make_session, book_early,
                                                               staff):
    session = make_session()
    bookings = book_early(session, new=3)
    gone, = book_early(session)
    cancel_booking(gone, now=utcnow())
    db.session.commit()
    login_as(staff)
    page = text_of(client.get(f"/labs/sessions/{session.id}/attendance"))
    assert "Cancel the session" in page
    response = client.post(f"/labs/sessions/{session.id}/cancel", {"reason": "  The facilitator is ill.  "})
    assert response.headers["Location"] == f"/labs/{lab.id}"
    assert "3 booked people were told" in followed(client, response)
    db.session.refresh(session)
    assert session.cancelled_at is not None and session.cancel_reason == "The facilitator is ill."
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted(message.recipient for message in messages) == sorted(b.trainee.email for b in bookings)
    for message in messages:
        assert message.subject.startswith(f"Cancelled: {lab.title}")
        assert "Reason: The facilitator is ill." in message.body and f"/labs/{lab.id}" in message.body


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_session_is_not_cancelled_without_a_reason(client, login_as, lab, make_session, book_early, staff, reason):
    session = make_session()
    book_early(session)
    login_as(staff)
    response = client.post(f"/labs/sessions/{session.id}/cancel", {"reason": reason})
    assert response.headers["Location"] == f"/labs/sessions/{session.id}/attendance"
    assert "Please say why" in followed(client, response)
    db.session.refresh(session)
    assert session.cancelled_at is None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


# --- a fixed number of queries ---------------------------------------------------------

@pytest.mark.parametrize("role", [Role.TRAINEE, Role.STAFF])
def test_the_lab_page_takes_the_same_queries_for_2_or_20_people(client, login_as, lab, make_user, make_session,
                                                                book_early, attend_lab, role):
    viewer = login_as(role)
    upcoming = make_session(capacity=30, mode=LabMode.ONLINE, location="", link=LINK)
    if role == Role.TRAINEE:
        book_early(upcoming, viewer)
    counts = []
    for people in (2, 20):
        book_early(upcoming, new=people - upcoming.booked)
        for day in range(len(counts) * 2, people):  # more sessions, each with its own facilitator
            make_session(starts_in=timedelta(days=10 + day), facilitator_id=make_user(Role.SUPERVISOR).id)
            if role == Role.TRAINEE:
                attend_lab(viewer, lab.slug)  # and more sessions this trainee attended
        with counted_queries() as statements:
            response = client.get(f"/labs/{lab.id}")
        assert response.status_code == 200
        assert f"{30 - people} of 30 places left" in text_of(response)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_attendance_page_takes_the_same_queries_for_2_or_20_people(client, login_as, lab, make_session,
                                                                       book_early, facilitator):
    session = make_session(starts_in=-timedelta(hours=2), capacity=30)
    login_as(facilitator)
    counts = []
    for people in (2, 20):
        book_early(session, new=people - len(counts) * 2)
        bookings = db.session.scalars(select(LabBooking).where(LabBooking.session_id == session.id)).all()
        record_attendance(session, {booking.id: Mark(AttendanceStatus.LEFT_EARLY, 30) for booking in bookings},
                          by=facilitator, now=utcnow())
        db.session.commit()
        with counted_queries() as statements:
            response = client.get(f"/labs/sessions/{session.id}/attendance")
        assert response.status_code == 200
        assert text_of(response).count("Attendance of ") == people
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
