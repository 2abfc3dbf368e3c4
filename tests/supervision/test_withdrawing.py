"""Trainees withdraw a pending hours entry or sign-off request: it leaves the supervisor's queue,
counts nowhere, and stays in the trainee's history as withdrawn. A decision made first stands."""
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import HoursDecision, HoursEntry, Role, SignoffRequest, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import HoursRefused, NewHours, log_hours, pending_entries, withdraw_hours
from training.supervision.queue import waiting_count

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def people(make_user):
    sync_library(content_library(FIXTURE))  # the framework and the track
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "other_trainee": make_user(Role.TRAINEE)}


def logged(trainee, hours=2, token="t1") -> HoursEntry:
    entry, _ = log_hours(trainee, NewHours("practice", "individual-support", date.today(), hours * 60, "Centre", False,
                                           "", token), date.today())
    db.session.commit()
    return entry


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def test_a_withdrawn_entry_leaves_the_queue_counts_nowhere_and_stays_in_the_log(client, people):
    trainee, supervisor = people["trainee"], people["supervisor"]
    entry = logged(trainee, hours=20)
    client.sign_in_as(trainee)
    log_page = client.get("/hours/").get_data(as_text=True)
    assert f'action="/hours/{entry.id}/withdraw"' in log_page
    response = client.post(f"/hours/{entry.id}/withdraw")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#entry-{entry.id}")
    page = client.get("/hours/").get_data(as_text=True)
    assert "The entry is withdrawn" in page and "Withdrawn " in page and "it counts nowhere" in page
    assert f'action="/hours/{entry.id}/withdraw"' not in page
    assert fresh(HoursEntry, entry.id).status == "withdrawn"
    assert pending_entries(supervisor) == [] and waiting_count(supervisor) == 0
    client.sign_in_as(supervisor)
    assert "No hours are waiting" in client.get("/supervision/queue").get_data(as_text=True)
    trainee_page = client.get(f"/supervision/trainees/{trainee.id}").get_data(as_text=True)
    assert "Withdrawn " in trainee_page and f'action="/supervision/hours/{entry.id}/decide"' not in trainee_page
    # Withdrawn hours no longer fill the day: the 20 hours can be logged again, corrected.
    client.sign_in_as(trainee)
    again = client.post("/hours/practice", {"practice-activity": "individual-support",
                                            "practice-worked_on": str(date.today()), "practice-hours": "20",
                                            "practice-setting": "Centre", "practice-mode": "in_person",
                                            "practice-note": "", "practice-token": "t2"})
    assert again.status_code == 302


def test_a_supervisor_deciding_a_withdrawn_entry_is_told(client, people):
    entry = logged(people["trainee"])
    withdraw_hours(entry, people["trainee"], utcnow())
    db.session.commit()
    client.sign_in_as(people["supervisor"])
    response = client.post(f"/supervision/hours/{entry.id}/decide", {"decision": "verified"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "withdrew this entry, so there is nothing to decide" in page
    assert fresh(HoursEntry, entry.id).decisions == []


def test_withdrawing_an_entry_decided_a_moment_before_leaves_the_decision_standing(client, people):
    entry = logged(people["trainee"])
    stale = fresh(HoursEntry, entry.id)
    assert stale.decisions == []  # what the withdrawing request read before the supervisor decided
    with db.engine.begin() as other_request:  # the supervisor's request, committed in between
        other_request.execute(insert(HoursDecision.__table__).values(
            entry_id=entry.id, reviewer_id=people["supervisor"].id, decision="verified", reason="",
            created_at=utcnow()))
    with pytest.raises(HoursRefused, match="had already verified this entry"):
        withdraw_hours(stale, people["trainee"], utcnow())
    db.session.rollback()
    client.sign_in_as(people["trainee"])
    response = client.post(f"/hours/{entry.id}/withdraw")
    assert "the decision stands" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(HoursEntry, entry.id).status == "verified" and fresh(HoursEntry, entry.id).withdrawn_at is None


def test_only_the_trainee_withdraws_their_entry_and_twice_is_once(client, people):
    entry = logged(people["trainee"])
    client.sign_in_as(people["other_trainee"])
    assert client.post(f"/hours/{entry.id}/withdraw").status_code == 404
    assert fresh(HoursEntry, entry.id).withdrawn_at is None
    assert withdraw_hours(fresh(HoursEntry, entry.id), people["trainee"], utcnow()) is True
    db.session.commit()
    first = fresh(HoursEntry, entry.id).withdrawn_at
    assert withdraw_hours(fresh(HoursEntry, entry.id), people["trainee"], utcnow()) is False
    assert fresh(HoursEntry, entry.id).withdrawn_at == first


def evidence(**changes):
    fields = {"happened_on": str(date.today()), "setting": "One-to-one at the drop-in centre",
              "method": "direct-observation", "what_happened": "I greeted Sam by name.", "reflection": ""}
    return {**fields, **changes}


def ask(client, trainee, code="C01.1") -> SignoffRequest:
    client.sign_in_as(trainee)
    assert client.post(f"/competencies/{code}/request", evidence()).status_code == 302
    return db.session.scalar(select(SignoffRequest).order_by(SignoffRequest.id.desc()))


def test_a_withdrawn_request_leaves_the_queue_stays_in_the_history_and_can_be_asked_again(client, people):
    made = ask(client, people["trainee"])
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    assert "Withdraw this request" in page
    response = client.post(f"/competencies/requests/{made.id}/withdraw")
    assert response.headers["Location"] == f"/competencies/requests/{made.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your request is withdrawn" in page and re.search(r"Status:</strong>\s*Withdrawn ", page)
    assert fresh(SignoffRequest, made.id).status == "withdrawn"
    assert waiting_count(people["supervisor"]) == 0
    index = client.get("/competencies/").get_data(as_text=True)
    assert "Ask for a sign-off<span class=\"visually-hidden\"> of C01.1" in index
    assert ask(client, people["trainee"]).id != made.id  # a new request for the same competency

    client.sign_in_as(people["supervisor"])
    assert f"/supervision/signoffs/{made.id}" not in client.get("/supervision/queue").get_data(as_text=True)
    old = client.get(f"/supervision/signoffs/{made.id}").get_data(as_text=True)
    assert "withdrew this request; nothing waits for you here" in old


def test_responding_to_a_request_withdrawn_a_moment_before_is_refused_kindly(client, people):
    made = ask(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    client.get(f"/supervision/signoffs/{made.id}")  # the supervisor has the form open
    client.sign_in_as(people["trainee"])
    client.post(f"/competencies/requests/{made.id}/withdraw")
    client.sign_in_as(people["supervisor"])
    response = client.post(f"/supervision/signoffs/{made.id}", {"outcome": "approved", "level": "meets"})
    assert response.status_code == 302
    assert "withdrew this request, so there is nothing to respond to" in \
        client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(SignoffRequest, made.id).status == "withdrawn" and fresh(SignoffRequest, made.id).responses == []


def test_an_approved_request_cannot_be_withdrawn(client, people):
    made = ask(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    client.post(f"/supervision/signoffs/{made.id}", {"outcome": "approved", "level": "meets"})
    client.sign_in_as(people["trainee"])
    assert "Withdraw this request" not in client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    response = client.post(f"/competencies/requests/{made.id}/withdraw")
    assert "already approved this request" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(SignoffRequest, made.id).status == "approved"
