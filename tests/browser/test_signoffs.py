"""Real-browser sign-off loop: request, return, revise, approve; and an observation. axe-core on every page."""
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture()
def demo(db):
    seed_demo()
    sync_library(content_library(CURRICULUM))
    db.session.commit()


def switch(page, sign_in, email):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in(email, DEMO_PASSWORD)


def test_signoff_loop_in_the_browser(page, live_server, demo, sign_in, assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Competencies").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for a sign-off of C01.1").click()
    page.get_by_label("When it happened").fill(str(date.today()))
    page.get_by_label("Setting").fill("One-to-one at the drop-in centre")
    page.get_by_label("Role-play").check()
    page.get_by_label("What happened").fill("I greeted Sam by name and asked what would help today.")
    assert_accessible(page)
    page.get_by_role("button", name="Send to my supervisor").click()
    expect(page.get_by_text("Waiting for your supervisor")).to_be_visible()
    assert_accessible(page)

    switch(page, sign_in, "supervisor@example.org")
    page.get_by_role("link", name="Review queue (1)").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Alex Trainee: C01.1").click()
    assert_accessible(page)
    page.get_by_label("Return for more evidence").check()
    page.get_by_label("Comment for the trainee").fill("Please add how the conversation ended.")
    page.get_by_role("button", name="Record my response").click()
    expect(page.get_by_text("Your response to Alex Trainee is recorded")).to_be_visible()

    switch(page, sign_in, "trainee@example.org")
    page.goto(live_server + "/competencies/")
    page.get_by_role("link", name="Your request: Returned: please add to it").click()
    expect(page.get_by_text("Please add how the conversation ended.")).to_be_visible()
    page.get_by_label("When it happened").fill(str(date.today()))
    page.get_by_label("Setting").fill("One-to-one at the drop-in centre")
    page.get_by_label("Role-play").check()
    page.get_by_label("What happened").fill("I greeted Sam, listened, and we agreed a next step together.")
    page.get_by_role("button", name="Send the revised evidence").click()
    expect(page.get_by_role("heading", name="Evidence 2", exact=False)).to_be_visible()
    assert_accessible(page)

    switch(page, sign_in, "supervisor@example.org")
    page.get_by_role("link", name="Review queue (1)").click()
    page.get_by_role("link", name="Alex Trainee: C01.1").click()
    page.get_by_label("Approve with a rating").check()
    page.get_by_label("Meets expectations").check()
    page.get_by_role("button", name="Record my response").click()
    expect(page.get_by_text("No sign-off requests are waiting.")).to_be_visible()
    page.goto(live_server + "/supervision/trainees")
    page.get_by_role("link", name="Alex Trainee").first.click()
    expect(page.get_by_text("1 met.")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record an observation").click()
    assert_accessible(page)
