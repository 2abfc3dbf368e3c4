"""Scheduling a session: the wall-clock time in its time zone is stored as the UTC instant, and
each bad field is refused with a message for that field, by the rule and through the page."""
import dataclasses
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.labs.booking import LabRefused, NewSession, local_time, schedule_session
from training.models import LabMode, LabSession, Role, utcnow

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)  # the rule takes `now`, so these dates never age


@pytest.fixture()
def new_session(lab, facilitator):
    """new_session(**changes): a valid in-person session on 15 January 2027, 18:30 in Chicago."""
    valid = NewSession(lab=lab, starts_local=datetime(2027, 1, 15, 18, 30), time_zone="America/Chicago", minutes=90,
                       mode=LabMode.IN_PERSON, location="Recovery center, Room 2", link="", facilitator=facilitator,
                       capacity=12)
    return lambda **changes: dataclasses.replace(valid, **changes)


def sessions_stored() -> int:
    return db.session.scalar(select(func.count(LabSession.id)))


@pytest.mark.parametrize("local, expected", [
    (datetime(2027, 1, 15, 18, 30), datetime(2027, 1, 16, 0, 30, tzinfo=timezone.utc)),  # CST, UTC-6
    (datetime(2027, 7, 15, 18, 30), datetime(2027, 7, 15, 23, 30, tzinfo=timezone.utc)),  # CDT, UTC-5
])
def test_a_session_is_stored_at_its_utc_instant(new_session, staff, local, expected):
    session = schedule_session(new_session(starts_local=local), by=staff, now=NOW)
    db.session.commit()
    db.session.expire_all()
    assert session.starts_at == expected and session.starts_at.utcoffset() == timedelta(0)
    assert session.time_zone == "America/Chicago"
    assert local_time(session).replace(tzinfo=None) == local
    assert (session.booked, session.capacity, session.created_by_id) == (0, 12, staff.id)


def test_an_online_session_keeps_the_link_and_no_place(new_session, staff):
    session = schedule_session(new_session(mode=LabMode.ONLINE, link=" https://meet.example/lab ", location="Room 2"),
                               by=staff, now=NOW)
    assert (session.link, session.location) == ("https://meet.example/lab", "")


@pytest.mark.parametrize("changes, field, message", [
    (dict(starts_local=datetime(2026, 5, 31, 18, 30)), "starts_at", "in the past"),
    (dict(starts_local=datetime(2027, 3, 14, 2, 30), time_zone="America/New_York"), "starts_at", "does not exist"),
    (dict(starts_local=datetime(2027, 11, 7, 1, 30), time_zone="America/New_York"), "starts_at", "happens twice"),
    (dict(time_zone="Mars/Olympus_Mons"), "time_zone", "not a time zone"),
    (dict(mode=LabMode.ONLINE, link=""), "link", "https://"),
    (dict(mode=LabMode.ONLINE, link="http://meet.example/lab"), "link", "https://"),
    (dict(mode=LabMode.IN_PERSON, location="   "), "location", "Say where"),
    (dict(mode="on the moon"), "mode", "in person or online"),
    (dict(capacity=0), "capacity", "from 1 to 200"),
    (dict(capacity=201), "capacity", "from 1 to 200"),
    (dict(minutes=0), "minutes", "from 1 to 480"),
    (dict(facilitator=None), "facilitator", "staff member or supervisor"),
], ids=["past", "spring-forward-gap", "fall-back-twice", "unknown-zone", "online-no-link", "online-http-link",
        "in-person-no-place", "unknown-mode", "capacity-0", "capacity-201", "minutes-0", "no-facilitator"])
def test_a_bad_field_is_refused_by_name(new_session, staff, changes, field, message):
    with pytest.raises(LabRefused, match=re.escape(message)) as refused:
        schedule_session(new_session(**changes), by=staff, now=NOW)
    assert refused.value.field == field
    assert sessions_stored() == 0


def test_the_times_around_the_clock_changes_are_accepted(new_session, staff):
    before_gap = schedule_session(new_session(starts_local=datetime(2027, 3, 14, 1, 30), time_zone="America/New_York"),
                                  by=staff, now=NOW)
    after_overlap = schedule_session(new_session(starts_local=datetime(2027, 11, 7, 2, 30),
                                                 time_zone="America/New_York"), by=staff, now=NOW)
    assert before_gap.starts_at == datetime(2027, 3, 14, 6, 30, tzinfo=timezone.utc)  # still EST
    assert after_overlap.starts_at == datetime(2027, 11, 7, 7, 30, tzinfo=timezone.utc)  # EST again


def test_a_trainee_cannot_facilitate(new_session, staff, make_user):
    with pytest.raises(LabRefused, match="staff member or supervisor") as refused:
        schedule_session(new_session(facilitator=make_user(Role.TRAINEE)), by=staff, now=NOW)
    assert refused.value.field == "facilitator"
    assert sessions_stored() == 0


def test_a_facilitator_whose_account_is_closed_is_refused(new_session, staff, facilitator):
    facilitator.is_active_account = False
    with pytest.raises(LabRefused) as refused:
        schedule_session(new_session(), by=staff, now=NOW)
    assert refused.value.field == "facilitator"


# --- through the page ------------------------------------------------------------------

def has_tag(page: str, tag: str, *attributes: str) -> bool:
    """Whether `page` has a <tag> carrying every one of `attributes` (like 'selected' or 'value="x"'), in any order."""
    lookaheads = "".join(rf"(?=[^>]*\s{re.escape(attribute)}[\s>/])" for attribute in attributes)
    return re.search(rf"<{tag}\b{lookaheads}", page) is not None


def schedule_form(facilitator, **changes) -> dict:
    day = (utcnow() + timedelta(days=30)).date()
    return {"day": day.isoformat(), "start": "18:30", "time_zone": "America/Denver", "minutes": "75", "mode": "online",
            "location": "Room 9", "link": "https://meet.example/lab", "facilitator": str(facilitator.id),
            "capacity": "14", **changes}


def test_staff_schedule_a_session_from_the_page(client, login_as, lab, facilitator):
    login_as(Role.STAFF)
    form = schedule_form(facilitator)
    response = client.post(f"/labs/{lab.id}/schedule", form)
    assert response.status_code == 302 and response.headers["Location"] == f"/labs/{lab.id}"
    session = db.session.scalar(select(LabSession))
    in_denver = datetime.combine(date.fromisoformat(form["day"]), time(18, 30), tzinfo=ZoneInfo("America/Denver"))
    assert session.starts_at == in_denver.astimezone(timezone.utc)
    assert session.time_zone == "America/Denver"
    assert (session.minutes, session.mode, session.link, session.location, session.capacity) == (
        75, "online", "https://meet.example/lab", "", 14)
    assert "is scheduled" in client.get(f"/labs/{lab.id}").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    (dict(link="meet.example/lab"), "link", "starting with https://"),
    (dict(capacity="0"), "capacity", "from 1 to 200 places"),
    (dict(capacity="201"), "capacity", "from 1 to 200 places"),
    (dict(day="2027-03-14", start="02:30", time_zone="America/New_York"), "day", "does not exist in America/New_York"),
    (dict(day="2027-11-07", start="01:30", time_zone="America/New_York"), "day", "happens twice in America/New_York"),
    (dict(mode="in-person", location=""), "location", "Say where the session is"),
], ids=["link", "capacity-0", "capacity-201", "gap", "twice", "no-place"])
def test_a_refused_form_is_shown_again_with_every_value_typed(client, login_as, lab, facilitator, changes, field,
                                                              message):
    login_as(Role.STAFF)
    form = schedule_form(facilitator, **changes)
    response = client.post(f"/labs/{lab.id}/schedule", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert has_tag(page, "input", f'name="{field}"', 'aria-invalid="true"')
    for name in ("day", "start", "minutes", "location", "link", "capacity"):
        assert has_tag(page, "input", f'name="{name}"', f'value="{form[name]}"'), name
    assert has_tag(page, "option", "selected", f'value="{form["time_zone"]}"')
    assert has_tag(page, "option", "selected", f'value="{facilitator.id}"')
    assert has_tag(page, "input", "checked", 'name="mode"', f'value="{form["mode"]}"')
    assert sessions_stored() == 0
