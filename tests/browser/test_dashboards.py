"""Each role's first screen, as the demo accounts see it, on a desktop and on a small phone,
with a realistic amount of waiting work: axe-core clean, nothing wider than the screen, and
the next step named."""
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db
from training.models import User
from training.supervision.hours import NewHours, log_hours

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 320, "height": 800}}
FIRST_SCREEN = {
    "trainee@example.org": "Go to the quiz",
    "supervisor@example.org": "See all 40 in your review queue",
    "staff@example.org": "1 person invited",
}


@pytest.fixture()
def demo(db):
    sync_library(content_library(CURRICULUM))
    seed_demo(work_under_way=True)
    alex = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    for number in range(35):  # with the demo's own items, 40 wait for the supervisor
        log_hours(alex, NewHours("practice", "individual-support", date.today() - timedelta(days=10 + number % 25),
                                 30 + number, "Community recovery center", False, f"Session {number}",
                                 f"browser-{number}"), date.today())
    db.session.commit()


@pytest.mark.parametrize("size", SIZES)
def test_each_role_is_told_what_to_do_next(page, live_server, demo, sign_in, assert_accessible, size):
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    shots = os.environ.get("SCREENSHOT_DIR")
    for email, next_step in FIRST_SCREEN.items():
        page.context.clear_cookies()
        sign_in(email, DEMO_PASSWORD)
        assert page.url.endswith("/dashboard"), email
        assert page.get_by_text(next_step).count() >= 1, email
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (email, size)
        assert_accessible(page)
        if shots:
            page.screenshot(path=str(Path(shots) / f"dashboard-{email.split('@')[0]}-{size}.png"), full_page=True)
