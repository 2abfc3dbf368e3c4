"""Every report downloads as CSV and XLSX, with the page's columns and filters, and no cell can run as a formula."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import isolated
from training.extensions import db
from training.models import Notification, NotificationKind, Role
from training.reports.exports import safe_cell


def download(client, url):
    """GET `url` and read the whole body in the request's own context (a streamed body is
    written while it is read, as a server does)."""
    def fetch():
        response = client.http.get(url)
        streamed = response.is_streamed  # before reading: reading buffers the body
        return response, streamed, response.get_data()
    return isolated(fetch)


def csv_rows(client, url) -> list[list[str]]:
    response, streamed, data = download(client, url)
    assert response.status_code == 200 and response.mimetype == "text/csv" and streamed
    assert "attachment;" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def xlsx_rows(client, url) -> list[list]:
    response, _streamed, data = download(client, url)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def test_formula_guard():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+1") == "'+1" and safe_cell("-2") == "'-2"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("\t=1") == "'\t=1"
    assert safe_cell("Ana") == "Ana" and safe_cell(-2) == -2 and safe_cell(None) == ""


def test_progress_csv_and_xlsx_have_the_same_columns_and_filters(client, world):
    client.sign_in_as(world.staff)
    rows = csv_rows(client, f"/staff/reports/progress?track=basic&cohort={world.spring.id}&format=csv")
    header = rows[0]
    assert header[:6] == ["Name", "Cohort", "Primary supervisor", "Modules completed", "Modules in the track",
                          "Average best quiz score (%)"]
    assert header[-8:] == ["Practice hours verified", "Practice hours pending", "Supervision hours verified",
                           "Supervision hours pending", "Competencies met", "Competencies required",
                           "Last activity (UTC)", "Certification status"]
    ana = dict(zip(header, rows[1]))
    assert len(rows) == 3 and ana["Name"] == "Ana Able" and ana["Cohort"] == "Spring"
    assert (ana["Modules completed"], ana["Average best quiz score (%)"], ana["Training hours: Ethical responsibility"],
            ana["Practice hours verified"], ana["Practice hours pending"], ana["Supervision hours verified"],
            ana["Competencies met"], ana["Certification status"]) == ("2", "90.0", "1.75", "2.0", "1.0", "1.5", "1",
                                                                      "In progress")
    assert rows[2][0] == "Cy Certified" and rows[2][-1] == "Holds the certificate"

    sheet = xlsx_rows(client, f"/staff/reports/progress?track=basic&cohort={world.spring.id}&format=xlsx")
    assert sheet[0] == header and len(sheet) == 3
    assert sheet[1][0] == "Ana Able" and sheet[1][3] == 2 and sheet[1][5] == 90.0


def test_exports_guard_against_formulas(client, world):
    client.sign_in_as(world.staff)
    rows = csv_rows(client, f"/staff/reports/progress?track=basic&cohort={world.fall.id}&format=csv")
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    sheet = xlsx_rows(client, f"/staff/reports/progress?track=basic&cohort={world.fall.id}&format=xlsx")
    assert sheet[1][0] == "'=HYPERLINK(\"http://x\")"


def test_unknown_cohort_exports_only_the_header(client, world):
    client.sign_in_as(world.staff)
    rows = csv_rows(client, "/staff/reports/progress?track=basic&cohort=987654&format=csv")
    assert len(rows) == 1 and rows[0][0] == "Name"


def test_only_staff_download_reports(client, world):
    for who, expected in ((world.ana, 403), (world.supervisor, 403)):
        client.sign_in_as(who)
        for report in ("progress", "modules", "certificates"):
            assert client.get(f"/staff/reports/{report}?format=csv").status_code == expected
            assert client.get(f"/staff/reports/{report}?format=xlsx").status_code == expected


def test_a_large_export_is_built_by_a_job_and_kept_for_its_requester(client, world, monkeypatch, make_user):
    """More than IN_REQUEST trainees: the file is prepared in the background and listed under
    Report files; only the person who asked can download it, with the same rows as the page's."""
    from training.reports import jobs as report_jobs
    client.sign_in_as(world.staff)
    direct = csv_rows(client, "/staff/reports/progress?track=basic&format=csv")
    monkeypatch.setattr(report_jobs, "IN_REQUEST", 1)
    response = client.get("/staff/reports/progress?track=basic&format=csv", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The file of 3 trainees is being prepared" in page and "Download progress-" in page
    link = page.split('href="/staff/reports/exports/', 1)[1].split('"', 1)[0]
    _response, _streamed, data = download(client, f"/staff/reports/exports/{link}")
    assert list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff")))) == direct
    told = db.session.scalar(select(Notification).where(Notification.user_id == world.staff.id,
                                                        Notification.kind == NotificationKind.REPORT_READY))
    assert told is not None and "is ready. It is kept for 7 days" in told.text  # no need to keep reloading
    assert client.get(f"/notifications/{told.id}").location.endswith("/staff/reports/exports")
    xlsx = client.get("/staff/reports/progress?track=basic&format=xlsx", follow_redirects=True)
    assert "(XLSX)" in xlsx.get_data(as_text=True)
    client.sign_in_as(make_user(Role.STAFF))
    assert client.get(f"/staff/reports/exports/{link}").status_code == 404  # someone else's file
    assert "You have not asked for a large export yet" in client.get("/staff/reports/exports").get_data(as_text=True)


def test_an_export_that_fails_says_so_instead_of_waiting_for_ever(client, world, monkeypatch):
    from training.reports import jobs as report_jobs

    def broken(*_args):
        raise RuntimeError("the disk is full")
    client.sign_in_as(world.staff)
    monkeypatch.setattr(report_jobs, "IN_REQUEST", 1)
    monkeypatch.setattr(report_jobs, "_file", broken)
    page = client.get("/staff/reports/progress?track=basic&format=csv", follow_redirects=True).get_data(as_text=True)
    assert "Could not be prepared. Please ask for it again from the report." in page
