"""The fixture course's required lab, the people around it, and sessions made to order."""
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.labs.booking import book
from training.models import Lab, LabMode, LabSession, Role, utcnow

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture(scope="session")
def library():
    """The fixture courses, read once per run: the parsed content is frozen, so every test syncs the same."""
    return content_library(FIXTURE)


@pytest.fixture()
def lab(db, library):
    """`boundaries-practice`: 90 minutes of ethical-responsibility, required by the module `boundaries`."""
    sync_library(library)
    db.session.commit()
    return db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))


@pytest.fixture()
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture()
def facilitator(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture()
def make_session(lab, staff, facilitator):
    """Factory: make_session(starts_in=timedelta(days=7), **columns) returns a saved session of
    the lab (in person, 10 places, facilitated by `facilitator`); a negative `starts_in` has begun."""
    def make(starts_in=timedelta(days=7), **columns):
        values = dict(lab_id=lab.id, starts_at=utcnow() + starts_in, minutes=lab.minutes, time_zone="America/Chicago",
                      mode=LabMode.IN_PERSON, location="Recovery center, Room 2", facilitator_id=facilitator.id,
                      capacity=10, booked=0, created_by_id=staff.id)
        values.update(columns)
        session = LabSession(**values)
        db.session.add(session)
        db.session.commit()
        return session
    return make


@pytest.fixture()
def book_early(make_user):
    """book_early(session, *trainees, new=1): the trainees (or `new` new ones) booked through the
    rule a week before the session starts, so sessions that have begun have people in them.
    Returns the bookings."""
    def book_all(session, *trainees, new=1):
        bookings = []
        for trainee in trainees or [make_user(Role.TRAINEE) for _ in range(new)]:
            booking, _ = book(session, trainee, now=session.starts_at - timedelta(days=7))
            bookings.append(booking)
        db.session.commit()
        return bookings
    return book_all
