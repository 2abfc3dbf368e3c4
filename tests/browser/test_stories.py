"""Real-browser story workspace: draft privately, share, supervisor reads and gives feedback, author sees the read."""
import pytest
from playwright.sync_api import expect

from training.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture()
def demo(db):
    seed_demo()
    db.session.commit()


def test_draft_share_read_and_feedback(page, live_server, demo, sign_in, assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My story").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a draft").click()
    page.get_by_label("A name for this draft").fill("Two-minute version")
    page.get_by_label("Purpose: why would you share this part?").fill("To show that setbacks are part of it.")
    page.get_by_label("Your story, or an ask-share-ask practice").fill("When I relapsed after a year, I thought it was over.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Private: only you can see this draft.")).to_be_visible()
    page.get_by_role("button", name="Share with my supervisors").click()
    expect(page.get_by_text("Your supervisors can now read this draft")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in("supervisor@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/supervision/trainees")
    page.get_by_role("link", name="Alex Trainee").first.click()
    page.get_by_role("link", name="Two-minute version").click()
    expect(page.get_by_text("When I relapsed after a year")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your feedback").fill("Brief and hopeful. Try ending with a question back to them.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Your feedback is saved")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in("trainee@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/stories/")
    page.get_by_role("link", name="Two-minute version").click()
    expect(page.get_by_text("Try ending with a question back to them.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Pat Supervisor,").first).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Delete this draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete for good").click()
    expect(page.get_by_text("No drafts yet.")).to_be_visible()
