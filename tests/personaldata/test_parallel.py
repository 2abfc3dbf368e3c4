"""Pressing "Prepare my data" many times at once, on PostgreSQL: one file is prepared."""
import pytest
from sqlalchemy import func, select

from tests.conftest import at_once, fresh_postgres_app
from training.auth.accounts import create_account
from training.extensions import db
from training.models import PersonalDataExport, Role, User
from training.personaldata.downloads import request_download

THREADS = 8


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    def setup():
        create_account("asker@example.org", "Asker", [Role.TRAINEE], password="long enough password")
    with fresh_postgres_app(tmp_path_factory, "personaldata", setup) as app:
        yield app


def test_parallel_requests_queue_one_download(pg_app):
    def ask():
        person = db.session.scalar(select(User).where(User.email == "asker@example.org"))
        download, new = request_download(person)
        return download.id, new
    results = at_once(pg_app, ask, THREADS)
    assert len({download_id for download_id, _new in results}) == 1  # everyone was given the same file
    assert sum(new for _id, new in results) == 1
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalDataExport)) == 1
