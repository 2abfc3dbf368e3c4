"""Real-browser loop of the hours log: the trainee logs, the supervisor verifies; axe-core on every page."""
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
    sync_library(content_library(CURRICULUM))  # the track's hour requirements
    db.session.commit()


def test_trainee_logs_hours_and_supervisor_verifies_them(page, live_server, demo, sign_in, assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My hours").click()
    expect(page.get_by_text("Practice hours in total: 0 of 500 verified hours")).to_be_visible()
    assert_accessible(page)
    practice = page.get_by_role("region", name="Log practice hours")
    practice.get_by_label("Type").select_option(label="Group facilitation")
    practice.get_by_label("Date").fill(str(date.today()))
    practice.get_by_label("Hours").fill("2")
    practice.get_by_label("Setting").fill("Tuesday recovery group")
    practice.get_by_role("button", name="Log practice hours").click()
    expect(page.get_by_text("Your hours are logged")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for your supervisor")).to_be_visible()
    practice = page.get_by_role("region", name="Log practice hours")
    practice.get_by_label("Hours").fill("0")
    practice.get_by_role("button", name="Log practice hours").click()
    # beside the field, and as a link in the summary at the top that takes focus
    expect(page.locator("p.error", has_text="Please enter more than 0 and at most 24 hours.")).to_be_visible()
    expect(page.locator(".error-summary a", has_text="Please enter more than 0 and at most 24 hours.")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in("supervisor@example.org", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue (1)").click()
    assert_accessible(page)
    page.get_by_label("Verify").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("is verified")).to_be_visible()
    expect(page.get_by_text("No hours are waiting.")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/hours/")
    expect(page.get_by_text("Group facilitation: 2 of 100 verified hours")).to_be_visible()
    assert_accessible(page)
