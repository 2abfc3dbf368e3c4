"""Hostile input through real routes, as each kind of user (training/inputs.py).

Ids too big for the database, NUL bytes, numbers that are not numbers, implausible dates and
whole numbers too big to store each get a readable 4xx and store nothing. On PostgreSQL
(`scripts/with-postgres-db`) these were 500s: it refuses such values where SQLite stores them.
"""
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from wtforms import Form

from tests.certification import conftest as certification
from tests.conftest import PASSWORD, content_library
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.courses.files import load_library
from training.courses.operations import sync_library
from training.extensions import db
from training.inputs import MAX_ID, BoundedDateField
from training.models import (ContinuingEducation, HoursDecision, HoursEntry, Lesson, LessonVersion, Quiz,
                             QuizAccommodation, Role, SupervisorQualification, utcnow)
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent / "courses" / "fixtures" / "valid"
ROLES = [None, Role.TRAINEE, Role.SUPERVISOR, Role.STAFF]  # None: not signed in
NOT_FOUND = "We could not find that page"
NUL_REFUSED = "A field held a hidden control character (a NUL byte), so nothing was saved."
# The certification tests' fixtures: the synced track "basic", its staff and supervisor, and eligible trainees.
track, people, eligible = certification.track, certification.people, certification.eligible


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def field_error(page: str, field_id: str) -> str:
    """The error message shown with one field of a form ('' when it has none)."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


@pytest.fixture()
def synced(db, tmp_path):
    """The fixture course synced: lessons to edit and a quiz to grant accommodations on."""
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    sync_library(load_library(target))
    db.session.commit()
    return target


@pytest.fixture()
def sign_in(client, make_user):
    """sign_in(role): a new user of that role signed in (None: nobody), returned."""
    def sign(role):
        if role is None:
            return None
        user = make_user(role)
        client.sign_in_as(user)
        return user
    return sign


# --- ids in addresses --------------------------------------------------------------------------

ID_ROUTES = [
    # trainees
    ("GET", "/quiz-attempts/{id}"),
    ("POST", "/quiz-attempts/{id}/submit"),
    ("GET", "/stories/{id}"),
    ("GET", "/labs/{id}"),
    ("GET", "/labs/sessions/{id}/calendar.ics"),
    ("GET", "/certificates/{id}/certificate.pdf"),
    ("GET", "/certificates/continuing-education/{id}/proof"),
    ("GET", "/competencies/requests/{id}"),
    # supervisors
    ("GET", "/supervision/trainees/{id}"),
    ("GET", "/supervision/signoffs/{id}"),
    ("GET", "/supervision/statements/{id}"),
    ("POST", "/supervision/hours/{id}/decide"),
    # staff
    ("GET", "/author/quizzes/{id}"),
    ("GET", "/author/quizzes/1/questions/{id}"),
    ("GET", "/author/lessons/{id}/edit"),
    ("POST", "/author/lessons/1/restore/{id}"),
    ("GET", "/staff/people/{id}"),
    ("GET", "/staff/cohorts/{id}"),
    ("GET", "/staff/certification/certificates/{id}"),
    ("GET", "/staff/certification/basic/trainees/{id}/exam"),
    ("POST", "/staff/assignments/{id}/remove"),
]


def request(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
@pytest.mark.parametrize("too_big", [2**31, 2**63])
def test_an_id_too_big_for_the_database_is_not_found(client, sign_in, role, too_big):
    sign_in(role)
    for method, url in ID_ROUTES:
        response = request(client, method, url.format(id=too_big))
        assert response.status_code == 404, (method, url)
        assert NOT_FOUND in response.get_data(as_text=True), (method, url)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
def test_the_largest_id_reaches_the_database_without_an_error(client, sign_in, role):
    sign_in(role)
    for method, url in ID_ROUTES:
        response = request(client, method, url.format(id=MAX_ID))
        # sent to sign in, not part of the role, or simply not there: never a database error
        assert response.status_code in (302, 403, 404), (method, url, response.status_code)


def test_ids_that_are_not_positive_whole_numbers_are_not_found(client, sign_in):
    sign_in(Role.TRAINEE)
    for address in ["/labs/0", "/labs/00", "/labs/-1", "/labs/1.5", "/labs/1e3"]:
        assert client.get(address).status_code == 404, address


def test_the_id_converter_stops_at_the_database_integer(app):
    urls = app.url_map.bind("localhost")
    assert urls.match(f"/labs/{MAX_ID}") == ("labs.lab", {"lab_id": MAX_ID})
    with pytest.raises(NotFound):
        urls.match(f"/labs/{MAX_ID + 1}")


# --- NUL bytes ---------------------------------------------------------------------------------------

def assert_nul_refused(response):
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Something in that form could not be read" in page and NUL_REFUSED in page


def test_a_nul_byte_in_the_sign_in_form_is_refused_and_nobody_is_signed_in(client, make_user):
    user = make_user(Role.TRAINEE)
    assert_nul_refused(client.login(user.email + "\x00"))
    assert_nul_refused(client.login(user.email, PASSWORD + "\x00"))
    assert client.get("/dashboard").status_code == 302  # still signed out
    assert client.login(user.email).status_code == 302  # the same form without it works


@pytest.fixture()
def trainee_and_supervisor(make_user):
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return trainee, supervisor


def log_practice(client, **fields):
    """Post the trainee's hours log form (practice hours), valid unless `fields` change it."""
    data = {"activity": "individual-support", "worked_on": str(date.today()), "hours": "1.5",
            "setting": "Drop-in centre", "mode": "in_person", "note": "", "token": f"token {fields}", **fields}
    return client.post("/hours/practice", {f"practice-{name}": value for name, value in data.items()})


def test_a_nul_byte_in_the_hours_log_is_refused_and_nothing_is_logged(client, trainee_and_supervisor):
    client.sign_in_as(trainee_and_supervisor[0])
    for field in ["setting", "note", "token"]:
        assert_nul_refused(log_practice(client, **{field: "Drop-in\x00centre"}))
    assert count(HoursEntry) == 0


def test_a_nul_byte_in_a_supervisors_decision_is_refused_and_nothing_is_decided(client, trainee_and_supervisor):
    trainee, supervisor = trainee_and_supervisor
    client.sign_in_as(trainee)
    assert log_practice(client).status_code == 302
    entry = db.session.scalar(select(HoursEntry))
    client.sign_in_as(supervisor)
    assert_nul_refused(client.post(f"/supervision/hours/{entry.id}/decide",
                                   {"decision": "rejected", "reason": "Not\x00peer work"}))
    assert count(HoursDecision) == 0


def test_a_nul_byte_in_the_lesson_editor_is_refused_and_no_version_is_made(client, sign_in, synced):
    sign_in(Role.STAFF)
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    source = db.session.get(LessonVersion, lesson.current_version_id).source
    before = count(LessonVersion)
    response = client.post(f"/author/lessons/{lesson.id}/edit", {
        "source": source + "\nA hidden\x00character.\n", "base_version_id": str(lesson.current_version_id),
        "action": "publish", "note": "typo"})
    assert_nul_refused(response)
    assert count(LessonVersion) == before


def test_a_nul_byte_in_a_query_is_refused(client, sign_in, synced):
    sign_in(Role.STAFF)
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    assert_nul_refused(client.get(f"/author/lessons/{lesson.id}/history?a=%00"))


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
def test_an_address_with_a_nul_byte_is_not_found(client, sign_in, synced, role):
    sign_in(role)
    for address in ["/courses/%00", "/courses/core/%00/quiz", "/courses/%00/exam", "/certification/sign/%00",
                    "/verify/%00", "/staff/certification/%00/trainees/1", "/invite/%00"]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert NOT_FOUND in response.get_data(as_text=True), address


@pytest.fixture()
def holder(track, people, eligible):
    """A trainee who holds a certificate of the track, signed in: the continuing education form is theirs."""
    person = eligible()
    issue(person, track, standing_for(track, person.id).eligibility, by=people["staff"], now=utcnow())
    db.session.commit()
    return person


def log_ce(client, **fields):
    data = {"topic": "ethics", "title": "Ethics refresher", "provider": "State network",
            "completed_on": str(date.today()), "hours": "3", **fields}
    return client.post("/certificates/continuing-education", data, content_type="multipart/form-data")


def test_a_nul_byte_in_an_uploaded_files_name_is_refused(client, holder):
    client.sign_in_as(holder)
    assert_nul_refused(log_ce(client, proof=(io.BytesIO(b"%PDF-1.4 a certificate"), "proof\x00.pdf")))
    assert count(ContinuingEducation) == 0
    assert log_ce(client, proof=(io.BytesIO(b"%PDF-1.4 a certificate"), "proof.pdf")).status_code == 302


# --- numbers that are not numbers -----------------------------------------------------------------

NOT_NUMBERS = ["sNaN", "NaN", "-nan", "Infinity", "-Infinity", "inf"]


def test_hours_that_are_not_a_number_are_refused_on_the_field(client, trainee_and_supervisor):
    client.sign_in_as(trainee_and_supervisor[0])
    for value in NOT_NUMBERS:
        response = log_practice(client, hours=value)
        assert response.status_code == 400, value
        assert "Please enter a number, such as 1.5." in field_error(response.get_data(as_text=True),
                                                                   "practice-hours"), value
    assert count(HoursEntry) == 0


def test_hours_beyond_a_day_are_refused_on_the_field(client, trainee_and_supervisor):
    client.sign_in_as(trainee_and_supervisor[0])
    for value in ["1e999", "-1e999", "99999999999999999999"]:
        response = log_practice(client, hours=value)
        assert response.status_code == 400, value
        assert field_error(response.get_data(as_text=True), "practice-hours") == (
            "Error: Please enter more than 0 and at most 24 hours."), value
    assert count(HoursEntry) == 0


def test_continuing_education_hours_that_are_not_a_number_are_refused_on_the_field(client, holder):
    client.sign_in_as(holder)
    for value, message in [*((value, "Please enter a number, such as 1.5.") for value in NOT_NUMBERS),
                           ("1e999", "Please enter between 0.25 and 40 hours for one record.")]:
        response = log_ce(client, hours=value)
        assert response.status_code == 422, value
        assert message in field_error(response.get_data(as_text=True), "hours"), value
    assert count(ContinuingEducation) == 0


# --- dates ---------------------------------------------------------------------------------------

DATE_MESSAGE = "Please enter a date between 1900 and 2999, like 2026-11-20."


def test_an_implausible_date_in_the_hours_log_is_refused_on_the_field(client, trainee_and_supervisor):
    client.sign_in_as(trainee_and_supervisor[0])
    for day in ["0001-01-01", "1899-12-31", "9999-12-31", "3000-01-01"]:
        response = log_practice(client, worked_on=day)
        assert response.status_code == 400, day
        assert DATE_MESSAGE in field_error(response.get_data(as_text=True), "practice-worked_on"), day
    assert count(HoursEntry) == 0


def test_an_implausible_date_of_continuing_education_is_refused_on_the_field(client, holder):
    client.sign_in_as(holder)
    for day in ["0001-01-01", "9999-12-31"]:
        response = log_ce(client, completed_on=day)
        assert response.status_code == 422, day
        assert DATE_MESSAGE in field_error(response.get_data(as_text=True), "completed_on"), day
    assert count(ContinuingEducation) == 0


def test_the_earliest_and_latest_plausible_years_are_read_as_dates():
    class Dated(Form):
        day = BoundedDateField()
    assert Dated(MultiDict({"day": "1900-01-01"})).day.data == date(1900, 1, 1)
    assert Dated(MultiDict({"day": "2999-12-31"})).day.data == date(2999, 12, 31)


# --- whole numbers too big to store ---------------------------------------------------------------

@pytest.mark.parametrize("field", ["extra_attempts", "extra_minutes"])
def test_a_quiz_accommodation_too_big_to_store_is_refused_on_the_field(client, sign_in, synced, make_user, field):
    sign_in(Role.STAFF)
    quiz = db.session.scalar(select(Quiz).where(Quiz.path == "core/boundaries/quiz.yml"))
    trainee = make_user(Role.TRAINEE)
    for value in ["99999999999", "-99999999999", str(2**31)]:
        form = {"email": trainee.email, "extra_attempts": "1", "extra_minutes": "0", "reason": "Agreed adjustment",
                field: value}
        response = client.post(f"/author/quizzes/{quiz.id}/accommodations", form)
        assert response.status_code == 400, value
        assert "Please enter a smaller whole number." in field_error(response.get_data(as_text=True), field), value
    assert count(QuizAccommodation) == 0


def test_years_in_a_supervisory_role_too_big_to_store_are_refused(client, sign_in, make_user):
    sign_in(Role.STAFF)
    supervisor = make_user(Role.SUPERVISOR)
    response = client.post(f"/staff/people/{supervisor.id}/qualification",
                           {"credential": "Certified Peer Recovery Specialist", "years_in_role": "99999999999"})
    assert response.status_code == 422
    assert "Please enter a smaller whole number." in response.get_data(as_text=True)
    assert count(SupervisorQualification) == 0


def test_ids_and_indexes_in_forms_and_queries_are_read_in_one_place(client, login_as):
    """Digits that are not plain 0-9 ("²"), and ids past the database's integer, are refused
    the same way everywhere they are read from a form or a query (never a 500)."""
    from training.courses.files import load_library
    from training.courses.operations import sync_library
    from training.extensions import db
    from training.inputs import whole_number
    sync_library(content_library(Path(__file__).parent / "courses" / "fixtures" / "valid"))
    db.session.commit()
    assert [whole_number(text) for text in ("12", "0", "²", "٣", "-1", "1.5", "", None, "2147483647", "2147483648",
                                            "9" * 40)] == [12, 0, None, None, None, None, None, None, 2147483647,
                                                           None, None]
    login_as(Role.STAFF)
    for page in ("9223372036854775807", "²", "-3"):
        assert client.get(f"/staff/outbox?page={page}").status_code == 200
    for holder in ("²", "99999999999999999999", "12345"):
        response = client.post("/staff/certification/basic/issue", {"holder": holder})
        assert response.status_code == 302  # "tick at least one person": nobody by that id is a trainee
