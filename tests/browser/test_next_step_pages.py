"""Real-browser checks of what issue 14 added to the trainee's and supervisor's flow, axe-core on
each new page: withdrawing hours, a locked module that says what opens it, a sign-off form that
explains its ratings, and staff confirming before a supervisor is removed."""
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db
from training.models import User, utcnow
from training.supervision.signoffs import Evidence, request_signoff

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "courses" / "fixtures" / "valid"


@pytest.fixture()
def demo(db):
    seed_demo()
    sync_library(content_library(FIXTURE))  # a small course, the rubric and a track asking for "meets"
    alex = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    request_signoff(alex, "C01.1", Evidence(date.today(), "Role-play in training", "role-play",
                                            "I welcomed Sam and explained the peer role.", ""), utcnow())
    db.session.commit()


def switch(page, sign_in, email):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in(email, DEMO_PASSWORD)


def test_withdraw_hours_locked_module_rating_levels_and_removing_a_supervisor(page, live_server, demo, sign_in,
                                                                            assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/hours/")
    practice = page.get_by_role("region", name="Log practice hours")
    practice.get_by_label("Type").select_option(label="Group facilitation")
    practice.get_by_label("Date").fill(str(date.today()))
    practice.get_by_label("Hours").fill("2")
    practice.get_by_label("Setting").fill("Tuesday recovery group")
    practice.get_by_role("button", name="Log practice hours").click()
    page.get_by_role("button", name="Withdraw the entry").click()
    expect(page.get_by_text("The entry is withdrawn")).to_be_visible()
    expect(page.get_by_role("cell", name="Withdrawn")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server + "/courses/core/ethics/scope-of-practice")
    expect(page.get_by_role("heading", name="What remains in Boundaries")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Pass the module quiz of Boundaries").click()
    expect(page.get_by_text("Each attempt has")).to_be_visible()

    switch(page, sign_in, "supervisor@example.org")
    page.goto(live_server + "/supervision/queue")
    page.get_by_role("link", name="Alex Trainee: C01.1").click()
    expect(page.get_by_text("(the level the credential needs)").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approve with a rating").check()
    page.get_by_label("Developing").check()
    page.get_by_role("button", name="Record my response").click()
    expect(page.get_by_role("alert")).to_contain_text("“Developing” is not that")
    assert_accessible(page)

    switch(page, sign_in, "staff@example.org")
    page.goto(live_server + "/staff/cohorts")
    page.get_by_role("link", name="Demo cohort").click()
    page.get_by_role("link", name="Remove Pat Supervisor as Alex Trainee’s supervisor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Pat Supervisor as Alex Trainee’s supervisor?")
    expect(page.get_by_text("Nobody else supervises Alex Trainee.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Keep Pat Supervisor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo cohort")
