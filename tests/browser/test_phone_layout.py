"""Phone and desktop layouts in the real browser: the supervisor's queue of 40 entries and a
staff certificate page at 320 and 1280 px (no sideways scrolling, axe-core clean, every Verify
control on screen), the phone menu by keyboard, and focus on the error summary after a failed submit."""
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.certification import conftest as certification
from tests.conftest import PASSWORD
from training.extensions import db
from training.models import HoursEntry, Role
from training.staff.cohorts import assign_supervisor

pytestmark = pytest.mark.browser
make_certificate = certification.make_certificate
PHONE, DESKTOP = {"width": 320, "height": 640}, {"width": 1280, "height": 800}


@pytest.fixture()
def queue(make_user):
    """A supervisor with 40 entries from two trainees waiting for a decision."""
    supervisor = make_user(Role.SUPERVISOR, email="pat@example.org")
    for name in ("Alexandria Montgomery-Okafor", "Jo"):
        trainee = make_user(Role.TRAINEE, display_name=name)
        assign_supervisor(trainee, supervisor, primary=True)
        db.session.add_all(HoursEntry(
            trainee_id=trainee.id, kind="practice", activity="individual-support",
            worked_on=date.today() - timedelta(days=n), minutes=90,
            setting=f"Drop-in center, one-to-one session number {n} about goals and housing",
            note="Talked through a housing application step by step." if n % 3 == 0 else "",
            submission_token=uuid.uuid4().hex) for n in range(20))
    db.session.commit()
    return supervisor


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_the_queue_and_a_certificate_fit_a_phone_and_a_desktop(page, live_server, queue, make_user, make_certificate,
                                                               sign_in, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(queue.email, PASSWORD)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{live_server}/supervision/queue")
        expect(page.get_by_role("row")).to_have_count(41)  # the header row and 40 entries
        no_sideways_scroll(page)
        last = page.get_by_role("row").last
        expect(last.get_by_role("group", name="Decision on the entry: Jo,")).to_be_visible()
        box = last.get_by_label("Verify").bounding_box()  # not scrolled: a table too wide hides it to the right
        assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"]
        assert_accessible(page)

    # On a phone the menu is one "Menu" button beside the name, opened by keyboard.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/supervision/queue")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="My trainees")).to_be_hidden()
    menu.get_by_text("Menu", exact=True).focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="My trainees")).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Dashboard")).to_be_focused()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    expect(menu.get_by_text("Menu", exact=True)).to_be_hidden()
    with page.expect_navigation():
        menu.get_by_role("button", name="Sign out").click()

    staff = make_user(Role.STAFF)
    certificate = make_certificate()
    sign_in(staff.email, PASSWORD)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{live_server}/staff/certification/certificates/{certificate.id}")
        expect(page.get_by_role("link", name=f"/verify/{certificate.code}")).to_be_visible()
        no_sideways_scroll(page)
        assert_accessible(page)

    # After a failed submit, focus is on the summary of what to fix, and its link leads to the field.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/staff/cohorts")
    page.get_by_role("button", name="Create cohort").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Cohort name: Please give the cohort a name.").click()
    expect(page.get_by_label("Cohort name")).to_be_focused()
    assert_accessible(page)
