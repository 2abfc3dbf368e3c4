"""The daily commands run twice at the same moment (two cron hosts, a retry) on PostgreSQL:
a renewal reminder is still sent once per certificate, and a digest once.

Runs in its own fresh PostgreSQL database whichever database the rest of the suite uses, as
tests/labs/test_parallel.py does (SQLite allows one writer at a time, so it cannot show a race).
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import at_once, content_library, fresh_postgres_app
from tests.notifications.conftest import FIXTURE
from training.auth.accounts import create_account
from training.courses.operations import sync_library
from training.extensions import db
from training.models import (Certificate, EmailPreference, Notification, NotificationKind, OutboxMessage, Role, User,
                             utcnow)
from training.notifications.delivery import notify, send_digest
from training.notifications.renewals import remind_renewals

THREADS = 4


def _setup():
    sync_library(content_library(FIXTURE))
    holder = create_account("holder@example.org", "Holder", [Role.TRAINEE], legal_name="Holder",
                            password="long enough password")
    reader = create_account("reader@example.org", "Reader", [Role.SUPERVISOR], password="long enough password")
    reader.notification_email = EmailPreference.DIGEST
    db.session.flush()
    expires = utcnow().date() + timedelta(days=30)  # inside the 90-day window
    db.session.add(Certificate(number="BPC-2026-000001", code="parallel", holder_id=holder.id, track="basic",
                               track_title="Basic Peer Credential", issuer_name="Test", legal_name="Holder",
                               valid_from=expires - timedelta(days=730), expires_on=expires))
    for number in range(3):
        notify(reader, NotificationKind.HOURS_LOGGED, f"Entry {number}")


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel_notifications", _setup) as app:
        yield app


def _at_once(app, job):
    at_once(app, job, THREADS)


def _mail_to(email):
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == email))


def test_renewal_reminders_and_digests_sent_at_once_go_out_once(pg_app):
    _at_once(pg_app, lambda: remind_renewals(utcnow()))

    def digest():
        reader = db.session.scalar(select(User).where(User.email == "reader@example.org"))
        send_digest(reader, utcnow())
    _at_once(pg_app, digest)
    with pg_app.app_context():
        reminders = db.session.scalar(select(func.count(Notification.id)).where(
            Notification.kind == NotificationKind.RENEWAL_OPEN))
        assert (reminders, _mail_to("holder@example.org"), _mail_to("reader@example.org")) == (1, 1, 1)
        db.session.remove()
