"""Supervisors decide several hours entries at once; the review queue's hours are paginated."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.models import Decision, HoursDecision, HoursEntry, Notification, Role, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import NewHours, decide, log_hours


@pytest.fixture()
def team(make_user):
    sam = make_user(Role.TRAINEE, display_name="Sam Trainee")
    kim = make_user(Role.TRAINEE, display_name="Kim Trainee")
    you = make_user(Role.SUPERVISOR, display_name="You Supervisor")
    pat = make_user(Role.SUPERVISOR, display_name="Pat")
    for trainee in (sam, kim):
        assign_supervisor(trainee, you, primary=True)
        assign_supervisor(trainee, pat, primary=False)
    db.session.commit()
    return {"sam": sam, "kim": kim, "you": you, "pat": pat}


def _entry(trainee, days_ago: int) -> HoursEntry:
    entry, _ = log_hours(trainee, NewHours("practice", "individual-support", date.today() - timedelta(days=days_ago),
                                           60, "Drop-in centre", False, f"day {days_ago}", f"t{trainee.id}-{days_ago}"),
                         date.today())
    db.session.commit()
    return entry


def _decisions(entry_id):
    db.session.expire_all()
    return db.session.scalars(select(HoursDecision).where(HoursDecision.entry_id == entry_id)).all()


def test_verify_several_skips_the_one_pat_decided_and_saves_the_others(client, team):
    first, second = _entry(team["sam"], 3), _entry(team["kim"], 2)
    taken, other_sams = _entry(team["sam"], 1), _entry(team["sam"], 4)
    client.sign_in_as(team["you"])
    page = client.get("/supervision/queue").get_data(as_text=True)
    assert f'id="select-{first.id}"' in page and 'form="bulk-decision"' in page and "Record decision" in page
    decide(taken, team["pat"], Decision.VERIFIED, "", utcnow())  # Pat was quicker
    db.session.commit()

    response = client.post("/supervision/hours/decide", {"decision": "verified",
                                                         "entry": [first.id, second.id, taken.id, other_sams.id]})
    assert response.status_code == 302
    said = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 entries verified; 1 skipped (Sam Trainee" in said and "already verified by Pat" in said
    for entry in (first, second, other_sams):
        assert [d.decision for d in _decisions(entry.id)] == [Decision.VERIFIED]
    assert [d.reviewer_id for d in _decisions(taken.id)] == [team["pat"].id]
    # One notification per trainee: Sam's two verified entries are counted up in one.
    mine = db.session.scalars(select(Notification).where(Notification.actor_id == team["you"].id)).all()
    assert sorted(n.user_id for n in mine) == sorted([team["sam"].id, team["kim"].id])


def test_reject_several_needs_one_reason_and_skips_a_withdrawn_entry(client, team):
    kept, withdrawn = _entry(team["sam"], 2), _entry(team["kim"], 1)
    client.sign_in_as(team["kim"])
    assert client.post(f"/hours/{withdrawn.id}/withdraw").status_code == 302
    client.sign_in_as(team["you"])
    response = client.post("/supervision/hours/decide", {"decision": "rejected", "entry": [kept.id, withdrawn.id]})
    said = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please give the trainees one reason" in said and _decisions(kept.id) == []

    response = client.post("/supervision/hours/decide", {"decision": "rejected", "reason": "Wrong date",
                                                         "entry": [kept.id, withdrawn.id]})
    said = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 entry rejected; 1 skipped (Kim Trainee" in said and "Kim Trainee withdrew it" in said
    assert [(d.decision, d.reason) for d in _decisions(kept.id)] == [(Decision.REJECTED, "Wrong date")]
    assert _decisions(withdrawn.id) == []


def test_bulk_needs_a_choice_and_never_touches_someone_elses_trainee(client, team, make_user):
    stranger = make_user(Role.TRAINEE)
    theirs = _entry(stranger, 1)
    client.sign_in_as(team["you"])
    said = client.get(client.post("/supervision/hours/decide", {"entry": [theirs.id]}).headers["Location"])
    assert "Please choose whether to verify or reject" in said.get_data(as_text=True)
    said = client.get(client.post("/supervision/hours/decide", {"decision": "verified"}).headers["Location"])
    assert "Please tick the entries" in said.get_data(as_text=True)
    response = client.post("/supervision/hours/decide", {"decision": "verified", "entry": [theirs.id, "x", "-1"]})
    said = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 entries verified; 1 could not be found" in said and _decisions(theirs.id) == []


def test_the_hours_queue_is_paginated_oldest_first_and_keeps_the_other_sections(client, team):
    for number in range(52):
        db.session.add(HoursEntry(trainee_id=team["sam"].id, kind="practice", activity="individual-support",
                                  worked_on=date.today(), minutes=10, setting=f"Setting {number:02d}", remote=False,
                                  note="", submission_token=f"bulk-{number}",
                                  created_at=utcnow() - timedelta(minutes=100 - number)))
    db.session.commit()
    client.sign_in_as(team["you"])
    first = client.get("/supervision/queue").get_data(as_text=True)
    assert "52 entries are waiting" in first and "Setting 00" in first and "Setting 49" in first
    assert "Setting 50" not in first and "Page 1 of 2" in first and "Sign-off requests" in first
    second = client.get("/supervision/queue", query_string={"page": 2}).get_data(as_text=True)
    assert "Setting 50" in second and "Setting 51" in second and "Setting 00" not in second
    assert "Essay answers to mark" in second
    assert db.session.scalar(select(func.count(HoursEntry.id))) == 52
