"""Each event tells the right person (and nobody else), in words that never carry what anyone wrote."""
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import Client
from tests.notifications.conftest import log_practice, mailed, told
from training.certification.standing import issue_due
from training.courses.published import tracks
from training.demo_graduate import complete_requirements
from training.extensions import db
from training.labs.booking import book
from training.models import (Certificate, ContentFile, HoursEntry, Lab, LabMode, LabSession, LivedExperienceStatement,
                             NotificationKind, SignoffRequest, StoryDraft, utcnow)

SECRET = "the night at the river I have never told anyone"
STATEMENT = " ".join(["Recovery taught me to listen before I speak."] * 8)


def kinds(user) -> list[NotificationKind]:
    return [notification.kind for notification in told(user)]


def nobody_else_was_told(people, *told_people):
    others = [person for person in people.values() if person not in told_people]
    assert all(told(person) == [] for person in others), [(p.email, kinds(p)) for p in others if told(p)]


def test_logged_hours_tell_every_supervisor_once_per_batch_and_decisions_tell_the_trainee(app, client, people):
    client.sign_in_as(people["trainee"])
    for number in range(3):
        assert log_practice(client, hours=str(number + 1)).status_code == 302
    for supervisor in (people["supervisor"], people["second"]):
        [note] = told(supervisor)
        assert (note.kind, note.count, note.actor_id) == (NotificationKind.HOURS_LOGGED, 3, people["trainee"].id)
        assert note.text == "Sam Rivera logged 3 hours entries" and note.read_at is None
        [mail] = mailed(supervisor)  # one message for the batch, sent with the first entry
        assert mail.subject == "Hours to verify" and "1 hours of individual peer support" in mail.body
        assert f"/notifications/{note.id}" in mail.body
    nobody_else_was_told(people, people["supervisor"], people["second"])

    entries = db.session.scalars(select(HoursEntry).order_by(HoursEntry.id)).all()
    reviewer = Client(app)
    reviewer.sign_in_as(people["supervisor"])
    for entry in entries[:2]:
        reviewer.post(f"/supervision/hours/{entry.id}/decide", {"decision": "verified"})
    reviewer.post(f"/supervision/hours/{entries[2].id}/decide",
                  {"decision": "rejected", "reason": "This was a " + SECRET})
    verified, rejected = told(people["trainee"])
    assert (verified.kind, verified.count, verified.text) == (NotificationKind.HOURS_VERIFIED, 2,
                                                              "Alex Kim verified 2 of your hours entries")
    assert (rejected.kind, rejected.count, rejected.target_id) == (NotificationKind.HOURS_REJECTED, 1, entries[2].id)
    assert len(mailed(people["trainee"])) == 2
    assert all(SECRET not in text for text in [rejected.text] + [m.body for m in mailed(people["trainee"])])


def test_signoff_requests_tell_supervisors_and_answers_tell_the_trainee(app, client, people):
    client.sign_in_as(people["trainee"])
    client.post("/competencies/C01.1/request", {
        "happened_on": str(date.today()), "setting": "Drop-in center", "method": "direct-observation",
        "what_happened": SECRET, "reflection": ""})
    request = db.session.scalar(select(SignoffRequest))
    for supervisor in (people["supervisor"], people["second"]):
        [note] = told(supervisor)
        assert (note.kind, note.target_type, note.target_id) == (NotificationKind.SIGNOFF_REQUESTED,
                                                                 "signoff_requests", request.id)
        assert note.text.startswith("Sam Rivera asks for a sign-off of C01.1")
    reviewer = Client(app)
    reviewer.sign_in_as(people["supervisor"])
    reviewer.post(f"/supervision/signoffs/{request.id}", {"outcome": "returned", "comment": "Tell me " + SECRET})
    [returned] = told(people["trainee"])
    assert returned.kind == NotificationKind.SIGNOFF_RETURNED and returned.actor_id == people["supervisor"].id
    assert mailed(people["trainee"])[0].subject == "Your sign-off request has feedback"
    client.post(f"/competencies/requests/{request.id}", {
        "happened_on": str(date.today()), "setting": "Drop-in center", "method": "direct-observation",
        "what_happened": "More detail.", "reflection": ""})
    assert "revised" in told(people["second"])[-1].text
    reviewer.post(f"/supervision/signoffs/{request.id}", {"outcome": "approved", "level": "meets"})
    assert kinds(people["trainee"]) == [NotificationKind.SIGNOFF_RETURNED, NotificationKind.SIGNOFF_APPROVED]
    assert all(SECRET not in m.body for m in mailed(people["trainee"]) + mailed(people["supervisor"]))
    nobody_else_was_told(people, people["trainee"], people["supervisor"], people["second"])
    # The supervisor opens their notification: it is marked read and leads to the request.
    response = reviewer.get(f"/notifications/{told(people['supervisor'])[0].id}")
    assert response.headers["Location"] == f"/supervision/signoffs/{request.id}"
    assert told(people["supervisor"])[0].read_at is not None


def test_a_shared_story_and_its_feedback_never_carry_its_words(app, client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "About the river", "body": SECRET})
    draft = db.session.scalar(select(StoryDraft))
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    [shared] = told(people["supervisor"])
    assert shared.kind == NotificationKind.STORY_SHARED and shared.text == "Sam Rivera shared a story draft with you"
    client.post(f"/stories/{draft.id}/share", {"share": "0"})  # unsharing tells nobody
    assert len(told(people["second"])) == 1
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    reviewer = Client(app)
    reviewer.sign_in_as(people["supervisor"])
    reviewer.post(f"/stories/shared/{draft.id}", {"body": "I felt " + SECRET})
    [feedback] = told(people["trainee"])
    assert (feedback.kind, feedback.text) == (NotificationKind.STORY_FEEDBACK,
                                              "Alex Kim gave feedback on your story draft")
    everything = [n.text for p in people.values() for n in told(p)] + [m.body + m.subject for p in people.values()
                                                                       for m in mailed(p)]
    assert not any("river" in text or SECRET in text for text in everything)
    nobody_else_was_told(people, people["trainee"], people["supervisor"], people["second"])


def test_statements_sent_and_reviewed(app, client, people):
    client.sign_in_as(people["trainee"])
    assert client.post("/certification/board/statement", {"text": STATEMENT}).status_code == 302
    statement = db.session.scalar(select(LivedExperienceStatement))
    [sent] = told(people["supervisor"])
    assert (sent.kind, sent.target_id) == (NotificationKind.STATEMENT_SENT, statement.id)
    assert mailed(people["second"])[0].subject == "A statement of lived experience to read"
    reviewer = Client(app)
    reviewer.sign_in_as(people["second"])
    reviewer.post(f"/supervision/statements/{statement.id}", {"outcome": "return", "feedback": "Add " + SECRET})
    [returned] = told(people["trainee"])
    assert returned.kind == NotificationKind.STATEMENT_RETURNED and returned.actor_id == people["second"].id
    assert SECRET not in mailed(people["trainee"])[0].body and "Recovery taught" not in mailed(people["second"])[0].body
    assert client.get(f"/notifications/{returned.id}").headers["Location"] == "/certification/board/statement"
    nobody_else_was_told(people, people["trainee"], people["supervisor"], people["second"])


def test_certificates_issued_and_revoked_tell_the_holder_with_one_email_each(app, client, people):
    track = tracks()["basic"]
    holder = people["trainee"]
    complete_requirements(holder, people["supervisor"], people["staff"], track)
    db.session.commit()
    client.sign_in_as(people["staff"])
    client.post("/staff/certification/basic/issue", data={"holder": [str(holder.id)]})
    certificate = db.session.scalar(select(Certificate))
    [issued] = told(holder)
    assert (issued.kind, issued.actor_id, issued.target_id) == (NotificationKind.CERTIFICATE_ISSUED,
                                                                people["staff"].id, certificate.id)
    [mail] = mailed(holder)  # the notification's email is the certificate email, not a second one
    assert mail.subject == f"Your certificate {certificate.number} is issued" and "/certificates" in mail.body
    client.post(f"/staff/certification/certificates/{certificate.id}/revoke",
                data={"revoke-reason": "Issued in error", "revoke-confirm": "y"})
    assert kinds(holder) == [NotificationKind.CERTIFICATE_ISSUED, NotificationKind.CERTIFICATE_REVOKED]
    revoked = mailed(holder)[-1]
    assert certificate.number in revoked.subject and "Reason given: Issued in error" in revoked.body
    assert [p for p in people.values() if told(p)] == [holder]


def test_a_certificate_issued_automatically_has_no_actor_and_one_email(app, people):
    holder = people["trainee"]
    complete_requirements(holder, people["supervisor"], people["staff"], tracks()["basic"])
    row = db.session.scalar(select(ContentFile).where(ContentFile.path == "tracks/basic.yml"))
    row.source = row.source.replace("issue_automatically: false", "issue_automatically: true")
    db.session.commit()
    assert len(issue_due([holder.id], utcnow())) == 1
    db.session.commit()
    [issued] = told(holder)
    assert issued.kind == NotificationKind.CERTIFICATE_ISSUED and issued.actor_id is None
    assert len(mailed(holder)) == 1


def test_a_cancelled_lab_session_tells_everyone_booked(app, client, people):
    lab = db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))
    session = LabSession(lab_id=lab.id, starts_at=utcnow() + timedelta(days=7), minutes=lab.minutes,
                         time_zone="America/Chicago", mode=LabMode.IN_PERSON, location="Room 2",
                         facilitator_id=people["supervisor"].id, capacity=5, created_by_id=people["staff"].id)
    db.session.add(session)
    db.session.commit()
    for trainee in (people["trainee"], people["other_trainee"]):
        book(session, trainee, now=utcnow())
    db.session.commit()
    client.sign_in_as(people["staff"])
    client.post(f"/labs/sessions/{session.id}/cancel", {"reason": "The facilitator is ill."})
    for trainee in (people["trainee"], people["other_trainee"]):
        [note] = told(trainee)
        assert note.kind == NotificationKind.LAB_CANCELLED and lab.title in note.text
        assert "Reason: The facilitator is ill." in mailed(trainee)[0].body
    assert told(people["supervisor"]) == [] and told(people["staff"]) == []
    client.sign_in_as(people["trainee"])
    assert client.get(f"/notifications/{told(people['trainee'])[0].id}").headers["Location"] == f"/labs/{lab.id}"
