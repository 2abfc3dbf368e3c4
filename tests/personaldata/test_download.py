"""A person downloads everything the platform holds about them: one ZIP of JSON files and
the original files, prepared by a job, only for them."""
import io
import json
import zipfile

import sqlalchemy as sa
from sqlalchemy import LargeBinary, select

from tests.personaldata.conftest import PROOF, STORY, certificate_of
from training.extensions import db
from training.models import Notification, NotificationKind, OutboxMessage, PersonalDataExport
from training.personaldata.holdings import HOLDINGS, NOT_THEIRS

# Every kind the graduate of the fixture has: a download without one of these has lost a kind.
EXPECTED = {"account", "roles", "supervisors", "lessons", "quiz-attempts", "quiz-answers", "hours", "hours-decisions",
            "sign-off-requests", "sign-off-evidence", "competency-ratings", "lab-bookings", "lab-attendance",
            "story-drafts", "story-feedback", "story-reads", "eligibility", "lived-experience-statements",
            "ethics-signatures", "exam-results", "external-training", "certificates", "continuing-education",
            "notifications", "emails", "audit-log", "data-downloads"}


def _tables_naming_a_person() -> set[str]:
    named = {table.name for table in db.metadata.sorted_tables
             if any(key.column.table.name == "users" for column in table.columns for key in column.foreign_keys)}
    return named | {"users", "audit_events", "outbox_messages"}  # by id without a key, or by address


def test_every_table_that_names_a_person_is_held_or_says_why_not(app):
    held = {holding.model.__tablename__ for holding in HOLDINGS}
    assert held.isdisjoint(NOT_THEIRS)
    named = _tables_naming_a_person()
    assert named - held - set(NOT_THEIRS) == set()
    for table in held - named:  # the rest belong to a held record (the evidence of a request...)
        parents = {key.column.table.name for key in db.metadata.tables[table].foreign_keys}
        assert parents & held, table


def test_every_file_column_is_written_as_a_file_or_left_out(app):
    for holding in HOLDINGS:
        binary = {column.name for column in holding.model.__table__.columns if isinstance(column.type, LargeBinary)}
        assert binary <= set(holding.files) | set(holding.secret), holding.name


def _download(client) -> zipfile.ZipFile:
    asked = client.post("/account/data")
    assert asked.status_code == 302
    page = client.get("/account/data").get_data(as_text=True)
    assert "is being prepared" in page  # the flash says what happens next
    download = db.session.scalar(select(PersonalDataExport))
    assert download.status == "ready", download.error
    assert f"/account/data/{download.id}" in page
    response = client.get(f"/account/data/{download.id}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_download_holds_every_kind_of_record_and_the_original_files(client, graduate, someone_else):
    client.sign_in_as(graduate)
    bundle = _download(client)
    names = set(bundle.namelist())
    data = {holding.name: json.loads(bundle.read(f"{holding.name}.json")) for holding in HOLDINGS}
    assert {name for name, rows in data.items() if rows} >= EXPECTED

    assert data["account"][0]["email"] == "grad@example.org" and "password_hash" not in data["account"][0]
    assert data["story-drafts"][0]["body"] == STORY
    assert data["story-feedback"][0]["body"] == "Kind and clear." and len(data["story-reads"]) == 1
    assert any(item["answer"] == "I told a client I could not lend money." for item in data["quiz-answers"])
    assert all("submission_token" not in entry for entry in data["hours"])

    # The original files, named by the records, byte for byte.
    proof_path = data["continuing-education"][0]["proof"]
    assert proof_path in names and bundle.read(proof_path) == PROOF
    certificate = certificate_of(graduate)
    pdf_path = data["certificates"][0]["pdf"]
    assert pdf_path == f"files/certificates/{certificate.id}-certificate-{certificate.number}.pdf"
    assert bundle.read(pdf_path) == certificate.pdf and data["certificates"][0]["credential_jwt"]

    # Who the ids name, and a README that explains each file.
    people = {person["id"]: person["display_name"] for person in json.loads(bundle.read("people.json"))}
    reviewer = data["hours-decisions"][0]["reviewer_id"]
    assert people[reviewer] and graduate.id not in people
    readme = bundle.read("README.txt").decode()
    assert all(f"{holding.name}.json" in readme for holding in HOLDINGS)

    # Nothing of anyone else's.
    everything = b"".join(bundle.read(name) for name in names)
    assert b"Not yours to see" not in everything and b"other@example.org" not in everything


def test_only_the_person_can_download_their_file(client, graduate, make_user):
    client.sign_in_as(graduate)
    client.post("/account/data")
    download = db.session.scalar(select(PersonalDataExport))
    client.sign_in_as(make_user())
    assert client.get(f"/account/data/{download.id}").status_code == 404
    assert client.get(f"/account/data/{2**31 + 5}").status_code == 404


def test_a_file_being_prepared_is_asked_for_once(client, graduate):
    db.session.add(PersonalDataExport(user_id=graduate.id))  # one waiting for the job
    db.session.commit()
    client.sign_in_as(graduate)
    response = client.post("/account/data", follow_redirects=True)
    assert "already being prepared" in response.get_data(as_text=True)
    assert db.session.scalar(select(sa.func.count()).select_from(PersonalDataExport)) == 1
    waiting = db.session.scalar(select(PersonalDataExport))
    assert client.get(f"/account/data/{waiting.id}", follow_redirects=True).request.path == "/account/data"


def test_the_person_is_told_when_their_file_is_ready(client, graduate):
    """No need to keep reloading: a notification (and, by their choice, an email) says it is ready."""
    client.sign_in_as(graduate)
    client.post("/account/data")
    download = db.session.scalar(select(PersonalDataExport))
    told = db.session.scalar(select(Notification).where(Notification.user_id == graduate.id,
                                                        Notification.kind == NotificationKind.PERSONAL_DATA_READY))
    assert told is not None and download.filename in told.text and "kept for 7 days" in told.text
    opened = client.get(f"/notifications/{told.id}")
    assert opened.status_code == 302 and opened.location.endswith("/account/data")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == graduate.email)
                             .order_by(OutboxMessage.id.desc()).limit(1))
    assert mail.subject == "Your data is ready to download" and "/account/data" in mail.body
