"""The module and quiz report, the certificates report and the charts: exact figures on the seeded world."""
import re
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from tests.reports.conftest import attempt, certificate, read_module
from tests.reports.test_exports import csv_rows, xlsx_rows
from training.extensions import db
from training.models import Module, Quiz
from training.reports.modules import median_of


def cells(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[1:]]


def test_module_report_figures_filters_and_exports(client, world):
    # Cy reads every boundaries lesson and passes its quiz but misses the required lab (Ana attended it).
    read_module(world.cy, "boundaries")
    quiz = db.session.scalar(select(Quiz).join(Module, Module.id == Quiz.module_id).where(Module.slug == "boundaries"))
    attempt(world.cy, quiz, 1, 100.0, True)
    db.session.commit()
    client.sign_in_as(world.staff)
    response = client.get("/staff/reports/modules?track=basic")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    boundaries, ethics = cells(page)
    # Ana completed both (lessons, quiz on her 2nd attempt, lab); Ben failed the quiz once.
    assert boundaries.startswith("Boundaries and dual relationships 1 of 3 33.3% 66.7% (2 of 3) 1.5 Questions of")
    assert ethics.startswith("Ethics 1 of 3 33.3% No attempts yet — No quiz")
    assert re.search(r"href=\"/[a-z/]*/\d+\">Questions of Boundaries", page)
    page = client.get(f"/staff/reports/modules?track=basic&cohort={world.fall.id}").get_data(as_text=True)
    assert cells(page)[0].startswith("Boundaries and dual relationships 0 of 1 0% 0% (0 of 1) —")
    page = client.get("/staff/reports/modules?track=basic&cohort=987654").get_data(as_text=True)
    assert cells(page)[0].startswith("Boundaries and dual relationships 0 of 0 0% No attempts yet")

    rows = csv_rows(client, "/staff/reports/modules?track=basic&format=csv")
    assert rows[0] == ["Module", "Trainees", "Completed", "Completion rate (%)", "Took the quiz", "Passed the quiz",
                       "Quiz pass rate (%)", "Median attempts to pass"]
    assert rows[1] == ["Boundaries and dual relationships", "3", "1", "33.3", "3", "2", "66.7", "1.5"]
    sheet = xlsx_rows(client, "/staff/reports/modules?track=basic&format=xlsx")
    assert sheet[0] == rows[0] and sheet[2][:4] == ["Ethics", 3, 1, 33.3]


def test_median_of_counts():
    assert median_of({}) is None
    assert median_of({1: 3}) == 1 and median_of({1: 1, 3: 1}) == 2 and median_of({1: 2, 2: 1, 5: 1}) == 1.5


def test_certificates_report_by_track_and_month(client, world, make_user):
    soon = date.today() + timedelta(days=30)
    certificate(world.ana, issued=datetime(2026, 3, 20, 12, tzinfo=timezone.utc), revoked=True)
    certificate(world.ben, issued=datetime(2026, 4, 2, 12, tzinfo=timezone.utc), expires=soon)
    db.session.commit()
    client.sign_in_as(world.staff)
    page = client.get("/staff/reports/certificates").get_data(as_text=True)
    rows = cells(page)
    revoked_month = date.today().strftime("%Y-%m")
    expected = {"2026-03": (2, 0, 0), "2026-04": (1, 0, 0)}
    for month, (issued, revoked, expiring) in expected.items():
        assert any(row.startswith(f"Basic Peer Credential {month} {issued}") for row in rows), rows
    assert any(row.startswith(f"Basic Peer Credential {revoked_month}") and " 1 " in f" {row} " for row in rows)
    assert any(row.startswith(f"Basic Peer Credential {soon.strftime('%Y-%m')}") and row.endswith("1")
               for row in rows)
    assert 'role="img"' in page and "<title id=\"issued-title\">Certificates issued per month</title>" in page
    page = client.get(f"/staff/reports/certificates?cohort={world.fall.id}").get_data(as_text=True)
    assert [row.split(" ")[4] for row in cells(page) if "2026-04" in row] == ["1"]
    assert "2026-03" not in page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    rows = csv_rows(client, "/staff/reports/certificates?format=csv")
    assert rows[0] == ["Track", "Month", "Issued", "Revoked", "Expiring within 90 days"]
    assert ["Basic Peer Credential", "2026-03", "2", "0", "0"] in rows
    sheet = xlsx_rows(client, "/staff/reports/certificates?format=xlsx")
    assert ["Basic Peer Credential", "2026-03", 2, 0, 0] in sheet


def test_progress_charts_show_the_funnel_and_distribution_with_tables(client, world):
    client.sign_in_as(world.staff)
    page = client.get("/staff/reports/progress?track=basic").get_data(as_text=True)
    assert page.count('role="img"') == 3  # the funnel, Fall and Spring
    funnel = page.split('id="funnel-title"', 1)[1].split("</table>", 1)[0]
    figures = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', funnel)
    assert figures == [("Enrolled", "3"), ("Completed a module", "1"), ("Completed every module", "1"),
                       ("Met every requirement", "1"), ("Holds the certificate", "1")]
    spring = page.split("Share of modules completed: Spring</title>", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', spring) == [
        ("0–19%", "1"), ("20–39%", "0"), ("40–59%", "0"), ("60–79%", "0"), ("80–100%", "1")]
    assert "<desc id=" in page and "<details>" in page


def test_many_cohorts_share_one_chart_and_a_table(client, world, monkeypatch):
    from training.reports import charts
    monkeypatch.setattr(charts, "CHARTED_COHORTS", 1)
    client.sign_in_as(world.staff)
    page = client.get("/staff/reports/progress?track=basic").get_data(as_text=True)
    assert page.count('role="img"') == 2 and "Share of modules completed: all cohorts" in page
    table = page.split("Trainees by share of modules completed, per cohort", 1)[1].split("</table>", 1)[0]
    assert re.sub(r"<[^>]+>", " ", table).split()[-12:] == ["Fall", "1", "0", "0", "0", "0",
                                                             "Spring", "1", "0", "0", "0", "1"]
