"""A synced test track and people who meet it."""
from pathlib import Path

import pytest

from training.courses.files import load_library
from training.courses.operations import sync_library
from training.courses.published import tracks
from training.demo_graduate import complete_requirements
from training.extensions import db
from training.models import Role
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def track(db):
    sync_library(load_library(FIXTURE))
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
