"""Several job workers sending xAPI statements at once, on PostgreSQL: each statement reaches
the store exactly once (rows are taken with FOR UPDATE SKIP LOCKED, so workers share the
backlog instead of sending the same batch)."""
import threading
import time
import uuid
from collections import Counter
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from tests.conftest import at_once, fresh_postgres_app
from tests.test_xapi import StoreHandler
from training import xapi
from training.extensions import db
from training.models import XapiStatement

STATEMENTS = 1000  # five batches
WORKERS = 4


class SlowStore(StoreHandler):
    def do_POST(self):  # noqa: N802  (the http.server name)
        time.sleep(0.05)  # long enough that the workers' batches overlap
        super().do_POST()


def _backlog():
    db.session.add_all(XapiStatement(statement_id=str(uuid.uuid4()), verb="completed", statement={"n": number})
                       for number in range(STATEMENTS))
    db.session.flush()
    for row in db.session.scalars(select(XapiStatement)):
        row.statement = {"id": row.statement_id}


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "xapi", _backlog) as app:
        yield app


def test_parallel_senders_send_each_statement_once(pg_app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowStore)
    server.received, server.down = [], False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pg_app.config.update(XAPI_ENDPOINT=f"http://127.0.0.1:{server.server_address[1]}/xapi/")

    def send_all():
        while xapi.send_waiting() != "nothing to send":
            pass
    try:
        at_once(pg_app, send_all, WORKERS)
    finally:
        server.shutdown()
        server.server_close()
    received = Counter(statement["id"] for request in server.received for statement in request["body"])
    assert len(received) == STATEMENTS and set(received.values()) == {1}
    assert len(server.received) >= STATEMENTS // xapi.BATCH  # batches of at most BATCH
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).where(XapiStatement.sent_at.is_(None))) == 0
