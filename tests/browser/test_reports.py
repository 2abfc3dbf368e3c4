"""Real-browser report journey: staff filter the progress report by cohort and download it as
CSV; the page is axe-core clean at 1280 px and at 320 px, without sideways scrolling (and so
are the module and certificate reports at 320 px)."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


@pytest.fixture()
def demo(db):
    sync_library(content_library(Path(__file__).resolve().parents[2] / "courses"))
    seed_demo(work_under_way=True)
    db.session.commit()


def test_staff_filter_the_progress_report_by_cohort_and_download_it(page, live_server, demo, sign_in,
                                                                     assert_accessible):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("staff@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server}/staff/reports/")
    page.get_by_role("link", name="Cohort progress").click()
    page.get_by_label("Cohort", exact=True).select_option(label="Demo cohort")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Cohort progress")).to_be_visible()
    expect(page.get_by_label("Cohort", exact=True)).to_have_value(page.url.split("cohort=", 1)[1].split("&", 1)[0])
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Name,Cohort,Primary supervisor,Modules completed")
    assert "Demo cohort" in text and "Holds the certificate" in text  # the demo graduate

    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("", "/staff/reports/modules", "/staff/reports/certificates"):
        if path:
            page.goto(f"{live_server}{path}")
        else:
            page.reload()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
