"""Booking at the same moment on PostgreSQL, the production database: the last places go to
as many trainees as there are places, and one trainee's double click gives one place.

Runs in its own fresh PostgreSQL database whichever database the rest of the suite uses, as
tests/certification/test_parallel.py does (SQLite allows one writer at a time, so it cannot
show a race; and in CI a skipped test fails the run).
"""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import content_library, fresh_postgres_app
from tests.labs.conftest import FIXTURE
from training.auth.accounts import create_account
from training.courses.operations import sync_library
from training.extensions import db
from training.labs.booking import LabRefused, book
from training.models import Lab, LabBooking, LabMode, LabSession, Role, User, utcnow

THREADS = 6


def _people():
    sync_library(content_library(FIXTURE))
    create_account("staff@example.org", "Staff", [Role.STAFF], password="long enough password")
    for index in range(THREADS + 1):  # the last one books only in the double-click test
        create_account(f"t{index}@example.org", f"Trainee {index}", [Role.TRAINEE], legal_name=f"Legal {index}",
                       password="long enough password")


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel_labs", _people) as app:
        yield app


def _new_session(app, capacity: int) -> int:
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        lab = db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))
        session = LabSession(lab_id=lab.id, starts_at=utcnow() + timedelta(days=7), minutes=90, time_zone="UTC",
                             mode=LabMode.IN_PERSON, location="Room 2", facilitator_id=staff.id, capacity=capacity,
                             booked=0, created_by_id=staff.id)
        db.session.add(session)
        db.session.commit()
        session_id = session.id
        db.session.remove()
    return session_id


def _book_at_once(app, session_id: int, emails: list[str]) -> tuple[list[tuple[int, bool]], list[LabRefused]]:
    """Book a place for each email in its own thread and database session, all starting together:
    (booking id, created) for each place given, and the refusals."""
    barrier, results, refusals, errors = threading.Barrier(len(emails)), [], [], []

    def work(email):
        with app.app_context():
            try:
                trainee = db.session.scalar(select(User).where(User.email == email))
                session = db.session.get(LabSession, session_id)
                session.lab  # loaded before the start, so every thread goes straight to the booking
                barrier.wait()
                try:
                    booking, created = book(session, trainee, now=utcnow())
                except LabRefused as refusal:
                    db.session.rollback()
                    refusals.append(refusal)
                else:
                    db.session.commit()
                    results.append((booking.id, created))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=work, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results, refusals


def _stored(app, session_id: int) -> tuple[int, int]:
    """(the session's counter, its active bookings), read fresh."""
    with app.app_context():
        booked = db.session.scalar(select(LabSession.booked).where(LabSession.id == session_id))
        active = db.session.scalar(select(func.count(LabBooking.id)).where(
            LabBooking.session_id == session_id, LabBooking.cancelled_at.is_(None)))
        db.session.remove()
    return booked, active


def test_the_last_two_places_go_to_two_of_six_trainees_booking_at_once(pg_app):
    assert pg_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    session_id = _new_session(pg_app, capacity=2)
    results, refusals = _book_at_once(pg_app, session_id, [f"t{index}@example.org" for index in range(THREADS)])
    assert len(results) == 2 and all(created for _, created in results)
    assert len(refusals) == THREADS - 2 and all("full" in str(refusal) for refusal in refusals)
    assert _stored(pg_app, session_id) == (2, 2)


def test_one_trainee_booking_from_several_requests_at_once_gets_one_place(pg_app):
    session_id = _new_session(pg_app, capacity=10)
    results, refusals = _book_at_once(pg_app, session_id, [f"t{THREADS}@example.org"] * 4)
    assert refusals == []
    assert len({booking_id for booking_id, _ in results}) == 1 and len(results) == 4
    assert sum(created for _, created in results) == 1
    assert _stored(pg_app, session_id) == (1, 1)
