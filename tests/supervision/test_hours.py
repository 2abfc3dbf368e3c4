"""The hours log: what a trainee may log, what a supervisor decides, and what counts."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.models import ContentFile, HoursDecision, HoursEntry, OutboxMessage, Role
from training.staff.cohorts import assign_supervisor

TRACK = """slug: cpss
practice:
  total_hours: 500
  by_activity: {individual-support: 150, group-facilitation: 100}
supervision:
  hours: 25
  formats: [individual, group]
"""


@pytest.fixture()
def people(make_user):
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "other_supervisor": make_user(Role.SUPERVISOR),
            "other_trainee": make_user(Role.TRAINEE)}


def practice(client, **fields):
    data = {"practice-activity": "individual-support", "practice-worked_on": str(date.today()),
            "practice-hours": "1.5", "practice-setting": "Drop-in centre", "practice-mode": "in_person",
            "practice-note": "", "practice-token": fields.pop("token", "token-" + str(fields))}
    data.update({f"practice-{name}": value for name, value in fields.items()})
    return client.post("/hours/practice", data)


def entries() -> list[HoursEntry]:
    db.session.expire_all()
    return db.session.scalars(select(HoursEntry).order_by(HoursEntry.id)).all()


def test_a_trainee_logs_hours_and_the_supervisor_is_told(client, people):
    client.sign_in_as(people["trainee"])
    response = practice(client)
    assert response.status_code == 302
    [entry] = entries()
    assert (entry.minutes, entry.activity, entry.status) == (90, "individual-support", "pending")
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == people["supervisor"].email and "1.5 hours" in mail.body
    assert "Waiting for your supervisor" in client.get("/hours/").get_data(as_text=True)


@pytest.mark.parametrize("fields,message", [
    ({"hours": "0"}, "more than 0"),
    ({"hours": "-2"}, "more than 0"),
    ({"hours": "25"}, "at most 24 hours"),
    ({"hours": "lots"}, "Not a valid decimal"),
    ({"worked_on": str(date.today() + timedelta(days=1))}, "in the future"),
    ({"worked_on": "yesterday"}, "Not a valid date"),
    ({"setting": "  "}, "say where this happened"),
    ({"activity": "babysitting"}, "Please choose one of the options in the list."),
])
def test_bad_entries_get_a_clear_answer_and_nothing_is_logged(client, people, fields, message):
    client.sign_in_as(people["trainee"])
    response = practice(client, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert entries() == []


def test_a_day_has_twenty_four_hours(client, people):
    client.sign_in_as(people["trainee"])
    assert practice(client, hours="20", token="a").status_code == 302
    response = practice(client, hours="5", setting="Evening group", token="b")
    assert response.status_code == 400 and "a day has 24 hours" in response.get_data(as_text=True)
    assert len(entries()) == 1


def test_the_same_entry_twice_is_refused_and_a_resent_form_logs_once(client, people):
    client.sign_in_as(people["trainee"])
    assert practice(client, token="same").status_code == 302
    assert practice(client, token="same").status_code == 302  # the same form again: nothing new
    assert len(entries()) == 1 and db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    again = practice(client, token="fresh")
    assert again.status_code == 400 and "already in your log" in again.get_data(as_text=True)
    assert practice(client, token="noted", note="Second session that day").status_code == 302
    assert len(entries()) == 2


def test_the_supervisor_verifies_and_only_verified_hours_count(client, people):
    db.session.add(ContentFile(path="tracks/cpss.yml", source=TRACK, content_hash="x"))
    db.session.commit()
    client.sign_in_as(people["trainee"])
    practice(client, token="one")
    practice(client, token="two", hours="2", setting="Group room", activity="group-facilitation")
    first, second = entries()
    client.sign_in_as(people["supervisor"])
    queue = client.get("/supervision/queue").get_data(as_text=True)
    assert "Review queue (2)" in queue and people["trainee"].display_name in queue
    assert client.post(f"/supervision/hours/{first.id}/decide", {"decision": "verified"}).status_code == 302
    refused = client.post(f"/supervision/hours/{second.id}/decide", {"decision": "rejected"}, follow_redirects=True)
    assert "reason for rejecting" in refused.get_data(as_text=True)
    client.post(f"/supervision/hours/{second.id}/decide", {"decision": "rejected", "reason": "Not peer work"})
    assert [e.status for e in entries()] == ["verified", "rejected"]
    client.sign_in_as(people["trainee"])
    page = client.get("/hours/").get_data(as_text=True)
    assert "1.5 of 500 verified hours" in page and "0 of 100 verified hours" in page
    assert "Not verified: Not peer work" in page


def test_a_changed_decision_needs_a_reason_and_both_stay(client, people):
    client.sign_in_as(people["trainee"])
    practice(client)
    [entry] = entries()
    client.sign_in_as(people["supervisor"])
    client.post(f"/supervision/hours/{entry.id}/decide", {"decision": "verified"})
    client.post(f"/supervision/hours/{entry.id}/decide", {"decision": "rejected"})
    assert entries()[0].status == "verified"
    client.post(f"/supervision/hours/{entry.id}/decide", {"decision": "rejected", "reason": "Wrong date"})
    decisions = db.session.scalars(select(HoursDecision).order_by(HoursDecision.id)).all()
    assert [d.decision for d in decisions] == ["verified", "rejected"] and entries()[0].status == "rejected"
    page = client.get(f"/supervision/trainees/{people['trainee'].id}").get_data(as_text=True)
    assert "Earlier: verified" in page


def test_nobody_decides_on_someone_elses_trainee_or_their_own_hours(client, people, make_user):
    client.sign_in_as(people["trainee"])
    practice(client)
    [entry] = entries()
    client.sign_in_as(people["other_supervisor"])
    assert client.post(f"/supervision/hours/{entry.id}/decide", {"decision": "verified"}).status_code == 404
    assert client.get("/supervision/queue").get_data(as_text=True).count("Drop-in centre") == 0
    assert entries()[0].status == "pending"
    both = make_user(Role.TRAINEE, Role.SUPERVISOR)  # a supervisor who is also in training
    client.sign_in_as(both)
    practice(client, token="own")
    own = entries()[-1]
    assert own.trainee_id == both.id
    assert client.post(f"/supervision/hours/{own.id}/decide", {"decision": "verified"}).status_code == 404
    assert entries()[-1].status == "pending"
