"""The question forms GIFT brought from Moodle, as a trainee meets them in the browser: a
description in place before the questions, a choice worth part of the points, matching with
an extra choice; then the review. axe-core checks each page, at phone width too."""
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.quizzes.conftest import QUIZ_URL, content, people  # noqa: F401 (fixtures)
from tests.quizzes.test_gift_moodle import MATCHING_DISTRACTOR, SINGLE_PARTIAL, WITH_DESCRIPTION, bank  # noqa: F401

pytestmark = pytest.mark.browser


def test_description_partial_credit_and_distractor_in_the_browser(page, live_server, bank, people,  # noqa: F811
                                                                  sign_in, assert_accessible):
    bank("\n\n".join([WITH_DESCRIPTION, SINGLE_PARTIAL, MATCHING_DISTRACTOR]))
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(people["trainee"].email, PASSWORD)
    page.goto(live_server + QUIZ_URL)
    page.get_by_role("button", name="Start").first.click()

    description = page.get_by_text("The next questions are about")
    expect(description).to_be_visible()
    first = page.get_by_text("Question 1 of 4")
    assert description.bounding_box()["y"] < first.bounding_box()["y"]
    expect(page.get_by_text("Question 4 of 4")).to_be_visible()  # the description is not a question
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    page.get_by_role("group", name="Question 1 of 4").get_by_label("True").check()   # the files' order
    page.get_by_role("group", name="Question 2 of 4").get_by_label("False").check()
    page.get_by_label("Explain the gift policy straight away.").check()
    selects = page.locator("select")
    assert "The participant's family" in selects.first.inner_text()  # the extra choice is offered
    for number, answer in enumerate(["911", "988", "Your supervisor"]):
        selects.nth(number).select_option(label=answer)
    with page.expect_navigation():  # the confirmation page, or the result, before looking at it
        page.get_by_role("button", name="Submit").first.click()
    if page.get_by_role("button", name="Submit my answers").count():  # the confirmation page
        page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Your answer · Partly right: 50% of the points")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the matches' table scrolls in its box
    assert_accessible(page)
