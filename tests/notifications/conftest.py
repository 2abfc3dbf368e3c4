"""People around one trainee (two supervisors, and others who must hear nothing), the fixture
course synced (competencies, tracks, labs), and helpers to read what each person was told."""
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Notification, OutboxMessage, Role
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def people(db, make_user):
    sync_library(content_library(FIXTURE))
    trainee = make_user(Role.TRAINEE, display_name="Sam Rivera")
    supervisor = make_user(Role.SUPERVISOR, display_name="Alex Kim")
    second = make_user(Role.SUPERVISOR, display_name="Jo Park")
    assign_supervisor(trainee, supervisor, primary=True)
    assign_supervisor(trainee, second, primary=False)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "second": second,
            "other_trainee": make_user(Role.TRAINEE), "other_supervisor": make_user(Role.SUPERVISOR),
            "staff": make_user(Role.STAFF)}


def told(user) -> list[Notification]:
    """The person's notifications, oldest first, as stored now."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def mailed(user) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                                   .order_by(OutboxMessage.id)))


def log_practice(client, hours="1.5", token=None, note=""):
    token = token or f"token-{hours}-{note}"
    return client.post("/hours/practice", {
        "practice-activity": "individual-support", "practice-worked_on": str(date.today()), "practice-hours": hours,
        "practice-setting": "Drop-in center", "practice-mode": "in_person", "practice-note": note,
        "practice-token": token})
