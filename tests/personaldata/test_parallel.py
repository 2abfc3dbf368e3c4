"""Pressing "Prepare my data" many times at once, on PostgreSQL: one file is prepared."""
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import fresh_postgres_app
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
    barrier, results, errors = threading.Barrier(THREADS), [], []

    def ask():
        with pg_app.app_context():
            try:
                person = db.session.scalar(select(User).where(User.email == "asker@example.org"))
                barrier.wait()
                download, new = request_download(person)
                results.append((download.id, new))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({download_id for download_id, _new in results}) == 1  # everyone was given the same file
    assert sum(new for _id, new in results) == 1
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalDataExport)) == 1
