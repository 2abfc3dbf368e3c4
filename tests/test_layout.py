"""Layout and accessibility that a test client can see: the focus outline's contrast, nothing
that widens a phone's page, the phone menu, headings without buttons, and the review queue's cards."""
import re
import uuid
from datetime import date
from pathlib import Path

from tests.conftest import content_library
from training.config import PROJECT_ROOT
from training.courses.operations import sync_library
from training.extensions import db
from training.models import HoursEntry, Role
from training.staff.cohorts import assign_supervisor

CSS = (PROJECT_ROOT / "static" / "css" / "site.css").read_text()
FIXTURE = Path(__file__).parent / "courses" / "fixtures" / "valid"


def css_rule(selector: str) -> str:
    """The declarations of the first rule whose selector list is exactly `selector`."""
    match = re.search(r"(?:^|[}\n])\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no rule for {selector}"
    return match.group(1)


def colour(value: str) -> str:
    """A colour written as #hex or var(--name), as a #hex."""
    name = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
    if not name:
        return value.strip()
    return re.search(re.escape(name.group(1)) + r":\s*(#[0-9a-fA-F]{6})", css_rule(":root")).group(1)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_outline_stands_out_three_to_one_on_the_page_and_on_the_header():
    focus = colour("var(--focus)")
    header = colour(re.search(r"background:\s*([^;]+);", css_rule(".site-header")).group(1))
    assert header == "#14466a"
    for background in ("#ffffff", header, colour("var(--soft)"), colour("var(--bg)")):
        assert contrast(focus, background) >= 3, (focus, background)
    assert "outline: 3px solid var(--focus)" in css_rule(":focus-visible")
    # Chromium's calendar button inside a date field matches no :focus-visible: the field keeps the outline.
    assert "outline: 3px solid var(--focus)" in css_rule("input[type=date]:focus, input[type=date]:focus-within")


def test_nothing_widens_the_page_on_a_phone():
    # Visually hidden text in a scrolled table is positioned against the scroller, not the page.
    assert "position: relative" in css_rule(".table-scroll")
    # A long address (the verification link) in a facts list wraps instead of widening the grid.
    assert "minmax(0, 1fr)" in css_rule(".facts") and "overflow-wrap: anywhere" in css_rule(".facts dd")


def test_the_menu_is_a_disclosure_that_works_without_javascript(client, login_as):
    login_as(Role.STAFF)
    page = client.get("/dashboard").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Main"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.match(r'\s*(\{#.*?#\}\s*)?<details class="nav-menu">\s*<summary>Menu</summary>\s*<ul class="nav-list">',
                    nav, re.S)
    assert "Sign out" in nav and "<script" not in page
    # Wider screens show the list whether or not the details are open, and hide "Menu".
    assert re.search(r"@media \(min-width: 40\.0625em\) \{\s*\.nav-menu > summary \{ display: none; \}\s*"
                     r"\.nav-menu::details-content \{ content-visibility: visible; \}", CSS)


def test_move_buttons_sit_beside_module_headings_not_inside_them(client, login_as):
    sync_library(content_library(FIXTURE))
    db.session.commit()
    login_as(Role.STAFF)
    page = client.get("/author/").get_data(as_text=True)
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", page, re.S)
    assert headings and all("<form" not in h and "<button" not in h for h in headings)
    assert re.search(r'<div class="author-module-head">\s*<h3 id="module-\d+">[^<]+</h3>\s*<span class="move">', page)


def test_the_review_queue_becomes_cards_on_a_phone_and_each_control_names_its_entry(client, make_user):
    trainee, supervisor = make_user(Role.TRAINEE, display_name="Ana Diaz"), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    entry = HoursEntry(trainee_id=trainee.id, kind="practice", activity="individual-support",
                       worked_on=date(2026, 3, 2), minutes=90, setting="Drop-in", submission_token=uuid.uuid4().hex)
    db.session.add(entry)
    db.session.commit()
    client.sign_in_as(supervisor)
    page = client.get("/supervision/queue").get_data(as_text=True)
    row = re.search(r'<tr id="entry-\d+">(.*?)</tr>', page, re.S).group(1)
    assert '<table class="table-cards">' in page
    assert re.findall(r'data-label="([^"]+)"', row) == ["Trainee", "Date", "Type", "Hours", "Setting"]
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", row, re.S).group(1)
    button = re.search(r"<button[^>]*>(.*?)</button>", row, re.S).group(1)
    for label in (legend, button):
        assert "Ana Diaz" in label and "2026" in label and "1.5 h" in label
    assert "@media (max-width: 40em)" in CSS and ".table-cards td[data-label]::before" in CSS
