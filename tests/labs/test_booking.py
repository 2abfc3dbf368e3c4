"""Booking and cancelling a place: one place per trainee, no more places than the session has,
one upcoming session per lab, and nothing half-saved when a booking is refused."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.labs.booking import LabRefused, book, cancel_booking, cancel_session
from training.models import LabBooking, Role, utcnow


def bookings_of(trainee) -> list[LabBooking]:
    return list(db.session.scalars(select(LabBooking).where(LabBooking.trainee_id == trainee.id)
                                   .order_by(LabBooking.id)))


def places_taken(session) -> int:
    """The counter as stored, not as this session's copy of the row remembers it."""
    db.session.refresh(session)
    return session.booked


def test_booking_twice_keeps_the_one_place(make_session, make_user):
    session, trainee = make_session(), make_user(Role.TRAINEE)
    first, created = book(session, trainee, now=utcnow())
    db.session.commit()
    again, created_again = book(session, trainee, now=utcnow())
    db.session.commit()
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert [booking.id for booking in bookings_of(trainee)] == [first.id]
    assert places_taken(session) == 1


def test_the_last_place_goes_to_one_trainee_and_the_next_is_told_it_is_full(make_session, make_user):
    session = make_session(capacity=2)
    first, second, late = (make_user(Role.TRAINEE) for _ in range(3))
    for trainee in (first, second):
        book(session, trainee, now=utcnow())
        db.session.commit()
    with pytest.raises(LabRefused, match="this session is full.*choose another session"):
        book(session, late, now=utcnow())
    db.session.commit()  # the rule undid its own work: committing what is left stores nothing
    assert bookings_of(late) == []
    assert places_taken(session) == session.capacity == 2


def test_a_second_upcoming_session_of_the_same_lab_is_refused(make_session, make_user):
    this_week, next_week = make_session(), make_session(starts_in=timedelta(days=14))
    trainee = make_user(Role.TRAINEE)
    book(this_week, trainee, now=utcnow())
    db.session.commit()
    with pytest.raises(LabRefused, match="already have a place in another session of this lab.*Cancel that place"):
        book(next_week, trainee, now=utcnow())
    db.session.commit()
    assert places_taken(next_week) == 0 and len(bookings_of(trainee)) == 1
    cancel_booking(bookings_of(trainee)[0], now=utcnow())
    _, created = book(next_week, trainee, now=utcnow())
    db.session.commit()
    assert created and places_taken(next_week) == 1


def test_a_session_attended_before_does_not_stop_booking_another(make_session, make_user, book_early):
    trainee = make_user(Role.TRAINEE)
    book_early(make_session(starts_in=-timedelta(days=30)), trainee)
    _, created = book(make_session(), trainee, now=utcnow())
    assert created


@pytest.mark.parametrize("starts_in, cancelled, message", [
    (-timedelta(minutes=1), False, "already started"),
    (timedelta(0), False, "already started"),
    (timedelta(days=7), True, "was cancelled"),
], ids=["started", "starting-now", "cancelled"])
def test_a_started_or_cancelled_session_cannot_be_booked(make_session, make_user, starts_in, cancelled, message):
    now = utcnow()
    session = make_session(starts_at=now + starts_in, cancelled_at=now if cancelled else None,
                           cancel_reason="The facilitator is ill" if cancelled else "")
    trainee = make_user(Role.TRAINEE)
    with pytest.raises(LabRefused, match=message):
        book(session, trainee, now=now)
    db.session.commit()
    assert bookings_of(trainee) == [] and places_taken(session) == 0


def test_cancelling_gives_the_place_back(make_session, make_user):
    session = make_session(capacity=1)
    trainee, waiting = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    booking, _ = book(session, trainee, now=utcnow())
    db.session.commit()
    cancel_booking(booking, now=utcnow())
    db.session.commit()
    assert booking.cancelled_at is not None and places_taken(session) == 0
    _, created = book(session, waiting, now=utcnow())
    db.session.commit()
    assert created and places_taken(session) == 1
    cancel_booking(booking, now=utcnow())  # a second click does not give back someone else's place
    db.session.commit()
    assert places_taken(session) == 1


def test_a_cancelled_place_can_be_booked_again(make_session, make_user):
    session, trainee = make_session(), make_user(Role.TRAINEE)
    first, _ = book(session, trainee, now=utcnow())
    cancel_booking(first, now=utcnow())
    second, created = book(session, trainee, now=utcnow())
    db.session.commit()
    assert created and second.id != first.id
    assert places_taken(session) == 1
    assert [booking.cancelled_at is None for booking in bookings_of(trainee)] == [False, True]


def test_a_place_cannot_be_cancelled_once_the_session_has_started(make_session, book_early):
    session = make_session(starts_in=-timedelta(minutes=5))
    booking, = book_early(session)
    with pytest.raises(LabRefused, match="already started.*mark you absent"):
        cancel_booking(booking, now=utcnow())
    db.session.commit()
    db.session.refresh(booking)
    assert booking.cancelled_at is None and places_taken(session) == 1
    assert db.session.scalar(select(func.count(LabBooking.id))) == 1


def test_a_session_is_cancelled_once_with_a_reason_and_only_before_it_starts(make_session, book_early):
    session = make_session()
    booking, gone = book_early(session, new=2)
    cancel_booking(gone, now=utcnow())
    with pytest.raises(LabRefused, match="Say why") as refused:
        cancel_session(session, reason="  ", now=utcnow())
    assert refused.value.field == "reason" and session.cancelled_at is None
    told = cancel_session(session, reason=" Snow closed the center. ", now=utcnow())
    db.session.commit()
    assert [each.id for each in told] == [booking.id]
    assert (session.cancelled_at is not None, session.cancel_reason) == (True, "Snow closed the center.")
    with pytest.raises(LabRefused, match="already cancelled"):
        cancel_session(session, reason="Again", now=utcnow())
    begun = make_session(starts_in=-timedelta(minutes=1))
    with pytest.raises(LabRefused, match="already started"):
        cancel_session(begun, reason="Too late", now=utcnow())
    db.session.commit()
    db.session.refresh(begun)
    assert begun.cancelled_at is None
