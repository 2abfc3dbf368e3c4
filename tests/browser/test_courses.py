"""Real-browser journeys through the reader and the editor, on the real curriculum."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
XSS_LESSON = """---
title: Payloads
---

## Payloads

<script>alert('script')</script>
<img src=x onerror="alert('img')">
<svg onload="alert('svg')"></svg>
[click me](javascript:alert('link'))
<iframe src="javascript:alert('iframe')"></iframe>
<a href="data:text/html,<script>alert('data')</script>">data link</a>
"""


@pytest.fixture()
def curriculum(db):
    seed_demo()
    sync_library(content_library(CURRICULUM))
    db.session.commit()


def test_trainee_reads_marks_complete_and_sees_progress(page, live_server, curriculum, sign_in,
                                                        assert_accessible):
    sign_in("trainee@example.org", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Peer Support Specialist Core Training").click()
    assert_accessible(page)
    expect(page.get_by_text("This module opens when you have completed").first).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Start: ")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    first_title = page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Mark this lesson complete").click()
    expect(page.get_by_text(f"“{first_title}” is marked complete")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="← Previous").click()
    expect(page.get_by_text("You completed this lesson on")).to_be_visible()
    page.goto(live_server + "/courses/peer-support-core")
    expect(page.locator(".progress span")).to_contain_text(re.compile(r"^1 of \d+ lessons done"))


def test_staff_edit_preview_publish_and_history(page, live_server, curriculum, sign_in, assert_accessible):
    sign_in("staff@example.org", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Authoring").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="What peer support is", exact=True).click()
    assert_accessible(page)
    editor = page.get_by_label("Lesson text (Markdown with its header)")
    editor.fill(editor.input_value() + "\n\n!!! tip \"Added in the browser\"\n    A new tip.\n")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".preview .admonition.tip").last).to_contain_text("A new tip.")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published as version 2.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    page.get_by_role("button", name="Show differences").click()
    expect(page.locator(".diff-add").first).to_be_visible()
    assert_accessible(page)


def test_no_script_runs_from_lesson_content(page, live_server, curriculum, sign_in):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in("staff@example.org", DEMO_PASSWORD)
    page.goto(live_server + "/author/")
    page.get_by_role("link", name="What peer support is", exact=True).click()
    page.get_by_label("Lesson text (Markdown with its header)").fill(XSS_LESSON)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published as version")).to_be_visible()
    page.goto(live_server + "/courses/peer-support-core/orientation/what-is-peer-support")
    page.get_by_text("click me").click()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator(".lesson-body script, .lesson-body iframe, .lesson-body svg").count() == 0
