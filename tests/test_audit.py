"""The audit log: events come with the actions that cause them (in the same transaction),
chain by hashes, survive nothing being edited, and are shown to staff and to the person
whose records they are about."""
import csv
import io
import re
from pathlib import Path

from sqlalchemy import func, select, update

from tests.certification.conftest import FIXTURE
from tests.conftest import content_library
from tests.reports.test_exports import download
import training
from training import audit
from training.audit.views import ACTIONS
from training.courses.operations import sync_library
from training.extensions import db
from training.models import AuditEvent, AuditHead, Role, SupervisorAssignment
from training.staff.cohorts import create_cohort, enrol_trainee


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_sign_ins_roles_and_supervision_are_recorded_with_who_and_where(client, make_user):
    staff, trainee, supervisor = make_user(Role.STAFF), make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    db.session.execute(AuditEvent.__table__.delete())
    db.session.execute(AuditHead.__table__.delete())
    db.session.commit()
    client.login(staff.email, "not the password")
    client.login(staff.email)
    cohort = create_cohort("Spring")
    enrol_trainee(cohort, trainee)
    db.session.commit()
    client.post(f"/staff/cohorts/{cohort.id}", {"assign-trainee_id": trainee.id, "assign-supervisor_id": supervisor.id,
                                                "assign-primary": "y"})
    client.post(f"/staff/people/{supervisor.id}", {"supervisor": "y", "staff": "y"})
    assert actions() == ["auth.sign_in_failed", "auth.signed_in", "supervisor.assigned", "role.granted"]
    failed, signed_in, assigned, granted = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert failed.actor_id is None and failed.subject_id == staff.id and failed.details == {"email": staff.email}
    assert signed_in.actor_id == staff.id and signed_in.address == "127.0.0.1"
    assert (assigned.actor_id, assigned.subject_id, assigned.details["supervisor_id"]) == (staff.id, trainee.id,
                                                                                          supervisor.id)
    assert (granted.subject_id, granted.details) == (supervisor.id, {"role": "staff"})
    assert audit.verify() == (4, None)


def test_a_refused_action_records_nothing(client, login_as, make_user):
    """The event is part of the action's transaction: a rolled-back action leaves no event."""
    me = login_as(Role.STAFF)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    client.post(f"/staff/people/{me.id}", {"supervisor": "y", "staff": "y"})  # one's own roles: refused
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_verify_names_the_first_changed_or_removed_event(client, make_user):
    for _ in range(3):
        client.login(make_user(Role.TRAINEE).email)
    count, broken = audit.verify()
    assert broken is None and count >= 6
    second = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()[1]
    second_id, second_seq, address = second.id, second.seq, second.address
    db.session.execute(update(AuditEvent).where(AuditEvent.id == second_id).values(address="10.0.0.9"))
    db.session.commit()
    assert audit.verify()[1].seq == second_seq and "contents" in audit.verify()[1].why
    db.session.execute(update(AuditEvent).where(AuditEvent.id == second_id).values(address=address))
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == 4))
    db.session.commit()
    assert audit.verify()[1].seq == 4 and "missing" in audit.verify()[1].why
    last = db.session.scalar(select(func.max(AuditEvent.seq)))
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq >= 4))
    db.session.commit()
    assert "removed from the end" in audit.verify()[1].why and last > 4


def test_the_cli_exits_non_zero_on_a_broken_chain(app, client, make_user, database_url, tmp_path):
    client.login(make_user(Role.TRAINEE).email)
    client.login(make_user(Role.TRAINEE).email)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    first = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == first.id).values(action="auth.signed_out"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"Broken at event {first.seq}" in result.output


def test_staff_filter_and_export_the_log_and_a_trainee_sees_their_own(client, make_user):
    sync_library(content_library(FIXTURE))
    staff, trainee, other = make_user(Role.STAFF), make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    supervisor = make_user(Role.SUPERVISOR, display_name="Pat Supervisor")
    db.session.commit()
    client.login(staff.email)
    cohort = create_cohort("Fall")
    enrol_trainee(cohort, trainee)
    db.session.commit()
    client.post(f"/staff/cohorts/{cohort.id}", {"assign-trainee_id": trainee.id, "assign-supervisor_id": supervisor.id,
                                                "assign-primary": "y"})
    assert db.session.scalar(select(func.count(SupervisorAssignment.id))) == 1
    assert "Not a valid choice" not in client.get("/staff/audit").get_data(as_text=True)  # unfiltered: no error
    page = client.get(f"/staff/audit?action=supervisor.assigned&person={trainee.email}").get_data(as_text=True)
    assert "1 event matches these filters." in page and "Supervisor assigned" in page
    assert "0 events match" in client.get(f"/staff/audit?person={other.email}&action=supervisor.assigned"
                                          ).get_data(as_text=True)
    for hostile in ("since=0001-01-01", "until=not-a-date", "object=certificate:%00", "page=99999999999999999999",
                    "action=drop"):
        assert client.get(f"/staff/audit?{hostile}").status_code in (200, 400), hostile
    _response, _streamed, data = download(client, "/staff/audit?format=csv&action=supervisor.assigned")
    rows = list(csv.reader(io.StringIO(data.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Number", "When (UTC)", "Action"] and len(rows) == 2 and rows[1][2] == "supervisor.assigned"
    assert actions()[-1] == "audit.exported"

    client.post("/logout")
    client.login(trainee.email)
    page = client.get("/account/activity").get_data(as_text=True)
    assert "Supervisor assigned" in page and staff.display_name in page
    assert "Audit log exported" not in page  # only events about their own records


def _people():
    from training.auth.accounts import create_account
    for index in range(8):
        create_account(f"p{index}@example.org", f"Person {index}", [Role.TRAINEE], password="long enough password")


def test_parallel_actions_on_postgresql_keep_one_unbroken_chain(tmp_path_factory):
    """Eight people signing in at the same moment: eight events, numbered without gaps, each
    chained to the one before (the chain's head is locked at commit)."""
    import threading

    from tests.conftest import fresh_postgres_app
    with fresh_postgres_app(tmp_path_factory, "audit", _people) as app:
        app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
        with app.app_context():
            db.session.execute(AuditEvent.__table__.delete())
            db.session.execute(AuditHead.__table__.delete())
            db.session.commit()
            db.session.remove()
        barrier, statuses = threading.Barrier(8), []

        def sign_in(index):
            client = app.test_client()
            barrier.wait()
            statuses.append(client.post("/login", data={"email": f"p{index}@example.org",
                                                        "password": "long enough password"}).status_code)
        threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [302] * 8
        with app.app_context():
            assert audit.verify() == (8, None)
            assert sorted(db.session.scalars(select(AuditEvent.seq))) == list(range(1, 9))
            db.session.remove()


def test_events_wait_for_the_real_commit_and_survive_a_savepoint_rolled_back(make_user):
    from sqlalchemy.exc import IntegrityError

    from training.models import CertificateCounter
    person = make_user(Role.TRAINEE)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    audit.record("auth.signed_in", subject_id=person.id, actor=person)
    try:
        with db.session.begin_nested():
            db.session.add_all([CertificateCounter(prefix="T", year=2026, last_number=0),
                                CertificateCounter(prefix="T", year=2026, last_number=0)])
    except IntegrityError:
        pass
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before
    db.session.commit()
    assert actions()[-1] == "auth.signed_in" and audit.verify()[1] is None


def test_every_action_recorded_has_a_name_in_the_log():
    """The log names each action in words; an action recorded without one would show its code."""
    source = "\n".join(path.read_text() for path in Path(training.__file__).parent.rglob("*.py"))
    recorded = set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= {f"statement.{status}" for status in ("accepted", "returned")}  # attesting.py builds these
    assert len(recorded) > 15  # the literal calls; others pass a name made elsewhere
    assert recorded - set(ACTIONS) == set()
