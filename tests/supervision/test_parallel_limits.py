"""Rules that hold under parallel requests on PostgreSQL (found in the penetration test):
ten parallel posts of 24 hours for one day stored four (96 hours in a day), and ten parallel
sign-off requests for one competency opened four. Each thread is a real request through the
test client, all released at once.

Runs in its own fresh PostgreSQL database whatever database the rest of the suite uses.
"""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.certification.conftest import FIXTURE
from tests.conftest import content_library, fresh_postgres_app
from training.courses.operations import sync_library
from training.auth.accounts import create_account
from training.extensions import db
from training.models import HoursEntry, Role, SignoffRequest, User
from training.staff.cohorts import assign_supervisor

THREADS = 10
PASSWORD = "long enough password"


def _people():
    sync_library(content_library(FIXTURE))
    trainee = create_account("trainee@example.org", "Sam Trainee", [Role.TRAINEE], legal_name="Sam",
                             password=PASSWORD)
    supervisor = create_account("supervisor@example.org", "Pat Supervisor", [Role.SUPERVISOR], password=PASSWORD)
    assign_supervisor(trainee, supervisor, primary=True)


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel_limits", _people) as app:
        app.config["WTF_CSRF_ENABLED"] = False
        app.config["RATELIMIT_ENABLED"] = False
        yield app


def _signed_in_clients(app, count):
    with app.app_context():
        user_id = db.session.scalar(select(User).where(User.email == "trainee@example.org")).get_id()
        db.session.remove()
    clients = []
    for _ in range(count):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user_id, True
        clients.append(client)
    return clients


def _all_at_once(app, path, forms) -> list[int]:
    clients, barrier, statuses = _signed_in_clients(app, len(forms)), threading.Barrier(len(forms)), []

    def post(client, form):
        barrier.wait()
        statuses.append(client.post(path, data=form).status_code)
    threads = [threading.Thread(target=post, args=(c, f)) for c, f in zip(clients, forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_posts_never_store_more_than_a_day_of_hours(pg_app):
    day = date.today() - timedelta(days=3)
    forms = [{f"practice-{name}": value for name, value in (
        ("activity", "individual-support"), ("worked_on", day.isoformat()), ("hours", "24"), ("mode", "in_person"),
        ("setting", f"Centre {n}"), ("note", f"Shift {n}"), ("token", f"token-{n:02d}"))} for n in range(THREADS)]
    statuses = _all_at_once(pg_app, "/hours/practice", forms)
    with pg_app.app_context():
        stored = db.session.scalar(select(func.coalesce(func.sum(HoursEntry.minutes), 0)).where(
            HoursEntry.worked_on == day))
        db.session.remove()
    assert stored == 24 * 60, statuses
    assert statuses.count(302) == 1, statuses


def test_parallel_requests_open_one_sign_off_request_per_competency(pg_app):
    day = date.today() - timedelta(days=2)
    forms = [{"happened_on": day.isoformat(), "setting": "Drop-in centre",
              "method": "direct-observation", "what_happened": f"I listened and reflected back, time {n}.",
              "reflection": "I noticed I wanted to fix things."} for n in range(THREADS)]
    statuses = _all_at_once(pg_app, "/competencies/C01.1/request", forms)
    with pg_app.app_context():
        opened = db.session.scalar(select(func.count(SignoffRequest.id)).where(SignoffRequest.competency == "C01.1"))
        db.session.remove()
    assert opened == 1, statuses
