"""Certification through the pages: signing, continuing education, staff issuing, revoking and
reissuing, and public verification."""
import io
import re
from datetime import date, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.certification.conftest import counted_queries
from tests.conftest import isolated
from training.certification.verification import verify_credential
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.extensions import db, limiter
from training.models import Attestation, Certificate, ContinuingEducation, OutboxMessage, Role, User, utcnow


def issued(track, person, staff):
    certificate, _ = issue(person, track, standing_for(track, person.id).eligibility, by=staff, now=utcnow())
    db.session.commit()
    return certificate


def test_signing_records_the_version_and_the_typed_name(client, login_as, track, make_user):
    person = make_user(Role.TRAINEE, legal_name="Robin Ash")
    login_as(person)
    page = client.get("/certification/sign/code-of-ethics")
    assert page.status_code == 200 and "Sign version" in page.get_data(as_text=True)
    refused = client.post("/certification/sign/code-of-ethics", data={"legal_name": "Someone Else", "confirm": "y"})
    assert refused.status_code == 422
    assert "Robin Ash" in refused.get_data(as_text=True)
    unticked = client.post("/certification/sign/code-of-ethics", data={"legal_name": "Robin Ash"})
    assert unticked.status_code == 422 and "tick the box" in unticked.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attestation.id))) == 0
    done = client.post("/certification/sign/code-of-ethics", data={"legal_name": " robin  ash ", "confirm": "y"})
    assert done.status_code == 302
    attestation = db.session.scalar(select(Attestation))
    assert (attestation.document, attestation.version, attestation.legal_name) == ("code-of-ethics", "2026.1",
                                                                                     "robin ash")
    checklist = client.get("/certification").get_data(as_text=True)
    assert "1 of 10</strong> requirements met" in checklist


def test_an_account_without_a_legal_name_takes_the_signed_one(client, login_as, track, make_user):
    person = make_user(Role.TRAINEE)
    person.legal_name = ""
    db.session.commit()
    login_as(person)
    client.post("/certification/sign/code-of-ethics", data={"legal_name": "Kai Moana", "confirm": "y"})
    db.session.expire_all()
    assert person.legal_name == "Kai Moana"


def test_the_checklist_shows_what_remains(client, login_as, track, make_user):
    login_as(make_user(Role.TRAINEE))
    page = client.get("/certification").get_data(as_text=True)
    assert "0 of 10</strong> requirements met" in page
    assert "Verified practice hours in total" in page and "100 to go" in page


def test_ce_records_accept_a_pdf_and_refuse_other_files_kindly(client, login_as, track, people, eligible):
    person = eligible()
    issued(track, person, people["staff"])
    login_as(person)
    form = {"topic": "ethics", "title": "Ethics refresher", "provider": "State network",
            "completed_on": str(date.today()), "hours": "3"}
    bad = client.post("/certificates/continuing-education", content_type="multipart/form-data",
                      data={**form, "proof": (io.BytesIO(b"MZ\x90\x00 an executable"), "proof.exe")})
    assert bad.status_code == 422
    assert "PDF, PNG or JPEG" in bad.get_data(as_text=True)
    # Encoded here in memory: the test client would spool a body this size to a temporary file it never closes.
    boundary, body = encode_multipart({**form, "csrf_token": client.csrf_token(),
                                       "proof": FileStorage(io.BytesIO(b"%PDF-" + b"0" * (2 * 1024 * 1024)),
                                                            "big.pdf")})
    big = isolated(client.http.post, "/certificates/continuing-education", data=body,
                   content_type=f"multipart/form-data; boundary={boundary}")
    assert big.status_code == 422 and "up to 2 MB" in big.get_data(as_text=True)
    future = client.post("/certificates/continuing-education", data={**form, "completed_on": str(date.today()
                                                                                                  + timedelta(days=2))})
    assert future.status_code == 422 and "in the future" in future.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ContinuingEducation.id))) == 0
    good = client.post("/certificates/continuing-education", content_type="multipart/form-data",
                       data={**form, "proof": (io.BytesIO(b"%PDF-1.7 attendance"), "attendance.pdf")})
    assert good.status_code == 302
    record = db.session.scalar(select(ContinuingEducation))
    assert (record.minutes, record.proof_type, record.proof_name) == (180, "application/pdf", "attendance.pdf")
    proof = client.get(f"/certificates/continuing-education/{record.id}/proof")
    assert proof.data == b"%PDF-1.7 attendance" and "attachment" in proof.headers["Content-Disposition"]
    mine = client.get("/certificates").get_data(as_text=True)
    assert "Ethics refresher" in mine and "3 of 20 hours" in mine


def test_my_certificates_offers_downloads_and_the_verification_link(client, login_as, track, people, eligible):
    person = eligible()
    certificate = issued(track, person, people["staff"])
    login_as(person)
    page = client.get("/certificates").get_data(as_text=True)
    assert certificate.number in page and f"/verify/{certificate.code}" in page
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data == certificate.pdf
    credential = client.get(f"/certificates/{certificate.id}/credential.jwt")
    assert verify_credential(credential.get_data(as_text=True)).ok


def test_the_pdf_is_rendered_after_the_commit_or_at_the_first_download(client, login_as, track, people, eligible):
    """Issuing signs the credential in the request; the PDF (about 300 ms) waits for the job
    after the commit. A download that comes before the job renders and keeps it itself."""
    person = eligible()
    certificate, _ = issue(person, track, standing_for(track, person.id).eligibility, by=people["staff"],
                           now=utcnow())
    assert certificate.pdf == b"" and certificate.credential_jwt  # not rendered inside the transaction
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).pdf.startswith(b"%PDF")  # the job ran after the commit
    db.session.execute(db.update(Certificate).where(Certificate.id == certificate.id).values(pdf=b""))
    db.session.commit()  # as if no worker had got to it yet
    login_as(person)
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).pdf == pdf.data  # kept: rendered once


def test_staff_issue_in_bulk_and_each_is_checked_again(client, login_as, track, people, eligible, make_user):
    first, second = eligible(), eligible(legal_name="Sam Second")
    not_ready = make_user(Role.TRAINEE, legal_name="Not Ready")
    login_as(people["staff"])
    page = client.get("/staff/certification/").get_data(as_text=True)
    assert "Ready to issue (2)" in page
    response = client.post("/staff/certification/basic/issue",
                           data={"holder": [str(first.id), str(second.id), str(not_ready.id)]})
    assert response.status_code == 302
    numbers = db.session.scalars(select(Certificate.number).order_by(Certificate.number)).all()
    assert numbers == ["BPC-%d-000001" % utcnow().year, "BPC-%d-000002" % utcnow().year]
    messages = client.get("/staff/certification/").get_data(as_text=True)
    assert "has not met every requirement" in messages
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.recipient for m in mail] == [first.email, second.email]
    assert "BPC-" in mail[0].subject and "/certificates" in mail[0].body
    client.post("/staff/certification/basic/issue", data={"holder": [str(first.id)]})
    assert db.session.scalar(select(func.count(Certificate.id))) == 2  # issuing again changes nothing
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_staff_record_training_from_elsewhere(client, login_as, track, people, make_user):
    person = make_user(Role.TRAINEE)
    login_as(people["staff"])
    url = f"/staff/certification/basic/trainees/{person.id}"
    refused = client.post(url, data={"domain": "advocacy", "title": "Workshop", "provider": "P", "hours": "0",
                                     "completed_on": str(date.today())})
    assert refused.status_code == 422 and "between 0.25 and 200" in refused.get_data(as_text=True)
    client.post(url, data={"domain": "advocacy", "title": "Advocacy workshop", "provider": "State network",
                           "hours": "2", "completed_on": str(date.today())})
    check = next(c for c in standing_for(track, person.id).eligibility.checks if c.label.endswith("Advocacy"))
    assert (check.have, check.met) == (2, True)


def test_staff_issue_a_trainees_learner_record_from_their_checklist(client, login_as, track, people, eligible):
    person = eligible()
    login_as(people["staff"])
    checklist = f"/staff/certification/basic/trainees/{person.id}"
    page = client.get(checklist).get_data(as_text=True)
    assert "None issued yet" in page and f'action="/learner-records/issue/{person.id}"' in page
    address = client.post(f"/learner-records/issue/{person.id}").location
    assert address in client.get(checklist).get_data(as_text=True)
    assert client.get(f"{address}/transcript.pdf").mimetype == "application/pdf"
    assert "Revoke this learner record" in client.get(address).get_data(as_text=True)


def test_expiring_list_is_computed_from_dates(client, login_as, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    login_as(people["staff"])
    assert certificate.number not in client.get("/staff/certification/certificates?expiring=1").get_data(as_text=True)
    certificate.expires_on = date.today() + timedelta(days=30)
    db.session.commit()
    assert certificate.number in client.get("/staff/certification/certificates?expiring=1").get_data(as_text=True)


def test_verification_shows_the_record_without_signing_in(client, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    page = client.get(f"/verify/{certificate.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for fact in ("This certificate is valid", "Dana Q. Holder", "Basic Peer Credential", "Example Peer Support Program (demo)",
                 certificate.number):
        assert fact in text
    assert client.get(f"/verify?code=%20{certificate.code}%20").headers["Location"].endswith(certificate.code)
    link = f"http://example.org/verify/{certificate.code}"
    assert client.get("/verify", query_string={"code": link}).headers["Location"].endswith(certificate.code)


def test_unknown_and_malformed_codes_get_the_same_answer(client, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    forged = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    answers = [client.get(f"/verify/{code}") for code in (forged, "short", "x" * 300, "'; select 1 --")]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.get_data() for answer in answers}) == 1
    assert client.get(f"/verify/{forged}/credential.json").status_code == 404


def test_revocation_shows_at_once_on_the_page_and_in_the_status_list(client, login_as, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    token = certificate.credential_jwt
    assert verify_credential(token).ok
    login_as(people["staff"])
    client.post(f"/staff/certification/certificates/{certificate.id}/revoke",
                data={"revoke-reason": "Code of ethics breach upheld by the review panel", "revoke-confirm": "y"})
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate was revoked" in page and "review panel" in page
    result = verify_credential(token)
    assert not result.ok and result.status == "revoked"


def test_reissue_after_a_name_change_supersedes_on_the_public_page(client, login_as, track, people, eligible):
    person = eligible()
    old = issued(track, person, people["staff"])
    person.legal_name = "Dana Renamed"
    db.session.commit()
    login_as(people["staff"])
    response = client.post(f"/staff/certification/certificates/{old.id}/reissue",
                           data={"reissue-reason": "Legal name changed"})
    new = db.session.scalar(select(Certificate).where(Certificate.id != old.id))
    assert response.headers["Location"].endswith(f"/certificates/{new.id}")
    page = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert "This certificate was replaced" in page and new.number in page
    assert "Dana Renamed" in client.get(f"/verify/{new.code}").get_data(as_text=True)


def test_verification_is_rate_limited(client, app, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    limit = int(re.match(r"\d+", app.config["VERIFY_LIMIT_PER_IP"]).group())
    limiter.reset()
    codes = [client.get(f"/verify/{certificate.code}").status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429
    limiter.reset()


def test_verification_is_one_indexed_lookup(client, track, people, eligible):
    code = issued(track, eligible(), people["staff"]).code
    with counted_queries() as statements:
        assert client.get(f"/verify/{code}").status_code == 200
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1 and "certificates.code = " in queries[0], [q[:60] + q[-90:] for q in queries]


def test_the_staff_list_runs_the_same_queries_for_one_or_many_trainees(client, login_as, track, people, eligible):
    login_as(people["staff"])
    eligible()
    counts = []
    for _ in range(2):
        with counted_queries() as statements:
            assert client.get("/staff/certification/").status_code == 200
        counts.append(len(statements))
        eligible(), eligible()
    assert counts[0] == counts[1]


def test_the_staff_list_shows_everyone_ready_and_everyone_else_a_page_at_a_time(client, login_as, track, people,
                                                                                eligible, make_user):
    ready = eligible(legal_name="Ready Person")
    for number in range(52):
        trainee = User(email=f"waiting{number}@example.org", display_name=f"Waiting {number:02d}")
        trainee.grant(Role.TRAINEE)
        db.session.add(trainee)
    db.session.commit()
    login_as(people["staff"])
    page = client.get("/staff/certification/").get_data(as_text=True)
    others = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("waiting%")))
    assert others == 52 and f'value="{ready.id}"' in page and "Ready to issue (1)" in page
    assert "Waiting 00" in page and "Waiting 51" not in page and "page 1 of 2" in page
    assert 'href="/staff/certification/?page=2#track-basic"' in page
    second = client.get("/staff/certification/?page=2").get_data(as_text=True)
    assert "Waiting 51" in second and "Waiting 00" not in second and f'value="{ready.id}"' in second
    beyond = client.get("/staff/certification/?page=9").get_data(as_text=True)
    assert "There is no page 9." in beyond and "Ready to issue (1)" in beyond
