"""The learner record (CLR 2.0) of the demo graduate, checked as an outside verifier would:
PyJWT for the token and its signature, the key its kid names fetched over HTTP, jsonschema
with the official Open Badges 3.0 schema for every credential inside, the structure rules of
CLR 2.0 stated here, and the public status list for the certificates it holds."""
import base64
import gzip
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import undefer
from jsonschema import Draft201909Validator
from pypdf import PdfReader

from tests.certification.conftest import counted_queries
from training.certification.clr import build_learner_record
from training.certification.learnerrecord import gather_record
from training.certification.schema import SCHEMA_FOLDER
from training.demo_graduate import seed_graduate
from training.extensions import db
from training.models import (CompetencyRating, HoursDecision, HoursEntry, IssuedLearnerRecord, QuizAttempt, Role,
                             utcnow)
from training.staff.cohorts import assign_supervisor

SHARED_SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "openbadges-3.0"
CLAIMS = ("iss", "jti", "nbf", "exp", "sub")
ASSOCIATION_TYPES = {"exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo", "precedes",
                     "replacedBy"}
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


@pytest.fixture()
def graduate(track, people, make_user):
    """The demo graduate: every track of the fixture library completed and certified."""
    person = make_user(Role.TRAINEE, legal_name="Dana Q. Holder")
    assign_supervisor(person, people["supervisor"], primary=True)
    seed_graduate(person, people["supervisor"], people["staff"])
    db.session.commit()
    return person


def _path(url: str) -> str:
    return urlsplit(url).path


def _schema_errors(credential: dict) -> list[str]:
    folder = SHARED_SCHEMAS if SHARED_SCHEMAS.is_dir() else SCHEMA_FOLDER
    schema = json.loads((folder / "achievementcredential.schema.json").read_text())
    return [f"{credential.get('name')}: {error.message}" for error in Draft201909Validator(schema).iter_errors(credential)]


def _verified(client, token: str) -> dict:
    """The payload of a VC-JWT whose signature PyJWT verifies with the one key its kid names."""
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["typ"] == "JWT"
    published = client.get(_path(header["kid"]))
    assert published.status_code == 200
    key = published.get_json()
    assert "keys" not in key and key["kid"] == header["kid"].rsplit("/", 1)[1] and "d" not in key
    return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["ES256"],
                      options={"verify_aud": False, "verify_exp": False, "verify_nbf": False})


def _revoked(client, status: dict) -> bool:
    """The status bit of a BitstringStatusListEntry, read from the signed list it names."""
    listed = _verified(client, client.get(_path(status["statusListCredential"])).get_data(as_text=True))
    encoded = listed["credentialSubject"]["encodedList"].removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def _issue(client, holder) -> str:
    """Issue the holder's learner record as the signed-in person; its public address."""
    response = client.post(f"/learner-records/issue/{holder.id}")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return _path(response.location)


def _download(client, address: str, name="learner-record.jwt"):
    response = client.get(f"{address}/{name}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def test_the_graduates_learner_record_passes_an_independent_check(client, login_as, graduate):
    login_as(graduate)
    address = _issue(client, graduate)
    client.sign_out()  # a verifier has no account
    response = _download(client, address)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/vc+jwt"
    claims = _verified(client, response.get_data(as_text=True))
    record = {name: value for name, value in claims.items() if name not in CLAIMS}
    subject = record["credentialSubject"]

    # The registered claims name the issuer, the record and its holder.
    assert claims["sub"] == subject["id"] == f"urn:uuid:{graduate.holder_uuid}"
    assert claims["iss"] == record["issuer"]["id"] and claims["jti"] == record["id"]
    assert graduate.email not in json.dumps(claims)

    # CLR 2.0: contexts in order, types, a ClrSubject holding at least one credential.
    assert record["@context"] == CONTEXTS
    assert record["type"] == ["VerifiableCredential", "ClrCredential"] and record["name"] and record["validFrom"]
    assert subject["type"] == ["ClrSubject"] and subject["verifiableCredential"]
    assert record["id"] == f"urn:uuid:{address.rsplit('/', 1)[1]}"

    # Every credential inside is a valid Open Badges 3.0 credential about the same person.
    errors = [error for credential in subject["verifiableCredential"] for error in _schema_errors(credential)]
    assert errors == []
    assert {credential["credentialSubject"]["id"] for credential in subject["verifiableCredential"]} == {subject["id"]}
    ids = [credential["id"] for credential in subject["verifiableCredential"]]
    assert len(ids) == len(set(ids))

    # Associations link achievements that are in the record.
    known = {credential["credentialSubject"]["achievement"]["id"] for credential in subject["verifiableCredential"]}
    known |= {achievement["id"] for achievement in subject.get("achievement") or []}
    assert subject["association"]
    for association in subject["association"]:
        assert association["type"] == "Association" and association["associationType"] in ASSOCIATION_TYPES
        assert {association["sourceId"], association["targetId"]} <= known, association

    # The certificates inside carry their own status entry, and the public list says they stand.
    statuses = [credential["credentialStatus"] for credential in subject["verifiableCredential"]
                if "credentialStatus" in credential]
    assert len(statuses) == 2  # the fixture library's two tracks
    assert not any(_revoked(client, status) for status in statuses)

    # The record has its own entry in the same list, apart from the certificates'.
    own = record["credentialStatus"]
    assert own["statusListCredential"] == statuses[0]["statusListCredential"]
    assert own["statusListIndex"] not in {status["statusListIndex"] for status in statuses}
    assert _revoked(client, own) is False


def test_the_graduates_certificates_pass_the_same_check(client, graduate):
    from training.models import Certificate
    from sqlalchemy import select
    certificates = db.session.scalars(select(Certificate).where(Certificate.holder_id == graduate.id)).all()
    assert len(certificates) == 2
    for certificate in certificates:
        claims = _verified(client, client.get(f"/verify/{certificate.code}/credential.jwt").get_data(as_text=True))
        credential = {name: value for name, value in claims.items() if name not in CLAIMS}
        assert claims["sub"] == credential["credentialSubject"]["id"] == f"urn:uuid:{graduate.holder_uuid}"
        assert _schema_errors(credential) == []
        assert _revoked(client, credential["credentialStatus"]) is False


def _by_type(record: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for credential in record["credentialSubject"]["verifiableCredential"]:
        found.setdefault(credential["credentialSubject"]["achievement"]["achievementType"], []).append(credential)
    return found


def _results(credential: dict) -> dict[str, dict]:
    """Each result by the name of its description."""
    subject = credential["credentialSubject"]
    names = {item["id"]: item["name"] for item in subject["achievement"].get("resultDescription") or []}
    return {names[result["resultDescription"]]: result for result in subject.get("result") or []}


def test_every_line_comes_from_a_record(client, login_as, graduate, people):
    login_as(graduate)
    record = _download(client, _issue(client, graduate), "learner-record.json").get_json()
    assert not set(CLAIMS) & set(record)  # the unsigned form carries no JWT claims
    found = _by_type(record)
    modules = {credential["name"]: _results(credential) for credential in found["Course"]}
    assert modules["Boundaries and dual relationships"]["Contact hours: Ethical responsibility"]["value"] == "0.25"
    assert set(modules) == {"Boundaries and dual relationships", "Ethics"}
    [practice], [supervision] = found["Fieldwork"], found["ext:Supervision"]
    assert _results(practice)["Verified hours, in total"]["value"] == "500"
    assert _results(practice)["Verified hours: Individual peer support"]["value"] == "300"
    assert _results(supervision)["Verified hours, in total"]["value"] == "26"
    assert practice["evidence"][0]["narrative"] == f"500 hours verified by {people['supervisor'].display_name}."
    competencies = {credential["name"]: credential for credential in found["Competency"]}
    assert set(competencies) == {"C01.1 Welcomes and builds rapport", "C02.1 Validates feelings"}
    rating = competencies["C01.1 Welcomes and builds rapport"]
    assert rating["credentialSubject"]["result"][0]["achievedLevel"].endswith("#rubric/meets")
    assert people["supervisor"].display_name in rating["evidence"][0]["narrative"]
    scores = {credential["name"]: _results(credential)["Score"] for credential in found["Assessment"]
              if "Score" in _results(credential)}
    assert scores["Quiz: Boundaries and dual relationships"]["value"] == "90"
    assert scores["Final exam: Core Training"]["value"] == "90"
    assert "Peer Recovery exam" in {credential["name"] for credential in found["Assessment"]}
    [lab] = found["ext:PracticeLab"]
    assert _results(lab)["Contact hours: Ethical responsibility"]["value"] == "1.5"
    assert {credential["name"] for credential in found["Certification"]} == {"Basic Peer Credential",
                                                                             "Board Peer Specialist"}


def test_hours_without_a_verified_decision_and_superseded_ratings_do_not_count(app, graduate, people):
    pending = HoursEntry(trainee_id=graduate.id, kind="practice", activity="individual-support",
                         worked_on=date.today(), minutes=600, setting="Centre", submission_token="pending")
    rejected = HoursEntry(trainee_id=graduate.id, kind="practice", activity="individual-support",
                          worked_on=date.today(), minutes=600, setting="Centre", submission_token="rejected")
    db.session.add_all([pending, rejected])
    db.session.flush()
    db.session.add(HoursDecision(entry_id=rejected.id, reviewer_id=people["supervisor"].id, decision="rejected"))
    old = db.session.query(CompetencyRating).filter_by(trainee_id=graduate.id, competency="C01.1").one()
    db.session.add(CompetencyRating(trainee_id=graduate.id, competency="C01.1", rater_id=people["supervisor"].id,
                                    level="developing", method="role-play", observed_on=date.today(),
                                    supersedes_id=old.id, supersede_reason="Rated the wrong session"))
    db.session.commit()
    with app.test_request_context():
        record = build_learner_record(gather_record(graduate, utcnow()), issuer_id="https://example.org/issuer",
                                      issuer_name="P", issuer_url="https://example.org/")
    found = _by_type(record)
    assert _results(found["Fieldwork"][0])["Verified hours, in total"]["value"] == "500"
    assert [credential["name"] for credential in found["Competency"]] == ["C02.1 Validates feelings"]


def test_the_transcript_says_what_the_record_says(client, login_as, graduate, people):
    login_as(graduate)
    address = _issue(client, graduate)
    response = _download(client, address, "transcript.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    record = _download(client, address, "learner-record.json").get_json()
    assert f"Check it, and whether it is still valid, at http://localhost{address}" in text
    for credential in record["credentialSubject"]["verifiableCredential"]:
        assert " ".join(credential["name"].split()) in text, credential["name"]
    assert "Learner record of Dana Q. Holder" in text
    assert "Verified hours, in total: 500 hours" in text and "Verified hours, in total: 26 hours" in text
    assert "Competencies signed off" in text and f"Meets, by {people['supervisor'].display_name}" in text
    assert "Score: 90% (pass mark 80%)" in text


def test_someone_with_nothing_yet_gets_a_page_that_says_so(client, login_as, track):
    trainee = login_as(Role.TRAINEE)
    page = client.get("/certificates").get_data(as_text=True)
    assert "there is nothing in it yet" in page and "/learner-records/issue/" not in page
    response = client.post(f"/learner-records/issue/{trainee.id}")
    assert response.status_code == 422 and "No learner record yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(IssuedLearnerRecord)) == 0


def test_the_certificates_page_offers_the_record_before_certification(client, login_as, eligible):
    trainee = login_as(eligible())
    page = client.get("/certificates").get_data(as_text=True)
    assert "You do not hold a certificate yet." in page
    assert f'action="/learner-records/issue/{trainee.id}"' in page and "Issue my learner record" in page
    address = _issue(client, trainee)
    page = client.get("/certificates").get_data(as_text=True)
    assert address in page and "(your latest)" in page and "Issue my learner record as of today" in page


def test_only_the_holder_and_staff_may_issue_and_anyone_with_the_link_may_check(client, login_as, graduate, people):
    login_as(people["staff"])
    address = _issue(client, graduate)
    assert client.get(address).status_code == 200
    login_as(Role.TRAINEE)
    assert client.post(f"/learner-records/issue/{graduate.id}").status_code == 404
    login_as(people["supervisor"])
    assert client.post(f"/learner-records/issue/{graduate.id}").status_code == 403
    client.sign_out()
    assert client.post(f"/learner-records/issue/{graduate.id}").status_code == 302  # to sign in
    for name in ("", "/learner-record.jwt", "/learner-record.json", "/transcript.pdf"):
        assert client.get(address + name).status_code == 200, name
    page = client.get(address).get_data(as_text=True)
    assert "This learner record is genuine and in force." in page and "Revoke this learner record" not in page
    assert "What to do with it" not in page  # that is for the holder
    for wrong in ("00000000-0000-4000-8000-000000000000", "not-a-record", "9" * 40):
        response = client.get(f"/learner-records/{wrong}")
        assert response.status_code == 404 and "No learner record found" in response.get_data(as_text=True)
    assert client.get("/learner-records/%00/transcript.pdf").status_code == 404  # the shared input checks


def test_issuing_again_with_nothing_new_gives_the_same_record_and_something_new_a_new_one(
        client, login_as, graduate, people):
    login_as(graduate)
    first = _issue(client, graduate)
    assert _issue(client, graduate) == first
    again = client.get(first).get_data(as_text=True)
    assert "Nothing has changed since the learner record of" in again
    assert re.search(r"learner record of [A-Z][a-z]+ \d{1,2}, \d{4}, so that record still stands", again)  # US date
    old_token = _download(client, first).get_data(as_text=True)

    entry = HoursEntry(trainee_id=graduate.id, kind="practice", activity="individual-support",
                       worked_on=date.today(), minutes=120, setting="Centre", submission_token="new")
    db.session.add(entry)
    db.session.flush()
    db.session.add(HoursDecision(entry_id=entry.id, reviewer_id=people["supervisor"].id, decision="verified"))
    db.session.commit()
    second = _issue(client, graduate)
    assert second != first
    newer = _verified(client, _download(client, second).get_data(as_text=True))
    assert _results(_by_type(newer)["Fieldwork"][0])["Verified hours, in total"]["value"] == "502"

    # The old record still verifies, as what the records showed on its day, and points to the new one.
    older = _verified(client, old_token)
    assert _results(_by_type(older)["Fieldwork"][0])["Verified hours, in total"]["value"] == "500"
    assert _revoked(client, older["credentialStatus"]) is False
    page = client.get(first).get_data(as_text=True)
    assert "This learner record is genuine and in force." in page and f'href="{second}"' in page


def test_staff_revoke_a_record_and_the_list_says_so(client, login_as, graduate, people):
    login_as(graduate)
    address = _issue(client, graduate)
    status = _verified(client, _download(client, address).get_data(as_text=True))["credentialStatus"]
    assert client.post(f"{address}/revoke", data={"reason": "Issued in error."}).status_code == 403
    login_as(people["staff"])
    refused = client.post(f"{address}/revoke", data={"reason": "  "})
    assert refused.status_code == 422 and "Please give the reason for revoking." in refused.get_data(as_text=True)
    assert _revoked(client, status) is False
    done = client.post(f"{address}/revoke", data={"reason": "Issued in error.", "confirm": "y"})
    assert done.status_code == 302
    assert _revoked(client, status) is True
    client.sign_out()
    page = client.get(address).get_data(as_text=True)
    assert "This learner record was revoked" in page and "Reason: Issued in error." in page
    # The holder can issue a fresh record of the same achievements.
    login_as(graduate)
    fresh = _issue(client, graduate)
    assert fresh != address and _revoked(client, _verified(client, _download(client, fresh).get_data(
        as_text=True))["credentialStatus"]) is False


def test_the_transcript_is_rendered_by_a_job_and_kept(app, client, login_as, graduate):
    login_as(graduate)
    address = _issue(client, graduate)
    issued = db.session.scalar(select(IssuedLearnerRecord).options(undefer(IssuedLearnerRecord.transcript_pdf)))
    assert issued.transcript_pdf.startswith(b"%PDF-")  # the job ran when the issue was committed
    assert _download(client, address, "transcript.pdf").data == issued.transcript_pdf


def test_the_record_is_read_in_the_same_number_of_queries_however_much_it_holds(app, graduate, people, make_user):
    beginner = make_user(Role.TRAINEE)
    entry = HoursEntry(trainee_id=beginner.id, kind="practice", activity="individual-support",
                       worked_on=date.today(), minutes=60, setting="Centre", submission_token="one")
    db.session.add(entry)
    db.session.flush()
    db.session.add(HoursDecision(entry_id=entry.id, reviewer_id=people["supervisor"].id, decision="verified"))
    db.session.add(CompetencyRating(trainee_id=beginner.id, competency="C01.1", rater_id=people["supervisor"].id,
                                    level="meets", method="role-play", observed_on=date.today() - timedelta(days=1)))
    db.session.commit()
    counts = []
    with app.test_request_context():
        for person in (beginner, graduate):
            db.session.expire_all()
            with counted_queries() as statements:
                build_learner_record(gather_record(person, utcnow()), issuer_id="https://example.org/issuer",
                                     issuer_name="P", issuer_url="https://example.org/")
            counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 20, counts


def test_a_result_recorded_without_submission_times_is_dated_by_its_start(app, track, make_user):
    from datetime import datetime, timezone
    from training.models import Quiz
    trainee = make_user(Role.TRAINEE)
    quiz = db.session.scalar(db.select(Quiz).where(Quiz.module_id.is_not(None)))
    started = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                               review="after_pass", score=9, max_score=10, percent=90.0, passed=True,
                               started_at=started))
    db.session.commit()
    with app.test_request_context():
        [entry] = gather_record(trainee, utcnow()).entries
    assert entry.kind == "quiz" and entry.achieved_at == started
