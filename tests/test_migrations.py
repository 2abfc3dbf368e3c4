"""Migrations build the whole schema from an empty database, and match the models."""
import uuid
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from training import create_app
from training.extensions import db


@pytest.fixture()
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database of the same kind as the test database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = sa.engine.make_url(database_url)
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _app(database_url: str, tmp_path):
    """The app on the given (empty) database."""
    return create_app({"ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url})


def test_upgrade_from_empty_matches_models_and_downgrades_cleanly(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            assert differences == [], f"models and migrations differ: {differences}"
            tables = set(sa.inspect(connection).get_table_names())
        assert {"users", "user_roles", "cohorts", "supervisor_assignments"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _filler(column):
    """A value of the column's type, for rows written before a migration."""
    kind = column["type"]
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 3, 1, tzinfo=timezone.utc)
    if isinstance(kind, sa.Date):
        return date(2026, 3, 1)
    if isinstance(kind, sa.LargeBinary):
        return b"%PDF-1.7"
    if isinstance(kind, sa.JSON):
        return {}
    return "x"


def _insert_filled(connection, name: str, **values) -> int:
    """Insert a row with every required column filled by a value of its type; returns its id."""
    columns = [c for c in sa.inspect(connection).get_columns(name) if not c["nullable"] and c["name"] != "id"]
    table = sa.table(name, sa.column("id", sa.Integer), *(sa.column(c["name"], c["type"]) for c in columns))
    row = {c["name"]: _filler(c) for c in columns} | values
    return connection.execute(sa.insert(table).values(**row).returning(table.c.id)).scalar_one()


def test_certificates_issued_before_short_codes_get_one(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="aece90e0b73e")
        with db.engine.begin() as connection:
            holder = _insert_filled(connection, "users", email="old@example.org")
            for number in range(3):
                _insert_filled(connection, "certificates", number=f"OLD-{number}", code=f"old-code-{number}",
                               holder_id=holder, cycle=number + 1)
        upgrade()
        with db.engine.connect() as connection:
            codes = connection.execute(sa.text("SELECT short_code FROM certificates")).scalars().all()
        assert len(codes) == 3 and len(set(codes)) == 3 and all(len(code) == 16 for code in codes)
        db.engine.dispose()


def test_hours_decided_before_the_waiting_index_leave_the_queue(empty_database_url, tmp_path):
    """Entries decided before `decided_at` existed take their newest decision's time; the rest still wait."""
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="c418baca2913")
        first, second = datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 3, 5, tzinfo=timezone.utc)
        with db.engine.begin() as connection:
            trainee = _insert_filled(connection, "users", email="trainee@example.org")
            decided = _insert_filled(connection, "hours_entries", trainee_id=trainee, submission_token="a")
            waiting = _insert_filled(connection, "hours_entries", trainee_id=trainee, submission_token="b")
            for when in (first, second):
                _insert_filled(connection, "hours_decisions", entry_id=decided, reviewer_id=trainee, created_at=when)
        upgrade()
        with db.engine.connect() as connection:
            stamps = dict(connection.execute(sa.text("SELECT id, decided_at FROM hours_entries")).all())
        assert stamps[waiting] is None and stamps[decided] is not None
        assert str(stamps[decided])[:10] == "2026-03-05"
        db.engine.dispose()


def test_certificates_issued_before_the_shared_status_list_keep_their_bits(empty_database_url, tmp_path):
    """Their signed credentials name their id as the bit: each keeps it, and the next entry
    handed out comes after the highest."""
    app = _app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="c6e8a0b2d4f5")
        with db.engine.begin() as connection:
            holder = _insert_filled(connection, "users", email="old@example.org")
            ids = [_insert_filled(connection, "certificates", number=f"OLD-{number}", code=f"old-code-{number}",
                                  short_code=f"OLDCODE{number:09d}", holder_id=holder, cycle=number + 1)
                   for number in range(3)]
        upgrade()
        with db.engine.begin() as connection:
            bits = dict(connection.execute(sa.text("SELECT id, status_index FROM certificates")).all())
            entries = sa.table("status_list_entries", sa.column("id", sa.Integer),
                               sa.column("created_at", sa.DateTime(timezone=True)))
            following = connection.execute(sa.insert(entries).values(created_at=datetime.now(timezone.utc))
                                           .returning(entries.c.id)).scalar_one()
        assert bits == {certificate_id: certificate_id for certificate_id in ids}
        assert following == max(ids) + 1
        db.engine.dispose()
