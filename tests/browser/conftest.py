"""Browser fixtures: accessibility checks with axe-core on every page visited."""
import pytest
from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_axe = Axe()


@pytest.fixture()
def assert_accessible():
    """assert_accessible(page): fail on any WCAG 2 A/AA violation axe-core finds."""
    def check(page):
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        details = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> "
                            f"{[n['target'] for n in v['nodes']][:5]}" for v in violations)
        assert not violations, f"axe found WCAG violations on {page.url}:\n{details}"
    return check


@pytest.fixture()
def sign_in(page, live_server):
    """sign_in(email, password): use the real sign-in form, and return once the page it leads to
    has loaded (a click returns as soon as the request is sent, before the new page is read)."""
    def sign_in(email, password):
        page.goto(f"{live_server}/login")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    return sign_in
