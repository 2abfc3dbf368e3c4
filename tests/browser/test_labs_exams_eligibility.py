"""Real-browser journeys for what a certification board asks beyond lessons: a practice lab
(staff schedule it, a trainee books, the facilitator records attendance), an exam result
recorded by staff, and a candidate's eligibility (attestations and a statement of lived
experience read by the supervisor). axe-core on every page visited."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tests.certification import conftest as certification
from tests.conftest import PASSWORD
from training.extensions import db
from training.models import ExamResult, LabSession, LivedExperienceStatement, Role, utcnow
from training.staff.cohorts import assign_supervisor

pytestmark = pytest.mark.browser
track, people = certification.track, certification.people
STATEMENT = ("When I first walked into a drop-in center, a peer worker asked how my week had been and waited for "
             "the answer. That moment of being heard is what I want to offer others. My own path had setbacks, and "
             "I learned that a hard month is part of recovery, not the end of it. I keep parts of my story private, "
             "and I look after my wellness with a routine, my group and a plan my supervisor knows about.")


def nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def sign_out(page):
    with page.expect_navigation():  # signed out before the next page is asked for
        page.get_by_role("button", name="Sign out").click()


@pytest.fixture()
def trainee(make_user, people):
    person = make_user(Role.TRAINEE, email="casey@example.org", display_name="Casey", legal_name="Casey Moreno")
    assign_supervisor(person, people["supervisor"], primary=True)
    db.session.commit()
    return person


def test_staff_schedule_a_lab_a_trainee_books_and_the_facilitator_records_attendance(
        page, live_server, track, people, trainee, sign_in, assert_accessible):
    supervisor = people["supervisor"]
    sign_in(people["staff"].email, PASSWORD)
    nav(page, "Labs")
    assert_accessible(page)
    page.get_by_role("link", name="Boundaries practice lab").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Schedule a session").click()
    assert_accessible(page)
    day = (utcnow() + timedelta(days=10)).date()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("group", name="Where").get_by_label("Online").check()
    page.get_by_label("Facilitator").select_option(label=f"{supervisor.display_name} ({supervisor.email})")
    page.get_by_label("Places").fill("2")
    page.get_by_role("button", name="Schedule the session").click()
    # An online session needs its link: the form says so and keeps everything typed.
    # beside the field, and as a link in the summary at the top that takes focus
    expect(page.locator("p.error", has_text="Give the meeting link, starting with https://.")).to_be_visible()
    expect(page.locator(".error-summary a", has_text="Give the meeting link, starting with https://.")).to_be_visible()
    expect(page.get_by_label("Places")).to_have_value("2")
    assert_accessible(page)
    page.get_by_label("Meeting link (online)").fill("https://meet.example.org/boundaries")
    page.get_by_role("button", name="Schedule the session").click()
    expect(page.get_by_text("Trainees can book a place from this page now")).to_be_visible()
    expect(page.get_by_text("2 of 2 places left")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in("casey@example.org", PASSWORD)
    nav(page, "Courses")
    page.get_by_role("link", name="Core Training").click()
    page.get_by_role("link", name="Practice lab: Boundaries practice lab").click()
    expect(page.get_by_text("the link is shown once you have a place")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("Add it to your calendar with the link below")).to_be_visible()
    expect(page.get_by_role("link", name="join the meeting")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add it to your calendar (.ics file)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert_accessible(page)
    sign_out(page)

    # The session begins (moved into the past, as time would).
    db.session.execute(update(LabSession).values(starts_at=utcnow() - timedelta(minutes=100)))
    db.session.commit()
    sign_in(supervisor.email, PASSWORD)
    nav(page, "Labs")
    with page.expect_navigation():
        page.get_by_role("link", name="Boundaries practice lab,").click()
    assert_accessible(page)
    group = page.get_by_role("group", name="Attendance of Casey")
    group.get_by_label("Left early").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("For Casey, who left early, give the minutes they attended")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Attendance of Casey").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved (1 change)")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in("casey@example.org", PASSWORD)
    nav(page, "Labs")
    expect(page.get_by_text("attended", exact=False).first).to_be_visible()
    nav(page, "Courses")
    page.get_by_role("link", name="Core Training").click()
    expect(page.locator(".module-lab").get_by_text("Attended")).to_be_visible()
    assert_accessible(page)


def test_staff_record_an_exam_result_and_the_trainee_sees_the_requirement_met(
        page, live_server, track, people, trainee, sign_in, assert_accessible, tmp_path):
    sign_in(people["staff"].email, PASSWORD)
    page.goto(f"{live_server}/staff/certification/basic/trainees/{trainee.id}")
    assert_accessible(page)
    page.get_by_role("link", name="Exam results: record or correct").click()
    expect(page.get_by_text("No result is recorded yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Result").get_by_label("Passed", exact=True).check()
    page.get_by_label("Score (optional)").fill("83")
    page.get_by_role("button", name="Record the result").click()
    expect(page.get_by_text("Please enter the date")).to_be_visible()
    expect(page.get_by_label("Score (optional)")).to_have_value("83")  # nothing typed is lost
    assert_accessible(page)
    report = tmp_path / "score-report.pdf"
    report.write_bytes(b"%PDF-1.7\n%score report\n")
    page.get_by_label("Date taken").fill((utcnow() - timedelta(days=5)).date().isoformat())
    page.get_by_role("group", name="Result").get_by_label("Passed", exact=True).check()
    page.get_by_label("Evidence (optional)").set_input_files(str(report))
    page.get_by_role("button", name="Record the result").click()
    expect(page.get_by_text("The result is recorded for Casey")).to_be_visible()
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    assert_accessible(page)
    assert db.session.scalar(select(ExamResult.score)) == 83
    sign_out(page)

    sign_in("casey@example.org", PASSWORD)
    nav(page, "Certification")
    checklist = page.get_by_role("list", name="Requirements for Basic Peer Credential")
    expect(checklist.get_by_role("listitem").filter(has_text="Exam passed: Peer Recovery exam")).to_contain_text(
        "Met:")
    assert_accessible(page)


def test_a_candidate_confirms_eligibility_and_the_supervisor_accepts_the_statement(
        page, live_server, track, people, trainee, sign_in, assert_accessible):
    sign_in("casey@example.org", PASSWORD)
    nav(page, "Certification")
    board = page.locator("#track-board")
    assert_accessible(page)
    board.get_by_role("link", name="Read and confirm").first.click()
    expect(page.get_by_role("heading", name="Eligibility (education)")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Please choose the option that fits you.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Which applies to you").get_by_label("GED").check()
    page.get_by_label("I confirm the statement above is true.").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("your confirmation is recorded")).to_be_visible()

    checklist = page.get_by_role("list", name="Requirements for Board Peer Specialist")
    education = checklist.get_by_role("listitem").filter(has_text="Education")
    expect(education).to_contain_text("Upload a copy of your diploma or equivalency")  # this track needs a copy
    checklist.get_by_role("listitem").filter(has_text="Lives or works in Ohio").get_by_role("link").click()
    expect(page.get_by_text("I confirm the jurisdiction statement for Ohio.")).to_be_visible()
    page.get_by_role("group", name="Which applies to you").get_by_label("I live and work there").check()
    page.get_by_label("I confirm the statement above is true.").check()
    page.get_by_role("button", name="Confirm").click()
    with page.expect_navigation():
        page.locator("#track-board").get_by_role("link", name="Write or revise your statement").click()
    assert_accessible(page)
    page.get_by_label("Your statement", exact=True).fill("Only a few words.")
    page.get_by_role("button", name="Send to my supervisor").click()
    expect(page.get_by_text("please write at least 50")).to_be_visible()
    expect(page.get_by_label("Your statement", exact=True)).to_have_value("Only a few words.")
    assert_accessible(page)
    page.get_by_label("Your statement", exact=True).fill(STATEMENT)
    page.get_by_role("button", name="Send to my supervisor").click()
    expect(page.get_by_text("Your statement is sent to your supervisor.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(people["supervisor"].email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue (1)").click()
    page.get_by_role("link", name="Casey: statement to read").click()
    expect(page.get_by_text("That moment of being heard")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Your decision").get_by_label("Accept the statement").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Your decision is recorded")).to_be_visible()
    assert db.session.scalar(select(LivedExperienceStatement.status)) == "accepted"
    sign_out(page)

    sign_in("casey@example.org", PASSWORD)
    nav(page, "Certification")
    board = page.get_by_role("list", name="Requirements for Board Peer Specialist")
    expect(board.get_by_role("listitem").filter(has_text="Statement of lived experience")).to_contain_text("Met:")
    expect(board.get_by_role("listitem").filter(has_text="Lives or works in Ohio")).to_contain_text("Met:")
    assert_accessible(page)
