"""A bulk hours decision while another supervisor decides one of the same entries, on PostgreSQL:
the bulk decision waits for the row lock, then skips that entry naming who decided it, and
saves the others. Runs in its own fresh PostgreSQL database (SQLite cannot show a race)."""
import pytest

from tests.conftest import fresh_postgres_app
from tests.supervision.test_parallel import _first_holds_while_second_tries, _new_entry, _person, _stored
from training.auth.accounts import create_account
from training.extensions import db
from training.models import HoursEntry, Role, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import decide, decide_pending


def _people():
    trainee = create_account("trainee@example.org", "Sam Trainee", [Role.TRAINEE], password="long enough password")
    pat = create_account("supervisor@example.org", "Pat Supervisor", [Role.SUPERVISOR],
                         password="long enough password")
    lee = create_account("lee@example.org", "Lee Supervisor", [Role.SUPERVISOR], password="long enough password")
    assign_supervisor(trainee, pat, primary=True)
    assign_supervisor(trainee, lee, primary=False)


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel_bulk_hours", _people) as app:
        yield app


def _summary(outcome):
    """Plain values, readable after the request's session is gone."""
    return [entry.id for entry, _ in outcome.decided], [(item.entry.id, item.why) for item in outcome.skipped]


def test_a_bulk_decision_skips_the_entry_another_supervisor_is_deciding(pg_app):
    contested, other = _new_entry(pg_app, "contested"), _new_entry(pg_app, "other")
    outcomes = _first_holds_while_second_tries(
        pg_app, contested,
        lambda entry: decide(entry, _person("supervisor@example.org"), "verified", "", utcnow()),
        lambda entry: _summary(decide_pending([entry, db.session.get(HoursEntry, other)],
                                              _person("lee@example.org"), "verified", "", utcnow())))
    assert outcomes["second"] == ([other], [(contested, "already verified by Pat Supervisor")])
    assert _stored(pg_app, contested) == (False, 1) and _stored(pg_app, other) == (False, 1)
