"""Every page each demo account reaches from the menu and from its dashboard, with a
realistic amount of data (the demo a few weeks in, and 40 entries waiting for the
supervisor), at 1280 and 320 px: axe-core clean and nothing wider than the screen."""
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo
from training.extensions import db
from training.models import Certificate, MailStatus, OutboxMessage, SupervisorAssignment, User
from training.supervision.hours import NewHours, log_hours

pytestmark = pytest.mark.browser
CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
SIZES = ({"width": 1280, "height": 900}, {"width": 320, "height": 800})
ACCOUNTS = ("trainee@example.org", "supervisor@example.org", "staff@example.org", "graduate@example.org")
# Pages a crawl must not open: they act (sign out) or are files, not pages.
SKIP = ("/logout", ".pdf", ".jwt", ".json", ".ics", "/proof", "/evidence", "/gift")


@pytest.fixture()
def busy_demo(db):
    sync_library(content_library(CURRICULUM))
    seed_demo(work_under_way=True)
    alex = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    for number in range(37):  # with the demo's own three entries, 40 wait for the supervisor
        log_hours(alex, NewHours("practice", "group-facilitation", date.today() - timedelta(days=12 + number % 30),
                                 45 + number, "Peer-run drop-in center, Tuesday group", False, f"Group {number}",
                                 f"crawl-{number}"), date.today())
    db.session.add(OutboxMessage(recipient="unreachable@example.org", subject="Your hours are verified",
                                 body="Body", status=MailStatus.FAILED, attempts=6,
                                 error="(451, b'4.3.0 Try again later, the mailbox is temporarily unavailable')"))
    db.session.commit()


def confirmation_pages() -> list[str]:
    """Staff pages reached only from another page: asking before revoking, removing or erasing, search,
    the activity on one's records and one's data (from My account), report files and a filtered audit log."""
    certificate = db.session.scalar(select(Certificate.id).order_by(Certificate.id))
    assignment = db.session.scalar(select(SupervisorAssignment.id).order_by(SupervisorAssignment.id))
    trainee = db.session.scalar(select(User.id).where(User.email == "trainee@example.org"))
    return [f"/staff/certification/certificates/{certificate}/revoke", f"/staff/assignments/{assignment}/remove",
            "/staff/search?q=trainee", "/account/activity", "/staff/reports/exports", "/staff/audit?person=trainee",
            "/account/data", f"/staff/people/{trainee}/erase"]


def links_to_visit(page, live_server) -> list[str]:
    """Same-site page links on the current page: the menu, the dashboard's next steps."""
    found = page.eval_on_selector_all("main a[href], nav a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in found:
        url = urlparse(href)
        if href.startswith(live_server) and not any(part in url.path for part in SKIP) and url.path not in paths:
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


@pytest.mark.sweep
@pytest.mark.parametrize("email", ACCOUNTS)  # one test per account, so parallel workers share the sweep
def test_every_page_a_demo_account_reaches_fits_and_passes_axe(page, live_server, busy_demo, sign_in,
                                                              assert_accessible, email):
    problems, visited = [], 0
    page.set_viewport_size(SIZES[0])
    sign_in(email, DEMO_PASSWORD)
    paths = links_to_visit(page, live_server)
    if email == "staff@example.org":
        paths += confirmation_pages()
    for size in SIZES:
        page.set_viewport_size(size)
        for path in paths:
            response = page.goto(live_server + path)
            visited += 1
            if response.status != 200:
                problems.append(f"{email} {path}: HTTP {response.status}")
                continue
            if page.evaluate("document.documentElement.scrollWidth") > size["width"]:
                problems.append(f"{email} {path}: wider than {size['width']} px")
            assert_accessible(page)
    assert visited > 10
    assert problems == []
