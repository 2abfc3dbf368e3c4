"""Real-browser search and bulk work: staff search from the dashboard; a CSV invitation with a bad row shows the preview with its reason
(axe-core clean) and the corrected file sends; a supervisor verifies two entries at once on a phone."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db
from training.models import User
from training.supervision.hours import NewHours, log_hours

pytestmark = pytest.mark.browser


@pytest.fixture()
def demo(db):
    seed_demo()
    db.session.commit()


def test_staff_invite_from_a_csv_file_with_a_bad_row(page, live_server, demo, sign_in, assert_accessible, tmp_path):
    bad, good = tmp_path / "people.csv", tmp_path / "people-fixed.csv"
    bad.write_text("email,name,role,cohort,supervisor\n"
                   "casey@example.org,Casey New,trainee,Demo cohort,supervisor@example.org\n"
                   "drew@example.org,Drew New,wizard,,\n")
    good.write_text("email,name,role,cohort,supervisor\n"
                    "casey@example.org,Casey New,trainee,Demo cohort,supervisor@example.org\n"
                    "drew@example.org,Drew New,supervisor,,\n")
    sign_in("staff@example.org", DEMO_PASSWORD)
    assert_accessible(page)
    page.get_by_label("Search people, certificates and mail").fill("alex")  # on the dashboard
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Alex Trainee")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/staff/people")
    with page.expect_navigation():
        page.get_by_role("link", name="Invite many from a CSV file").click()
    assert_accessible(page)
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the invitations")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was sent: 1 row needs a change")
    expect(page.get_by_role("alert")).to_contain_text("“wizard” is not a role")
    expect(page.get_by_role("button", name="Send 2 invitations")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Send 2 invitations").click()
    expect(page.get_by_text("2 invitations sent")).to_be_visible()
    expect(page.get_by_role("link", name="Casey New")).to_be_visible()
    assert_accessible(page)


def test_supervisor_verifies_two_entries_at_once_on_a_phone(page, live_server, demo, sign_in, assert_accessible):
    alex = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    for days_ago in (3, 2, 1):
        log_hours(alex, NewHours("practice", "individual-support", date.today() - timedelta(days=days_ago), 60,
                                 f"Drop-in centre {days_ago}", False, "", f"bulk-{days_ago}"), date.today())
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in("supervisor@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server}/supervision/queue")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    boxes = page.get_by_role("checkbox", name="Select the entry")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Verify the selected entries").click()
    expect(page.get_by_text("2 entries verified.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select the entry")).to_have_count(1)
    assert_accessible(page)
