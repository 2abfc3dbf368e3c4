"""Staff erase a person's data at their request: a confirmation shows what goes and what
stays; afterwards their writing and files are gone, the records certificates rest on stay
without a name, the certificate verifies as before, and the audit log says what was done."""
import json

from sqlalchemy import func, select

from tests.personaldata.conftest import STORY, certificate_of
from training.audit import verify
from training.extensions import db
from training.models import (AttemptItem, AuditEvent, CompetencyRating, ContinuingEducation, HoursEntry,
                             LivedExperienceStatement, Notification, OutboxMessage, QuizAttempt, Role, SignoffEvidence,
                             StoryDraft, StoryFeedback, StoryRead, User, UserRole)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_confirmation_shows_what_goes_and_what_stays(client, graduate, login_as):
    login_as(Role.STAFF)
    page = client.get(f"/staff/people/{graduate.id}/erase")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Recovery story drafts: 1 record" in text                       # deleted
    assert "Continuing education and proofs: 1 record" in text             # cleared
    assert "Certificates: 2 records" in text and "keeps verifying" in text  # kept (completion and certification)
    assert _count(StoryDraft) == 1  # looking changes nothing


def test_erasure_needs_the_persons_address_and_a_request(client, graduate, login_as):
    login_as(Role.STAFF)
    wrong = client.post(f"/staff/people/{graduate.id}/erase", data={"confirm_email": "someone@example.org",
                                                                     "reference": "Email of Dec 3"})
    assert wrong.status_code == 422 and "not Legal" not in wrong.get_data(as_text=True)
    assert "That is not" in wrong.get_data(as_text=True)
    blank = client.post(f"/staff/people/{graduate.id}/erase", data={"confirm_email": graduate.email, "reference": " "})
    assert blank.status_code == 422 and "which request this answers" in blank.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, graduate.id).erased_at is None and _count(StoryDraft) == 1


def test_erasure_removes_their_data_and_keeps_the_certificate_verifying(client, graduate, someone_else, login_as):
    certificate = certificate_of(graduate)
    code, number, email = certificate.code, certificate.number, graduate.email
    status_before = client.get(f"/verify/{code}").status_code
    hours = _count(HoursEntry, HoursEntry.trainee_id == graduate.id)
    staff = login_as(Role.STAFF)

    done = client.post(f"/staff/people/{graduate.id}/erase",
                       data={"confirm_email": email.upper(), "reference": "Email of December 3, 2026"})
    assert done.status_code == 302 and done.location.endswith(f"/staff/people/{graduate.id}")
    page = client.get(done.location).get_data(as_text=True)
    assert "data is erased" in page and "tell them it is done" in page

    db.session.expire_all()  # the request changed the rows this session holds
    person = db.session.get(User, graduate.id)
    assert person.erased_at and person.display_name == "Erased person" and person.legal_name == ""
    assert person.email.endswith("@erased.invalid") and person.password_hash is None and not person.is_active
    # Deleted: what existed only for them.
    assert _count(StoryDraft, StoryDraft.author_id == person.id) == 0 and _count(StoryFeedback) == 0
    assert _count(StoryRead) == 0 and _count(Notification, Notification.user_id == person.id) == 0
    assert _count(OutboxMessage, OutboxMessage.recipient == email) == 0
    assert _count(UserRole, UserRole.user_id == person.id) == 0
    # Cleared: what they wrote or uploaded; the record itself stays.
    assert _count(HoursEntry, HoursEntry.trainee_id == person.id) == hours
    assert db.session.scalars(select(HoursEntry.note).where(HoursEntry.trainee_id == person.id)).all() == [""] * hours
    evidence = db.session.scalar(select(SignoffEvidence))
    assert (evidence.what_happened, evidence.reflection, evidence.setting) == ("", "", "")
    proof = db.session.scalar(select(ContinuingEducation))
    assert proof.proof is None and proof.proof_name == "" and proof.minutes == 180
    statement = db.session.scalar(select(LivedExperienceStatement).where(LivedExperienceStatement.user_id == person.id))
    assert statement.text == "" and statement.status
    essays = db.session.scalars(select(AttemptItem.answer).join(QuizAttempt).where(QuizAttempt.user_id == person.id,
                                                                                  AttemptItem.position == 99)).all()
    assert essays == [None]
    assert _count(CompetencyRating, CompetencyRating.trainee_id == person.id) > 0
    # Someone else's records are untouched.
    assert db.session.scalar(select(StoryDraft.body).where(StoryDraft.author_id == someone_else.id)) == \
        "Not yours to see."

    # The certificate verifies as before, under its number.
    verified = client.get(f"/verify/{code}")
    assert verified.status_code == status_before == 200 and number in verified.get_data(as_text=True)
    # The audit log records it with counts and the request, and still verifies as a chain.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "personal_data.erased"))
    assert event.actor_id == staff.id and event.subject_id == person.id
    assert event.details["reference"] == "Email of December 3, 2026" and event.details["rows"]["story-drafts"] == 1
    assert STORY not in json.dumps(event.details)
    assert verify()[1] is None  # no broken event


def test_an_erased_person_cannot_sign_in_or_be_erased_twice(client, graduate, login_as):
    login_as(Role.STAFF)
    client.post(f"/staff/people/{graduate.id}/erase",
                data={"confirm_email": graduate.email, "reference": "Request 1"})
    again = client.get(f"/staff/people/{graduate.id}/erase").get_data(as_text=True)
    assert "There is nothing more to erase" in again
    assert client.post(f"/staff/people/{graduate.id}/erase",
                       data={"confirm_email": "erased", "reference": "x"}).status_code == 200
    assert _count(AuditEvent, AuditEvent.action == "personal_data.erased") == 1


def test_staff_cannot_erase_themselves(client, login_as):
    staff = login_as(Role.STAFF)
    page = client.post(f"/staff/people/{staff.id}/erase", data={"confirm_email": staff.email, "reference": "Mine"})
    assert "ask another staff member" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, staff.id).erased_at is None
