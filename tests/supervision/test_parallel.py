"""Withdrawing and deciding the same hours entry at the same moment, on PostgreSQL: whichever
commits first stands, and the other is told (the race from issue 14).

Runs in its own fresh PostgreSQL database whatever database the rest of the suite uses, as
tests/labs/test_parallel.py does: SQLite allows one writer at a time and cannot show a race.
"""
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import fresh_postgres_app
from training.auth.accounts import create_account
from training.extensions import db
from training.models import HoursDecision, HoursEntry, Role, User, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import HoursRefused, NewHours, decide, log_hours, withdraw_hours


def _people():
    trainee = create_account("trainee@example.org", "Sam Trainee", [Role.TRAINEE], legal_name="Sam",
                             password="long enough password")
    supervisor = create_account("supervisor@example.org", "Pat Supervisor", [Role.SUPERVISOR],
                                password="long enough password")
    assign_supervisor(trainee, supervisor, primary=True)


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel_hours", _people) as app:
        yield app


def _person(email) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _new_entry(app, token) -> int:
    with app.app_context():
        entry, _ = log_hours(_person("trainee@example.org"), NewHours(
            "practice", "individual-support", date.today(), 60, f"Centre {token}", False, "", token), date.today())
        db.session.commit()
        entry_id = entry.id
        db.session.remove()
    return entry_id


def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        with db.engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar())


def _first_holds_while_second_tries(app, entry_id, first, second):
    """Run `first` (which must leave its change uncommitted) in one thread; once it has run,
    run `second` in another thread, which reads the entry first, as a request would. `first`
    commits only once `second` waits on the row (or has finished: then nothing made it wait).
    Returns what each returned or raised."""
    done_first, commit_first, outcomes, errors = threading.Event(), threading.Event(), {}, []

    def run(name, action, before_commit=None):
        with app.app_context():
            try:
                entry = db.session.get(HoursEntry, entry_id)
                entry.decisions  # read before the other request commits, as a page would have
                try:
                    outcomes[name] = action(entry)
                except HoursRefused as refusal:
                    db.session.rollback()
                    outcomes[name] = refusal
                    return
                if before_commit:
                    before_commit()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    def hold():
        done_first.set()
        commit_first.wait(timeout=20)

    one = threading.Thread(target=run, args=("first", first, hold))
    one.start()
    assert done_first.wait(timeout=20)
    two = threading.Thread(target=run, args=("second", second))
    two.start()
    deadline = time.monotonic() + 10
    while two.is_alive() and not _waiting_on_a_lock(app) and time.monotonic() < deadline:
        time.sleep(0.02)
    commit_first.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert not errors, errors
    return outcomes


def _stored(app, entry_id) -> tuple[bool, int]:
    with app.app_context():
        withdrawn = db.session.scalar(select(HoursEntry.withdrawn_at).where(HoursEntry.id == entry_id)) is not None
        decisions = db.session.scalar(select(func.count(HoursDecision.id)).where(HoursDecision.entry_id == entry_id))
        db.session.remove()
    return withdrawn, decisions


def test_withdrawing_while_a_supervisor_decides_leaves_the_decision_standing(pg_app):
    assert pg_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    entry_id = _new_entry(pg_app, "decided-first")
    outcomes = _first_holds_while_second_tries(
        pg_app, entry_id,
        lambda entry: decide(entry, _person("supervisor@example.org"), "verified", "", utcnow()),
        lambda entry: withdraw_hours(entry, _person("trainee@example.org"), utcnow()))
    assert isinstance(outcomes["second"], HoursRefused) and "decision stands" in str(outcomes["second"])
    assert _stored(pg_app, entry_id) == (False, 1)


def test_deciding_while_the_trainee_withdraws_tells_the_supervisor(pg_app):
    entry_id = _new_entry(pg_app, "withdrawn-first")
    outcomes = _first_holds_while_second_tries(
        pg_app, entry_id,
        lambda entry: withdraw_hours(entry, _person("trainee@example.org"), utcnow()),
        lambda entry: decide(entry, _person("supervisor@example.org"), "verified", "", utcnow()))
    assert outcomes["first"] is True
    assert isinstance(outcomes["second"], HoursRefused) and "withdrew this entry" in str(outcomes["second"])
    assert _stored(pg_app, entry_id) == (True, 0)
