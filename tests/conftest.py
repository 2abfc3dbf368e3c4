"""Shared fixtures: app, db, client, factories, login_as and a live server for the browser.

Tests use a real SQLite file by default, and the PostgreSQL database named by
TEST_DATABASE_URL when it is set. Tables are created once per run and emptied after
every test, so each test starts from an empty database.
"""
from __future__ import annotations

import contextvars
import functools
import os
import socket
import uuid
from contextlib import contextmanager
import re
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from werkzeug.serving import make_server

from training import create_app
from training.auth.accounts import create_account
from training.courses.files import load_library
from training.extensions import db as _db
from training.extensions import limiter
from training.models import Role

PASSWORD = "correct horse battery"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = bool(os.environ.get("CI"))
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A real SQLite file, or the PostgreSQL database named by TEST_DATABASE_URL. When the
    suite runs in parallel (pytest-xdist), each worker has a database of its own: its own
    SQLite file, or a PostgreSQL database made for it beside TEST_DATABASE_URL's and
    dropped at the end."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "master")  # also without the xdist plugin
    if worker_id == "master":
        yield url
        return
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker_id}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "ENVIRONMENT": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": None,
        "JOBS_IMMEDIATE": True,  # jobs run in the process right after the commit (tests/test_jobs.py starts workers)
        "SERVER_NAME": None,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    })
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()
    limiter.reset()


def _empty_tables():
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(_postgres_cleanup(connection, tables) or "SELECT 1")
        else:
            for table in tables:
                connection.execute(table.delete())


def _postgres_cleanup(connection, tables) -> str:
    """SQL that empties the tables a test touched and restarts their ids, in one round trip.

    Most tests touch a few of the ~45 tables; TRUNCATE costs as much for an empty table as a
    full one (about 0.09 s for a handful, against 0.007 s for DELETE of a few rows). Tables
    that hold rows, or whose id sequence moved (rows added and deleted), are emptied in
    dependency order, after clearing the foreign keys that close a cycle (use_alter)."""
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    dirty = set(connection.execute(text(probe)).scalars())
    dirty |= {name.removesuffix("_id_seq") for name in connection.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() "
        "AND last_value IS NOT NULL")).scalars()}
    statements = [f'UPDATE "{t.name}" SET "{fk.parent.name}" = NULL'
                  for t in tables if t.name in dirty for fk in t.foreign_keys if fk.constraint.use_alter]
    statements += [f'DELETE FROM "{t.name}"' for t in tables if t.name in dirty]
    statements += [f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), 1, false)"
                   for t in tables if t.name in dirty and "id" in t.c]
    return "; ".join(statements)


@functools.cache
def content_library(root: str | Path):
    """The checked Library of a content folder that no test changes (the fixture tree, the
    real courses), read once per run: reading the real curriculum takes seconds. Its
    objects are frozen, so sharing them is safe."""
    return load_library(Path(root))


def isolated(function, *args, **kwargs):
    """Run `function` in an empty context, as a real server would run a request.

    The `db` fixture keeps an app context open for the test body; without this, Flask
    would reuse it for the request, sharing `g` (the signed-in user) and the database
    session between requests and hiding real bugs.
    """
    return contextvars.Context().run(function, *args, **kwargs)


class Client:
    """The Flask test client with CSRF-aware helpers for forms."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def get(self, url, **kwargs):
        return isolated(self.http.get, url, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        if "csrf_token" not in page:  # signed in: /login redirects, the dashboard has the sign-out form
            page = self.get("/dashboard").get_data(as_text=True)
        return CSRF_PATTERN.search(page).group(1)

    def post(self, url, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:  # fetched only when not given (setdefault would always fetch)
            data["csrf_token"] = self.csrf_token()
        return isolated(self.http.post, url, data=data, **kwargs)

    def sign_out(self):
        """Forget every cookie: the next request comes from a stranger."""
        self.http = self.app.test_client()

    def sign_in_as(self, user):
        """Put `user` in this client's session directly (fast; the form has its own tests)."""
        user_id = user.get_id()

        def write():
            with self.http.session_transaction() as session:
                session["_user_id"] = user_id
                session["_fresh"] = True
        isolated(write)

    def login(self, email, password=PASSWORD, **extra):
        return self.post("/login", {"email": email, "password": password, **extra})


@pytest.fixture()
def client(app, db):
    return Client(app)


@pytest.fixture()
def make_user(db):
    """Factory: make_user(Role.TRAINEE, email=..., password=...) returns a saved User."""
    counter = {"n": 0}

    def make(*roles, email=None, display_name=None, legal_name="", password=PASSWORD):
        counter["n"] += 1
        roles = roles or (Role.TRAINEE,)
        email = email or f"{roles[0].value}{counter['n']}@example.org"
        user = create_account(email, display_name or f"{roles[0].label} {counter['n']}", roles,
                              legal_name=legal_name or f"Legal Name {counter['n']}", password=password)
        _db.session.commit()
        return user
    return make


@pytest.fixture()
def login_as(client, make_user):
    """login_as(Role.STAFF) or login_as(user): signs the test client in and returns the user."""
    def login(who):
        user = make_user(who) if isinstance(who, Role) else who
        client.sign_in_as(user)
        return user
    return login


# --- the real browser ------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on a free local port, in a thread, for Playwright."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` or `make test`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: a missing browser or database must not pass quietly."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {skipped} test(s) were skipped; failing the run.", red=True)
        session.exitstatus = 1


@pytest.fixture()
def attend_lab(db, make_user):
    """attend_lab(trainee, lab_slug, status="present", minutes=None): a past session of the lab
    with the trainee booked and their attendance recorded by a facilitator (returns the record)."""
    from datetime import timedelta

    from training.models import Lab, LabAttendance, LabBooking, LabSession, utcnow
    made = {}

    def attend(trainee, lab_slug, status="present", minutes=None):
        if "facilitator" not in made:
            made["facilitator"] = make_user(Role.STAFF)
        lab = _db.session.scalar(_db.select(Lab).where(Lab.slug == lab_slug))
        started = utcnow() - timedelta(days=3)
        session = LabSession(lab_id=lab.id, starts_at=started, minutes=lab.minutes, time_zone="America/Chicago",
                             mode="in-person", location="Room 2", facilitator_id=made["facilitator"].id, capacity=10,
                             booked=1, created_by_id=made["facilitator"].id)
        _db.session.add(session)
        _db.session.flush()
        booking = LabBooking(session_id=session.id, trainee_id=trainee.id, booked_at=started - timedelta(days=7))
        _db.session.add(booking)
        _db.session.flush()
        attended = lab.minutes if status == "present" else (minutes or 0)
        record = LabAttendance(booking_id=booking.id, status=status, minutes=attended,
                               recorded_by_id=made["facilitator"].id)
        _db.session.add(record)
        _db.session.commit()
        return record
    return attend


def at_once(app, job, threads: int) -> list:
    """Run job() in `threads` threads, each in its own app context and database session, all
    starting together, then commit each; returns what each returned. Any error fails the test."""
    barrier, results, errors = threading.Barrier(threads), [], []

    def work():
        with app.app_context():
            try:
                barrier.wait()
                results.append(job())
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                _db.session.remove()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


@contextmanager
def fresh_postgres_app(tmp_path_factory, name_prefix: str, setup):
    """An app on a brand-new PostgreSQL database, with its tables and `setup()` run in an app
    context, whatever database the rest of the suite uses: parallel tests need the production
    database, because SQLite allows one writer at a time and cannot show a race. Dropped
    afterwards. Skipped (which fails a CI run) when PostgreSQL cannot be reached."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    admin_url = sa.engine.make_url(url).set(database="postgres") if url.startswith("postgresql") else \
        POSTGRES_ADMIN_URL
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{name_prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable for {name_prefix}: {error}")
    app = create_app({"ENVIRONMENT": "testing", "TESTING": True, "INSTANCE_PATH": str(tmp_path_factory.mktemp("pg")),
                      "SQLALCHEMY_DATABASE_URI": sa.engine.make_url(admin_url).set(database=name)
                      .render_as_string(hide_password=False), "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    try:
        with app.app_context():
            _db.create_all()
            setup()
            _db.session.commit()
            _db.session.remove()
        yield app
    finally:
        with app.app_context():
            _db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class SMTPServer:
    """A real SMTP server (aiosmtpd) on a free local port, keeping what it receives;
    `refuse` makes it answer every message with a temporary failure."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages, self.refuse = [], False
        server = self

        class Handler:
            async def handle_DATA(self, _server, session, envelope):
                if server.refuse:
                    return "451 Try again later"
                server.messages.append(envelope.content.decode("utf-8", "replace"))
                return "250 OK"
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture()
def smtp_server(app):
    """A real SMTP server, and the app sending to it."""
    server = SMTPServer()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
    try:
        yield server
    finally:
        app.config.update(saved)
        server.stop()
