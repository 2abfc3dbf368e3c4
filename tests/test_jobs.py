"""Background jobs: mail goes out through the queue after the commit, tries again with
growing pauses, fails visibly for staff to resend, and is sent once however often its job
runs. In the suite jobs run in the process right after the commit (JOBS_IMMEDIATE); the last
tests start real worker processes on the SQLite queue and on Redis."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import SMTPServer
from training import create_app
from training.extensions import db
from training.jobs.tasks import MAIL_ATTEMPTS, deliver_mail
from training.mailer import send_mail
from training.models import MailStatus, OutboxMessage, Role

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("db")  # an app context and clean tables


def _message() -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))


def test_mail_is_sent_by_the_job_after_the_commit_and_only_then(app, smtp_server):
    send_mail("a@example.org", "Hello", "Body")
    assert smtp_server.messages == []  # nothing leaves before the commit
    db.session.rollback()
    assert smtp_server.messages == [] and _message() is None  # a rolled-back action sends nothing
    send_mail("a@example.org", "Hello", "Body")
    db.session.commit()
    assert len(smtp_server.messages) == 1 and _message().status == MailStatus.SENT and _message().attempts == 1


def test_running_the_job_twice_sends_one_mail(app, smtp_server):
    send_mail("a@example.org", "Hello", "Body")
    db.session.commit()
    assert deliver_mail(_message().id) == "nothing to do"
    assert len(smtp_server.messages) == 1


def test_a_refusing_server_is_tried_again_then_the_message_fails_and_staff_resend_it(app, client, login_as,
                                                                                      smtp_server):
    smtp_server.refuse = True
    send_mail("a@example.org", "Hello", "Body")
    db.session.commit()
    message = _message()
    assert (message.status, message.attempts) == (MailStatus.RETRYING, 1) and "451" in message.error
    for attempt in range(2, MAIL_ATTEMPTS + 1):  # as the worker would, at 30 s, 1, 2, 4 and 8 minutes
        deliver_mail(message.id)
    message = _message()
    assert (message.status, message.attempts) == (MailStatus.FAILED, MAIL_ATTEMPTS) and smtp_server.messages == []
    login_as(Role.STAFF)
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "every attempt failed" in page and "last error: (451" in page and "Send it again" in page
    smtp_server.refuse = False
    response = client.post(f"/staff/outbox/{message.id}/retry", follow_redirects=True)
    assert "queued again" in response.get_data(as_text=True)
    assert _message().status == MailStatus.SENT and len(smtp_server.messages) == 1
    assert "not waiting to be sent again" in client.post(f"/staff/outbox/{message.id}/retry",
                                                         follow_redirects=True).get_data(as_text=True)


def _worker(jobs_url: str, database_url: str, smtp: SMTPServer, tmp_path) -> subprocess.Popen:
    env = {**os.environ, "TRAINING_ENV": "development", "DATABASE_URL": database_url, "JOBS_URL": jobs_url,
           "JOBS_IMMEDIATE": "false", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
           "MAIL_USE_TLS": "false", "INSTANCE_PATH": str(tmp_path)}
    return subprocess.Popen([sys.executable, "-m", "training.jobs", "--workers", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _sender(jobs_url: str, database_url: str, smtp: SMTPServer, tmp_path):
    return create_app({"TESTING": True, "ENVIRONMENT": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "INSTANCE_PATH": str(tmp_path), "JOBS_URL": jobs_url, "JOBS_IMMEDIATE": False,
                       "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": False,
                       "RATELIMIT_STORAGE_URI": "memory://", "PASSWORD_HASH_PROFILE": "CHEAPEST"})


def _through_a_worker(jobs_url, database_url, tmp_path):
    """Queue a mail while no worker runs; start one (it finds the job waiting); queue the same
    job twice more; one mail arrives."""
    smtp = SMTPServer()
    sender = _sender(jobs_url, database_url, smtp, tmp_path)
    worker = None
    try:
        with sender.app_context():
            message = send_mail("w@example.org", "From the worker", "Body")
            db.session.commit()
            message_id = message.id
            worker = _worker(jobs_url, database_url, smtp, tmp_path)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                db.session.expire_all()
                if db.session.get(OutboxMessage, message_id).status == MailStatus.SENT:
                    break
                time.sleep(0.2)
            assert db.session.get(OutboxMessage, message_id).status == MailStatus.SENT
            for _ in range(2):  # the same job again: nothing more is sent
                sender.extensions["jobs"].tasks_by_name["deliver_mail"](message_id)
            time.sleep(1.5)
            assert len(smtp.messages) == 1 and "From the worker" in smtp.messages[0]
            db.session.remove()
    finally:
        if worker is not None:
            worker.terminate()
            output = worker.communicate(timeout=20)[0]
            assert "deliver_mail" in output, output[-2000:]
        smtp.stop()
        with sender.app_context():
            db.engine.dispose()


def test_a_worker_process_sends_queued_mail_from_the_sqlite_queue(app, database_url, tmp_path):
    _through_a_worker(f"sqlite:///{tmp_path / 'jobs.sqlite3'}", database_url, tmp_path)


def test_a_worker_process_sends_queued_mail_from_redis(app, database_url, tmp_path):
    import redis
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    _through_a_worker(url, database_url, tmp_path)


def test_a_savepoint_ending_neither_starts_nor_drops_the_jobs_of_its_transaction(app, smtp_server):
    """Only the real commit starts jobs (a released savepoint started them early on PostgreSQL,
    where the job could not yet see its row); a savepoint rolled back keeps them too."""
    from training.models import CertificateCounter
    send_mail("a@example.org", "Hello", "Body")
    with db.session.begin_nested():
        db.session.add(CertificateCounter(prefix="T", year=2026, last_number=0))
    assert smtp_server.messages == []
    try:
        with db.session.begin_nested():
            db.session.add(CertificateCounter(prefix="T", year=2026, last_number=0))  # the same key: refused
    except Exception:  # noqa: BLE001 (the IntegrityError rolls the savepoint back)
        pass
    assert smtp_server.messages == []
    db.session.commit()
    assert len(smtp_server.messages) == 1 and _message().status == MailStatus.SENT
