"""Parallel issuance on PostgreSQL, the production database: numbers stay unique and
sequential, and issuing one person twice at once gives one certificate.

Runs in its own fresh PostgreSQL database whichever database the rest of the suite uses
(SQLite allows one writer at a time, so it cannot show a race).
"""
import itertools
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import at_once, content_library, fresh_postgres_app
from training.certification.issuance import IssueRefused, correct, issue, revoke
from training.certification.issuedrecords import issue as issue_learner_record
from training.certification.standing import standing_for
from training.courses.operations import sync_library
from training.courses.published import tracks
from training.demo_graduate import complete_requirements
from training.auth.accounts import create_account
from training.extensions import db
from training.models import Certificate, IssuedLearnerRecord, Role, User, utcnow
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"
THREADS = 6


def _people():
    sync_library(content_library(FIXTURE))
    staff = create_account("staff@example.org", "Staff", [Role.STAFF], password="long enough password")
    supervisor = create_account("sup@example.org", "Sup", [Role.SUPERVISOR], password="long enough password")
    track = tracks()["basic"]
    for email in [f"t{index}@example.org" for index in range(THREADS)] + \
            [f"r{index}@example.org" for index in range(THREADS)]:  # r: the status-bit race's own people
        trainee = create_account(email, email.split("@")[0], [Role.TRAINEE],
                                 legal_name=f"Legal {email}", password="long enough password")
        assign_supervisor(trainee, supervisor, primary=True)
        complete_requirements(trainee, supervisor, staff, track)


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    with fresh_postgres_app(tmp_path_factory, "parallel", _people) as app:
        yield app


def _issue_at_once(app, emails: list[str]) -> list[tuple[int, bool]]:
    """Issue for each email in its own thread, all starting together."""
    barrier, results, errors = threading.Barrier(len(emails)), [], []

    def work(email):
        with app.app_context():
            try:
                track = tracks()["basic"]
                person = db.session.scalar(select(User).where(User.email == email))
                staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
                eligibility = standing_for(track, person.id).eligibility
                barrier.wait()
                certificate, created = issue(person, track, eligibility, by=staff, now=utcnow())
                db.session.commit()
                results.append((certificate.id, created))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=work, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_parallel_issuance_gives_unique_sequential_numbers(pg_app):
    assert pg_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    results = _issue_at_once(pg_app, [f"t{index}@example.org" for index in range(1, THREADS)])
    assert len(results) == THREADS - 1 and all(created for _, created in results)
    with pg_app.app_context():
        numbers = sorted(db.session.scalars(select(Certificate.number)))
        db.session.remove()
    year = numbers[0].split("-")[1]
    assert numbers == [f"BPC-{year}-{n:06d}" for n in range(1, THREADS)]


def test_issuing_one_person_at_once_from_several_requests_gives_one_certificate(pg_app):
    results = _issue_at_once(pg_app, ["t0@example.org"] * 4)
    assert len({certificate_id for certificate_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with pg_app.app_context():
        count = db.session.scalar(select(func.count(Certificate.id)).where(
            Certificate.holder_id == select(User.id).where(User.email == "t0@example.org").scalar_subquery()))
        db.session.remove()
    assert count == 1


def test_correcting_one_revoked_certificate_at_once_gives_one_correction(pg_app):
    """Staff pressing "Issue a corrected certificate" together: one correction, the others see it."""
    with pg_app.app_context():
        track = tracks()["basic"]
        person = db.session.scalar(select(User).where(User.email == "t5@example.org"))
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        old, _ = issue(person, track, standing_for(track, person.id).eligibility, by=staff, now=utcnow())
        revoke(old, by=staff, reason="Wrong name printed", now=utcnow())
        db.session.commit()
        old_id = old.id
        db.session.remove()
    barrier, results, errors = threading.Barrier(4), [], []

    def work():
        with pg_app.app_context():
            try:
                revoked = db.session.get(Certificate, old_id)
                staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
                barrier.wait()
                new, created = correct(revoked, tracks()["basic"], by=staff, reason="Name fixed", now=utcnow())
                db.session.commit()
                results.append((new.id, created))
            except IssueRefused as refusal:  # the correction was committed before this one looked
                results.append((None, str(refusal)))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(created is True for _, created in results) == 1
    with pg_app.app_context():
        corrections = db.session.scalars(select(Certificate).where(Certificate.corrects_id == old_id)).all()
        db.session.remove()
    assert len(corrections) == 1 and {new_id for new_id, _ in results} <= {corrections[0].id, None}


def test_issuing_one_learner_record_at_once_from_several_requests_gives_one_record(pg_app):
    """The trainee pressing "Issue my learner record" in several tabs at once: one record."""
    def press():
        person = db.session.scalar(select(User).where(User.email == "t2@example.org"))
        record, created = issue_learner_record(person, by=person, now=utcnow())
        return record.id, created
    results = at_once(pg_app, press, 4)
    assert len({record_id for record_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with pg_app.app_context():
        assert db.session.scalar(select(func.count(IssuedLearnerRecord.id))) == 1
        db.session.remove()


def test_certificates_and_learner_records_issued_at_once_never_share_a_status_bit(pg_app):
    """Half the threads issue certificates, half learner records, for different people at the
    same moment: every one gets a bit of its own in the revocation list."""
    turns = itertools.count()

    def issue_something():
        turn = next(turns)
        person = db.session.scalar(select(User).where(User.email == f"r{turn}@example.org"))
        if turn % 2:
            return issue_learner_record(person, by=person, now=utcnow())[0].status_index
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        track = tracks()["basic"]
        return issue(person, track, standing_for(track, person.id).eligibility, by=staff, now=utcnow())[0].status_index
    indexes = at_once(pg_app, issue_something, THREADS)
    assert len(set(indexes)) == THREADS
    with pg_app.app_context():
        taken = db.session.scalars(select(Certificate.status_index).union_all(
            select(IssuedLearnerRecord.status_index))).all()
        db.session.remove()
    assert len(taken) == len(set(taken))
