"""xAPI statements reach a learning record store (a small real HTTP server here), survive it
being down, name people by account and never by email, and staff can export a period."""
import base64
import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import content_library
from training import xapi
from training.courses.operations import sync_library
from training.courses.progress import complete_lesson
from training.extensions import db
from training.models import Lesson, Quiz, Role, XapiStatement, utcnow
from training.quizzes.attempts import start_attempt

COURSE_FIXTURE = Path(__file__).parent / "courses" / "fixtures" / "valid"


class StoreHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802  (the http.server name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.server.down:
            self.send_response(503)
            self.end_headers()
            return
        self.server.received.append({"path": self.path, "body": json.loads(body),
                                     "headers": {name.lower(): value for name, value in self.headers.items()}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps([item["id"] for item in json.loads(body)]).encode())

    def log_message(self, *args):
        pass


@pytest.fixture()
def store(app):
    """A learning record store on a free local port; `store.down = True` makes it answer 503."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), StoreHandler)
    server.received, server.down = [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(XAPI_ENDPOINT=f"http://127.0.0.1:{server.server_address[1]}/xapi/", XAPI_USERNAME="lrs-key",
                      XAPI_PASSWORD="lrs-secret")
    yield server
    app.config.update(XAPI_ENDPOINT=None, XAPI_USERNAME=None, XAPI_PASSWORD=None)
    server.shutdown()
    server.server_close()


@pytest.fixture()
def course(db):
    sync_library(content_library(COURSE_FIXTURE))
    db.session.commit()


def _sent(store) -> list[dict]:
    return [statement for request in store.received for statement in request["body"]]


def test_a_completed_lesson_reaches_the_store_named_by_account(app, store, course, make_user):
    trainee = make_user(Role.TRAINEE)
    complete_lesson(trainee.id, db.session.scalar(select(Lesson).where(Lesson.slug == "gifts")))
    db.session.commit()  # the job runs after the commit (in the process, in tests)
    [request] = store.received
    base = xapi._base()
    assert request["path"] == "/xapi/statements"
    assert request["headers"]["x-experience-api-version"] == "1.0.3"
    assert request["headers"]["authorization"] == "Basic " + base64.b64encode(b"lrs-key:lrs-secret").decode()
    [made] = request["body"]
    assert base.startswith("http") and not base.endswith("/")
    assert made["actor"] == {"objectType": "Agent", "account": {"homePage": base, "name": trainee.holder_uuid}}
    assert made["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert made["object"]["id"].startswith(f"{base}/xapi/activities/lesson/")
    assert trainee.email not in json.dumps(request["body"])
    assert db.session.scalar(select(XapiStatement.sent_at)) is not None


def test_quiz_attempted_passed_or_failed_with_the_scaled_score(app, store, course, make_user):
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    for percent, passed in ((85.0, True), (40.0, False)):
        trainee = make_user(Role.TRAINEE)
        attempt = start_attempt(quiz, trainee, utcnow())
        db.session.commit()
        # Marked as grading marks it (submitting draws at random, and a written answer waits
        # for a reviewer, so the test sets the mark itself).
        attempt.percent, attempt.passed, attempt.status, attempt.submitted_at = percent, passed, "graded", utcnow()
        db.session.commit()
        mine = [made for made in _sent(store) if made["actor"]["account"]["name"] == trainee.holder_uuid]
        assert [made["verb"]["display"]["en-US"] for made in mine] == ["attempted", "passed" if passed else "failed"]
        assert mine[-1]["result"]["score"]["scaled"] == percent / 100 and mine[-1]["result"]["success"] is passed
        assert mine[-1]["object"]["definition"]["name"]["en-US"].endswith(": module quiz")


def test_statements_wait_while_the_store_is_down_and_none_is_lost(app, store, course, make_user):
    trainee = make_user(Role.TRAINEE)
    lessons = db.session.scalars(select(Lesson).order_by(Lesson.id)).all()[:2]
    store.down = True
    for lesson in lessons:
        complete_lesson(trainee.id, lesson)
        db.session.commit()
    waiting = db.session.scalars(select(XapiStatement).where(XapiStatement.sent_at.is_(None))).all()
    assert len(waiting) == 2 and all(row.attempts >= 1 and "503" in row.last_error for row in waiting)
    assert store.received == []
    store.down = False
    assert xapi.send_waiting() == "sent 2"  # the retry the job scheduled, run now
    assert len(_sent(store)) == 2 and xapi.send_waiting() == "nothing to send"  # each sent once
    db.session.expire_all()
    assert db.session.scalar(select(XapiStatement).where(XapiStatement.sent_at.is_(None))) is None


def test_a_rolled_back_action_reports_nothing(app, store, course, make_user):
    trainee = make_user(Role.TRAINEE)
    complete_lesson(trainee.id, db.session.scalar(select(Lesson).where(Lesson.slug == "gifts")))
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(XapiStatement.id)) is None and store.received == []


def test_without_a_store_statements_are_kept_for_export(app, client, course, make_user, login_as):
    trainee = make_user(Role.TRAINEE)
    complete_lesson(trainee.id, db.session.scalar(select(Lesson).where(Lesson.slug == "gifts")))
    db.session.commit()
    assert xapi.send_waiting() == "no store configured"
    login_as(Role.STAFF)
    today = date.today()
    response = client.get(f"/staff/xapi/statements.json?since={today - timedelta(days=1)}&until={today}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    [made] = json.loads(response.get_data(as_text=True))
    assert made["actor"]["account"]["name"] == trainee.holder_uuid
    earlier = client.get("/staff/xapi/statements.json?since=2020-01-01&until=2020-01-31")
    assert json.loads(earlier.get_data(as_text=True)) == []
    for bad in ("since=0001-01-01&until=2026-01-01", "since=2026-02-01&until=2026-01-01", "since=soon",
                "since=2026-01-01&until=2026-99-01"):
        refused = client.get(f"/staff/xapi/statements.json?{bad}")
        assert refused.status_code == 400 and "YYYY-MM-DD" in refused.get_json()["error"], bad
