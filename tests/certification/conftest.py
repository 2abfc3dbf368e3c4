"""A synced test track and people who meet it; stored certificates; a query counter."""
import secrets
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.courses.published import tracks
from training.demo_graduate import complete_requirements
from training.extensions import db
from training.models import Certificate, Role, utcnow
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def track(db):
    sync_library(content_library(FIXTURE))
    db.session.commit()
    return tracks()["basic"]


@pytest.fixture()
def people(track, make_user):
    staff, supervisor = make_user(Role.STAFF), make_user(Role.SUPERVISOR)
    return {"staff": staff, "supervisor": supervisor}


@pytest.fixture()
def eligible(track, people, make_user):
    """Make a trainee who meets every requirement of the track (not yet certified)."""
    def make(legal_name="Dana Q. Holder", **kwargs):
        trainee = make_user(Role.TRAINEE, legal_name=legal_name, **kwargs)
        assign_supervisor(trainee, people["supervisor"], primary=True)
        complete_requirements(trainee, people["supervisor"], people["staff"], track)
        db.session.commit()
        return trainee
    return make


@contextmanager
def counted_queries():
    """Collect the SQL statements run inside the block."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture()
def make_certificate(db, make_user):
    """Factory: a stored certificate row for a new holder, valid 1 March 2026 to 1 March 2028
    (no PDF or credential unless given; revoked=True revokes it)."""
    def make(revoked=False, **overrides):
        holder = make_user(Role.TRAINEE, legal_name="Dana Q. Holder")
        values = dict(number=f"PSS-2026-{holder.id:06d}", code=secrets.token_urlsafe(24), holder_id=holder.id,
                      track="cpss", track_title="Certified Peer Support Specialist",
                      issuer_name="Peer Support Training Program", legal_name=holder.legal_name,
                      valid_from=date(2026, 3, 1), expires_on=date(2028, 3, 1),
                      issued_at=datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc),
                      revoked_at=utcnow() if revoked else None,
                      summary={"requirements": [
                          {"group": "supervision", "label": "Verified supervision hours", "have": 25,
                           "need": 25.0, "unit": "hours"},
                          {"group": "attestation", "label": "Code of ethics signed", "have": 1, "need": 1.0,
                           "unit": ""}]})
        values.update(overrides)
        certificate = Certificate(**values)
        db.session.add(certificate)
        db.session.commit()
        return certificate
    return make
