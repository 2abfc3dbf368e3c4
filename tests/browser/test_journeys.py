"""Real-browser journeys: each role signs in, reaches the dashboard and its pages, all
without a single WCAG A/AA violation."""
import re

import pytest
from playwright.sync_api import expect

from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db

pytestmark = pytest.mark.browser

PAGES_BY_ROLE = {
    "staff@example.org": ["Dashboard", "People", "Cohorts", "Outbox", "My account"],
    "supervisor@example.org": ["Dashboard", "My trainees", "My account"],
    "trainee@example.org": ["Dashboard", "My account"],
}


@pytest.fixture()
def demo(db):
    seed_demo()
    db.session.commit()


def test_public_pages_are_accessible(page, live_server, db, assert_accessible):
    for path in ("/", "/login", "/password/forgot", "/invite/expired-link", "/no-such-page"):
        page.goto(live_server + path)
        assert_accessible(page)


@pytest.mark.parametrize("email", PAGES_BY_ROLE)
def test_each_role_signs_in_and_visits_its_pages(page, live_server, demo, sign_in, assert_accessible, email):
    sign_in(email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello,")
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Main")
    for label in PAGES_BY_ROLE[email][1:]:
        nav.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_wrong_password_message_is_announced_and_accessible(page, live_server, demo, sign_in,
                                                            assert_accessible):
    sign_in("trainee@example.org", "not my password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("do not match an account")
    assert_accessible(page)


def test_keyboard_only_sign_in(page, live_server, demo):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type("staff@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_staff_invite_and_cohort_pages_with_errors_are_accessible(page, live_server, demo, sign_in,
                                                                  assert_accessible):
    sign_in("staff@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/staff/people/invite")
    page.get_by_label("Email address").fill("trainee@example.org")
    page.get_by_label("Name to show on the platform").fill("Duplicate")
    page.get_by_role("button", name="Send invitation").click()
    # beside the field, and as a link in the summary at the top that takes focus
    expect(page.locator("p.error", has_text="An account with this email address already exists.")).to_be_visible()
    expect(page.locator(".error-summary a", has_text="An account with this email address already exists.")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server + "/staff/cohorts")
    page.get_by_role("link", name="Demo cohort").click()
    expect(page.get_by_role("heading", name="Demo cohort")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Alex Trainee").click()
    assert_accessible(page)


def test_phone_width_has_no_horizontal_scroll(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    for path in ("/dashboard", "/staff/people", "/staff/cohorts"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px phone"
    context.close()


def test_the_accessibility_check_really_catches_violations(page, assert_accessible):
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
