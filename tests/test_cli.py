"""Command-line tools."""
from pathlib import Path

from sqlalchemy import select

from tests.conftest import content_library
from training.certification.verification import verify_credential
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD
from training.extensions import db
from training.models import Certificate, Role, SupervisorAssignment, User, utcnow


def test_create_user_with_two_roles(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "Lee@Example.org", "--name", "Lee", "--role", "staff",
        "--role", "supervisor", "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "lee@example.org"))
    assert user.roles == {Role.STAFF, Role.SUPERVISOR}


def test_create_user_explains_a_duplicate_and_a_short_password(app, db, make_user):
    make_user(Role.STAFF, email="taken@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "taken@example.org", "--name", "X",
                                 "--role", "staff", "--password", "long enough password"])
    assert result.exit_code == 2 and "already exists" in result.output
    result = runner.invoke(args=["users", "create", "--email", "new@example.org", "--name", "X",
                                 "--role", "staff", "--password", "short"])
    assert result.exit_code == 2 and "at least 10 characters" in result.output


def test_demo_seed_only_into_an_empty_database(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0 and "trainee2@example.org" in result.output
    assert len(db.session.scalars(select(User)).all()) == 6  # five accounts and one invitation not yet taken up
    assert db.session.scalar(select(User).where(User.email == "invited@example.org")).password_hash is None
    supervisor = db.session.scalar(select(User).where(User.email == "supervisor@example.org"))
    assert len(db.session.scalars(select(SupervisorAssignment).where(
        SupervisorAssignment.supervisor_id == supervisor.id)).all()) == 3
    assert "no certificate yet: no credential track is synced" in result.output
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert again.exit_code == 0 and len(db.session.scalars(select(User)).all()) == 6
    assert client.login("trainee@example.org", DEMO_PASSWORD).status_code == 302


def test_demo_graduate_holds_a_valid_certificate_of_the_real_track(app, client):
    sync_library(content_library(Path(app.config["COURSES_DIR"])))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    completion = db.session.scalar(select(Certificate).where(Certificate.kind == "completion"))
    certificate = db.session.scalar(select(Certificate).where(Certificate.kind == "certification"))
    assert f"holds {completion.number}" in result.output and f"holds {certificate.number}" in result.output
    assert completion.number.startswith("PSC-") and completion.expires_on is None
    assert completion.counts_toward == "the IC&RC Peer Recovery credential" and completion.total_hours >= 12
    assert certificate.number.startswith("PSS-") and certificate.status(utcnow().date()) == "valid"
    assert {c.legal_name for c in (completion, certificate)} == {"Riley Santos-Whitaker"}
    requirements = {item["group"]: item for item in certificate.summary["requirements"]}
    assert requirements["exam"]["label"] == "Exam passed: IC&RC Peer Recovery (PR) exam"
    for issued in (completion, certificate):
        assert verify_credential(issued.credential_jwt).ok
        assert client.get(f"/verify/{issued.code}").status_code == 200
        assert client.get(f"/verify/{issued.printed_code.lower()}").status_code == 200  # the code printed on the PDF
