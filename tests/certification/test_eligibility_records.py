"""Eligibility: dated confirmations of a versioned wording, a statement of lived experience read
by an assigned supervisor (never by staff), education documents checked by staff, and only
hours verified by a qualified supervisor counting where a track asks for that."""
import io
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from training.certification.attesting import attest, submit_statement
from training.certification.records import RecordRefused
from training.certification.standing import standing_for
from training.courses.published import document, tracks
from training.extensions import db
from training.models import (ContentFile, EligibilityRecord, LivedExperienceStatement, Role, StatementStatus,
                             SupervisorQualification, User, utcnow)
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import NewHours, decide, log_hours

STATEMENT = " ".join(["Recovery taught me to listen before I speak."] * 8)  # 64 words
PDF = b"%PDF-1.7\n%demo\n"


@pytest.fixture()
def board(track):
    return tracks()["board"]


def checks(track, person, group):
    db.session.expire_all()  # the requests changed rows in their own sessions
    return [c for c in standing_for(track, person.id).eligibility.checks if c.group == group]


def test_each_confirmation_records_the_version_and_a_new_wording_asks_again(board, make_user):
    person = make_user(Role.TRAINEE)
    labels = [c.label for c in checks(board, person, "eligibility")]
    assert labels == ["Education: high school diploma or equivalency", "Lives or works in Ohio",
                      "Lived experience of recovery (attested)",
                      "Statement of lived experience, at least 50 words, accepted by a supervisor"]
    wording = document("eligibility-lived-experience")
    record, created = attest(person, "lived-experience", wording, now=utcnow())
    again, created_again = attest(person, "lived-experience", wording, now=utcnow())
    db.session.commit()
    assert created and not created_again and again.id == record.id and record.version == "2026.1"
    assert checks(board, person, "eligibility")[2].met
    row = db.session.scalar(select(ContentFile).where(ContentFile.path == "documents/eligibility-lived-experience.md"))
    row.source = row.source.replace('version: "2026.1"', 'version: "2027.1"')
    db.session.commit()
    check = checks(board, person, "eligibility")[2]
    assert not check.met and check.missing == ("The wording changed (version 2027.1); please read and confirm it again.",)


def test_a_jurisdiction_is_confirmed_for_the_region_the_track_names(client, login_as, board):
    person = login_as(Role.TRAINEE)
    page = client.get("/certification/board/eligibility/jurisdiction").get_data(as_text=True)
    assert "I confirm the jurisdiction statement for Ohio." in page
    response = client.post("/certification/board/eligibility/jurisdiction", {"confirm": "y"})
    assert response.status_code == 422 and "Please choose the option that fits you." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EligibilityRecord.id))) == 0
    response = client.post("/certification/board/eligibility/jurisdiction", {"confirm": "y", "detail": "works"})
    assert response.status_code == 302 and "/certification#track-board" in response.headers["Location"]
    record = db.session.scalar(select(EligibilityRecord))
    assert (record.kind, record.region, record.detail, record.version) == ("jurisdiction", "Ohio", "works", "2026.1")
    assert checks(board, person, "eligibility")[1].met


def test_education_needs_a_document_that_staff_check_when_the_track_says_so(app, client, login_as, board, people):
    person = login_as(Role.TRAINEE)
    response = client.post("/certification/board/eligibility/education",
                           {"confirm": "y", "detail": "ged", "proof": (io.BytesIO(b"MZ not a pdf"), "diploma.exe")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF, PNG or JPEG" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EligibilityRecord.id))) == 0  # nothing half-saved
    client.post("/certification/board/eligibility/education", {"confirm": "y", "detail": "ged"})
    check = checks(board, person, "eligibility")[0]
    assert not check.met and "Upload a copy" in check.missing[0]
    client.post("/certification/board/eligibility/education/proof", {"proof": (io.BytesIO(PDF), "ged.pdf")},
                content_type="multipart/form-data")
    record = db.session.scalar(select(EligibilityRecord))
    staff = type(client)(app)
    staff.sign_in_as(people["staff"])
    assert staff.get(f"/staff/certification/eligibility/{record.id}/proof").data == PDF
    assert "Mark as checked" in staff.get(f"/staff/certification/board/trainees/{person.id}").get_data(as_text=True)
    staff.post(f"/staff/certification/eligibility/{record.id}/checked", {"track": "board"})
    db.session.refresh(record)
    assert record.checked_by_id == people["staff"].id and checks(board, person, "eligibility")[0].met


def test_a_statement_is_read_by_an_assigned_supervisor_and_never_by_staff(app, client, login_as, board, people,
                                                                         make_user):
    person = login_as(Role.TRAINEE)
    assign_supervisor(person, people["supervisor"], primary=True)
    db.session.commit()
    short = client.post("/certification/board/statement", {"text": "Too short to say much."})
    assert short.status_code == 422 and "has 5 words; please write at least 50" in short.get_data(as_text=True)
    assert "Too short to say much." in short.get_data(as_text=True)  # the text is kept
    assert client.post("/certification/board/statement", {"text": STATEMENT}).status_code == 302
    statement = db.session.scalar(select(LivedExperienceStatement))
    assert (statement.words, statement.status) == (64, StatementStatus.PENDING)
    assert "with your supervisor" in client.get("/certification/board/statement").get_data(as_text=True)

    reader = type(client)(app)
    reader.sign_in_as(people["supervisor"])
    assert "statement to read" in reader.get("/supervision/queue").get_data(as_text=True)
    assert STATEMENT[:40] in reader.get(f"/supervision/statements/{statement.id}").get_data(as_text=True)
    response = reader.post(f"/supervision/statements/{statement.id}", {"outcome": "return"})
    assert response.status_code == 422 and "Please say what to change" in response.get_data(as_text=True)
    reader.post(f"/supervision/statements/{statement.id}", {"outcome": "return", "feedback": "Say how you stay well."})
    page = client.get("/certification/board/statement").get_data(as_text=True)
    assert "Say how you stay well." in page and STATEMENT[:40] in page  # revise from the last version
    assert client.post("/certification/board/statement",
                       {"text": STATEMENT + " I walk every morning."}).status_code == 302
    latest = db.session.scalars(select(LivedExperienceStatement).order_by(LivedExperienceStatement.id.desc())).first()
    response = reader.post(f"/supervision/statements/{latest.id}", {"outcome": "accept"})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert checks(board, person, "eligibility")[3].met

    other = type(client)(app)
    other.sign_in_as(make_user(Role.SUPERVISOR))  # not assigned to this trainee
    assert other.get(f"/supervision/statements/{latest.id}").status_code == 404
    staff = type(client)(app)
    staff.sign_in_as(people["staff"])
    page = staff.get(f"/staff/certification/board/trainees/{person.id}").get_data(as_text=True)
    assert "Statement of lived experience: accepted" in page and "Recovery taught me" not in page


def test_only_one_statement_waits_at_a_time_even_in_parallel(app, board, make_user):
    person_id = make_user(Role.TRAINEE).id
    results = []

    def send():
        with app.app_context():
            person = db.session.get(User, person_id)
            try:
                submit_statement(person, STATEMENT, document("eligibility-statement"), min_words=50, now=utcnow())
                db.session.commit()
                results.append("sent")
            except RecordRefused:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused", "refused", "refused", "sent"]
    assert db.session.scalar(select(func.count(LivedExperienceStatement.id))) == 1


def test_only_hours_verified_by_a_qualified_supervisor_count_and_the_checklist_says_why(board, people, make_user):
    person = make_user(Role.TRAINEE)
    supervisor = people["supervisor"]
    assign_supervisor(person, supervisor, primary=True)
    entry, _ = log_hours(person, NewHours("practice", "individual-support", date.today() - timedelta(days=2), 180,
                                          "Drop-in center", False, "", "q1"), date.today())
    decide(entry, supervisor, "verified", "", utcnow())
    db.session.commit()
    practice = checks(board, person, "practice")[0]
    assert practice.have == 0 and practice.note.startswith("3 verified hours do not count")
    db.session.add(SupervisorQualification(supervisor_id=supervisor.id, credential="CPRS", years_in_role=1,
                                           recorded_by_id=people["staff"].id))
    db.session.commit()
    assert checks(board, person, "practice")[0].have == 0  # the track asks for 2 years in the role
    db.session.add(SupervisorQualification(supervisor_id=supervisor.id, credential="CPRS", years_in_role=4,
                                           recorded_by_id=people["staff"].id))
    db.session.commit()
    practice = checks(board, person, "practice")[0]
    assert practice.have == 3 and practice.note == ""
    basic = tracks()["basic"]  # no qualified-supervisor rule: the same hours count there regardless
    assert checks(basic, person, "practice")[0].have == 3


def test_staff_record_and_withdraw_a_qualification_and_bad_input_keeps_what_was_typed(client, login_as, people):
    login_as(people["staff"])
    supervisor = people["supervisor"]
    response = client.post(f"/staff/people/{supervisor.id}/qualification",
                           {"credential": "Certified Peer Recovery Specialist", "years_in_role": "sixty-one"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Certified Peer Recovery Specialist"' in page
    assert db.session.scalar(select(func.count(SupervisorQualification.id))) == 0
    client.post(f"/staff/people/{supervisor.id}/qualification",
                {"credential": "Certified Peer Recovery Specialist", "license": "CPRS 1234, Ohio", "years_in_role": "6"})
    record = db.session.scalar(select(SupervisorQualification))
    assert (record.years_in_role, record.license, record.recorded_by_id) == (6, "CPRS 1234, Ohio", people["staff"].id)
    own_view = type(client)(client.app)
    own_view.sign_in_as(supervisor)
    assert "Certified Peer Recovery Specialist (CPRS 1234, Ohio), 6 years" in own_view.get("/account/").get_data(
        as_text=True)
    client.post(f"/staff/qualifications/{record.id}/withdraw", {"withdraw-reason": ""})
    db.session.refresh(record)
    assert record.withdrawn_at is None
    client.post(f"/staff/qualifications/{record.id}/withdraw", {"withdraw-reason": "License lapsed"})
    db.session.refresh(record)
    assert record.withdrawn_reason == "License lapsed"
    page = client.get(f"/staff/people/{supervisor.id}").get_data(as_text=True)
    assert "No qualification is on record (the last one was withdrawn)" in page
    not_a_supervisor = people["staff"]
    response = client.post(f"/staff/people/{not_a_supervisor.id}/qualification", {"credential": "X", "years_in_role": "3"})
    assert response.status_code == 422 and "Only supervisors hold" in response.get_data(as_text=True)
