"""Inviting many people from a CSV file: a preview with every bad row, nothing sent until it is clean."""
import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import isolated

from training.extensions import db
from training.models import Enrolment, OutboxMessage, Role, SupervisorAssignment, User
from training.staff.cohorts import create_cohort
from training.staff.invites_csv import MOST_ROWS


@pytest.fixture()
def program(make_user):
    cohort = create_cohort("Spring 2027")
    supervisor = make_user(Role.SUPERVISOR, email="pat@example.org", display_name="Pat")
    taken = make_user(Role.TRAINEE, email="taken@example.org")
    db.session.commit()
    return {"cohort": cohort, "supervisor": supervisor, "taken": taken}


def upload(client, text, name="people.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    # Encoded here in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "file": FileStorage(io.BytesIO(data), name)})
    return isolated(client.http.post, "/staff/people/import", data=body,
                    content_type=f"multipart/form-data; boundary={boundary}")


def sent():
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_a_file_with_bad_rows_lists_every_reason_and_sends_nothing(client, login_as, program):
    login_as(Role.STAFF)
    users_before = db.session.scalar(select(func.count(User.id)))
    response = upload(client, "Email,Name,Role,Cohort,Supervisor\n"
                              "good@example.org,Good Person,trainee,Spring 2027,pat@example.org\n"
                              "not-an-email,Bad Email,trainee,,\n"
                              "role@example.org,Bad Role,wizard,,\n"
                              "cohort@example.org,Bad Cohort,trainee,Autumn 1999,\n"
                              "sup@example.org,Bad Supervisor,trainee,,nobody@example.org\n"
                              "TAKEN@example.org,Taken,trainee,,\n"
                              "good@example.org,Twice,trainee,,\n"
                              ",No Email,trainee,,\n"
                              "staff@example.org,Staff With Cohort,staff,Spring 2027,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was sent: 8 rows need a change" in page
    for reason in ("“not-an-email” is not an email address", "“wizard” is not a role",
                   "There is no cohort called “Autumn 1999”", "nobody@example.org is not the email of a supervisor",
                   "taken@example.org already has an account", "This email is also on line 2 of the file",
                   "The email is missing", "Only trainees have a cohort and a supervisor"):
        assert reason in page, reason
    assert "Invited by email, enrolled in Spring 2027, supervised by pat@example.org" in page
    assert "send-payload" not in page and "Upload a corrected file" in page
    assert sent() == 0 and db.session.scalar(select(func.count(User.id))) == users_before


@pytest.mark.parametrize("content,reason", [
    ("email,name\nsam@example.org,Sam\n", "The file has no role column"),
    ("", "The file is empty"),
    ("email,name,role\n", "The file has no rows to invite"),
    (b"email,name,role\n\xff\xfe bad", "could not be read as text"),
    ("email,name,role\nnul@example.org,N\x00L,trainee\n", "a NUL byte"),
    ("email,name,role\n" + "x@example.org,X,trainee\n" * (MOST_ROWS + 1), "at most 2000 can be invited"),
    ("email,name,role\n" + "a" * (1024 * 1024), "larger than 1 MB"),
])
def test_a_file_that_cannot_be_used_says_why(client, login_as, content, reason):
    login_as(Role.STAFF)
    response = upload(client, content)
    assert response.status_code == 422 and reason in response.get_data(as_text=True)
    assert sent() == 0


def test_no_file_is_a_form_error(client, login_as):
    login_as(Role.STAFF)
    response = client.post("/staff/people/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Please choose a CSV file" in response.get_data(as_text=True)


def test_a_clean_file_sends_n_invitations_and_assigns_supervisors(client, login_as, program):
    login_as(Role.STAFF)
    response = upload(client, "\ufeffemail,name,role,cohort,supervisor\n"
                              "sam@example.org,Sam Lee,trainee,spring 2027,PAT@example.org\n"
                              "ana@example.org,Ana Ruiz,supervisor,,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Send 2 invitations" in page and sent() == 0
    payload = re.search(r'name="send-payload" type="hidden" value="([^"]+)"', page).group(1)
    tampered = client.post("/staff/people/import", {"send-payload": payload[:-3] + "abc"})
    assert tampered.status_code == 400 and "Please upload the file again" in tampered.get_data(as_text=True)
    assert sent() == 0

    response = client.post("/staff/people/import", {"send-payload": payload})
    assert response.status_code == 302
    assert "2 invitations sent" in client.get(response.headers["Location"]).get_data(as_text=True)
    sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
    assert sam.roles == {Role.TRAINEE} and not sam.has_password
    assert db.session.scalar(select(Enrolment.cohort_id).where(Enrolment.trainee_id == sam.id)) == \
        program["cohort"].id
    assignment = db.session.scalar(select(SupervisorAssignment).where(SupervisorAssignment.trainee_id == sam.id))
    assert assignment.supervisor_id == program["supervisor"].id and assignment.is_primary
    assert sorted(db.session.scalars(select(OutboxMessage.recipient))) == ["ana@example.org", "sam@example.org"]

    # Sending the same preview again: both now have accounts, so nothing more goes out.
    response = client.post("/staff/people/import", {"send-payload": payload})
    assert response.status_code == 409 and "already has an account" in response.get_data(as_text=True)
    assert sent() == 2


def test_the_single_invite_can_assign_a_supervisor(client, login_as, program):
    login_as(Role.STAFF)
    supervisor = program["supervisor"]
    assert "Supervisor (trainees only)" in client.get("/staff/people/invite").get_data(as_text=True)
    response = client.post("/staff/people/invite", {"email": "sue@example.org", "display_name": "Sue",
                                                    "role": "supervisor", "cohort_id": 0,
                                                    "supervisor_id": supervisor.id})
    assert response.status_code == 400 and "Only trainees have a supervisor" in response.get_data(as_text=True)
    assert sent() == 0
    response = client.post("/staff/people/invite", {"email": "sue@example.org", "display_name": "Sue",
                                                    "role": "trainee", "cohort_id": 0,
                                                    "supervisor_id": supervisor.id})
    assert response.status_code == 302
    sue = db.session.scalar(select(User).where(User.email == "sue@example.org"))
    assert db.session.scalar(select(SupervisorAssignment.supervisor_id)
                             .where(SupervisorAssignment.trainee_id == sue.id)) == supervisor.id


def test_an_importer_cannot_name_themselves_a_trainees_supervisor(make_user):
    from training.staff.invites_csv import check_invites
    me = make_user(Role.STAFF, Role.SUPERVISOR)
    colleague = make_user(Role.SUPERVISOR)
    check = check_invites([["new1@example.org", "New One", "trainee", "", me.email],
                           ["new2@example.org", "New Two", "trainee", "", colleague.email]], me)
    assert [row.problems for row in check.rows] == [
        ["You cannot make yourself a trainee's supervisor; please ask another staff member to assign you."], []]
    assert not check.clean
