"""Real-browser certification journeys: signing the code of ethics, issuing, downloads, public
verification, revocation, and continuing education by keyboard; axe-core on every page."""
import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from tests.certification import conftest as certification
from tests.conftest import PASSWORD
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.extensions import db
from training.models import Attestation, utcnow

pytestmark = pytest.mark.browser
LEGAL_NAME = "Dana Q. Holder"
# The certification tests' fixtures: the synced track "basic", its staff and supervisor, and eligible trainees.
track, people, eligible = certification.track, certification.people, certification.eligible


def nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def sign_out(page):
    with page.expect_navigation():  # signed out before the next page is asked for
        page.get_by_role("button", name="Sign out").click()


@pytest.fixture()
def holder(track, people, eligible):
    """A trainee who holds a certificate of the track, issued by staff."""
    person = eligible(LEGAL_NAME, email="dana@example.org", display_name="Dana")
    certificate, _ = issue(person, track, standing_for(track, person.id).eligibility, by=people["staff"],
                           now=utcnow())
    db.session.commit()
    return person, certificate


def test_trainee_signs_the_code_and_receives_a_verifiable_certificate(
        page, browser, live_server, people, eligible, sign_in, assert_accessible):
    trainee = eligible(LEGAL_NAME, email="dana@example.org", display_name="Dana")
    db.session.execute(delete(Attestation).where(Attestation.user_id == trainee.id))
    db.session.commit()

    sign_in("dana@example.org", PASSWORD)
    nav(page, "Certification")
    expect(page.get_by_text("9 of 10 requirements met")).to_be_visible()
    checklist = page.get_by_role("list", name="Requirements for Basic Peer Credential")
    expect(checklist.get_by_role("listitem").filter(has_text="Still to do:")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="Read and sign the code of ethics").click()
    expect(page.get_by_role("heading", name="Sign version")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your full legal name").fill(LEGAL_NAME)
    page.get_by_role("button", name="Sign the code of ethics").click()
    confirm = page.get_by_label("I have read this code of ethics and I agree to practice by it.")
    # beside the field, and as a link in the summary at the top that takes focus
    expect(page.locator("p.error", has_text="Please tick the box to confirm you have read and agree to the code.")).to_be_visible()
    expect(page.locator(".error-summary a", has_text="Please tick the box to confirm you have read and agree to the code.")).to_be_visible()
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your full legal name")).to_have_value(LEGAL_NAME)  # nothing lost
    assert_accessible(page)
    confirm.check()
    page.get_by_role("button", name="Sign the code of ethics").click()
    expect(page.get_by_text("Thank you. You signed version")).to_be_visible()
    expect(page.get_by_text("10 of 10 requirements met: every requirement is met.")).to_be_visible()
    expect(page.get_by_text("You have met every requirement.")).to_be_visible()
    assert_accessible(page)

    sign_out(page)
    sign_in(people["staff"].email, PASSWORD)
    nav(page, "Certificates")
    ready = page.get_by_role("group", name="Ready to issue (1)")
    expect(ready.get_by_label("Dana")).to_be_checked()
    assert_accessible(page)
    ready.get_by_role("button", name="Issue certificates to the people ticked").click()
    number = f"BPC-{date.today().year}-000001"
    expect(page.get_by_text(f"Issued 1: {number}.")).to_be_visible()
    basic = page.get_by_role("region", name="Basic Peer Credential")
    expect(basic.get_by_text("Nobody is waiting for a certificate.")).to_be_visible()
    assert_accessible(page)

    sign_out(page)
    sign_in("dana@example.org", PASSWORD)
    nav(page, "My certificates")
    card = page.get_by_role("article", name=number)
    expect(card.get_by_text(LEGAL_NAME)).to_be_visible()
    expect(card.get_by_role("heading", name=f"{number} Valid")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as pdf:
        card.get_by_role("link", name=f"Download the PDF of {number}").click()
    assert pdf.value.suggested_filename == f"{number}.pdf"
    with open(pdf.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
    with page.expect_download() as credential:
        card.get_by_role("link", name=f"Download the digital credential of {number}").click()
    with open(credential.value.path(), encoding="ascii") as file:
        assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", file.read().strip())
    link_field = card.get_by_label("Verification link, for an employer or a board")
    expect(link_field).to_have_attribute("readonly", "")
    link = link_field.input_value()
    assert link.startswith(f"{live_server}/verify/")

    context = browser.new_context()  # a stranger: no cookies, no sign-in
    try:
        stranger = context.new_page()
        stranger.goto(link)
        expect(stranger.get_by_role("status")).to_contain_text("This certificate is valid.")
        expect(stranger.get_by_role("definition").filter(has_text=LEGAL_NAME)).to_be_visible()
        expect(stranger.get_by_role("button", name="Sign out")).to_have_count(0)
        assert_accessible(stranger)
    finally:
        context.close()


def test_staff_revokes_after_confirming_and_verification_says_so(
        page, browser, holder, people, sign_in, assert_accessible):
    _, certificate = holder
    sign_in(people["staff"].email, PASSWORD)
    nav(page, "Certificates")
    with page.expect_navigation():
        page.get_by_role("link", name="All certificates").click()
    assert_accessible(page)
    page.get_by_role("link", name=certificate.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Certificate {certificate.number}")
    expect(page.get_by_role("region", name="Reissue").get_by_role("button", name="Reissue the certificate")
           ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("region", name="Revoke").get_by_role("link", name="Revoke this certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke certificate {certificate.number}?")
    expect(page.get_by_text("It cannot be undone.")).to_be_visible()
    assert_accessible(page)
    revoke_button = page.get_by_role("button", name=f"Revoke certificate {certificate.number}")
    revoke_button.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please give the reason for revoking.")
    expect(summary).to_contain_text("Please tick the box to confirm that you want to revoke this certificate.")
    expect(page.get_by_label("Reason for revoking")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Reason for revoking").fill("Issued in error: the supervision hours were logged twice.")
    page.get_by_label("I understand that revoking takes effect at once and cannot be undone.").check()
    revoke_button.click()
    expect(page.get_by_text(f"Certificate {certificate.number} is revoked.")).to_be_visible()
    expect(page.get_by_role("region", name="Revoke")).to_have_count(0)
    next_steps = page.get_by_role("region", name="What to do next")
    expect(next_steps.get_by_role("button", name="Issue a corrected certificate")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_role("definition").get_by_role("link", name=re.compile("verify")).get_attribute("href")

    context = browser.new_context()
    try:
        stranger = context.new_page()
        stranger.goto(link)
        verdict = stranger.get_by_role("status")
        expect(verdict).to_contain_text("Revoked: not valid")
        expect(verdict).to_contain_text("This certificate was revoked")
        expect(verdict).to_contain_text("Reason: Issued in error: the supervision hours were logged twice.")
        expect(stranger.get_by_text("This certificate is valid")).to_have_count(0)
        assert_accessible(stranger)
    finally:
        context.close()


def test_anyone_checks_a_code_with_the_verification_form(page, live_server, holder, assert_accessible):
    _, certificate = holder
    page.goto(f"{live_server}/verify")
    expect(page.get_by_role("heading", name="Check a certificate")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Verification code").fill("not a code!")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("heading", name="No certificate found")).to_be_visible()
    malformed = page.get_by_role("main").inner_text()
    assert_accessible(page)

    wrong = ("A" if certificate.code[0] != "A" else "B") + certificate.code[1:]
    page.get_by_label("Verification code").fill(wrong)
    page.get_by_role("button", name="Check again").click()
    expect(page).to_have_url(re.compile(f"/verify/{wrong}$"))
    expect(page.get_by_role("heading", name="No certificate found")).to_be_visible()
    assert page.get_by_role("main").inner_text() == malformed  # nothing tells a wrong code from a malformed one

    page.get_by_label("Verification code").fill(f"  {certificate.code}  ")
    page.get_by_role("button", name="Check again").click()
    expect(page).to_have_url(re.compile(f"/verify/{certificate.code}$"))
    expect(page.get_by_role("heading", name=f"Certificate {certificate.number}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("This certificate is valid.")
    expect(page.get_by_role("definition").filter(has_text=LEGAL_NAME)).to_be_visible()
    assert_accessible(page)


def test_holder_logs_continuing_education_by_keyboard(page, holder, sign_in, assert_accessible):
    sign_in("dana@example.org", PASSWORD)
    nav(page, "My certificates")
    expect(page.get_by_text("No continuing education logged in this cycle yet.")).to_be_visible()
    renewal = page.get_by_role("list", name="Renewal requirements")
    expect(renewal.get_by_role("listitem").filter(has_text="Continuing-education hours in this cycle")
           ).to_contain_text("0 of 20 hours")
    assert_accessible(page)

    topic = page.get_by_label("Topic")
    for _ in range(60):  # from wherever focus is, Tab until the form's first field
        page.keyboard.press("Tab")
        if topic.evaluate("element => element === document.activeElement"):
            break
    expect(topic).to_be_focused()
    page.keyboard.type("Eth")
    expect(topic).to_have_value("ethics")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Course or event")).to_be_focused()
    page.keyboard.type("Ethics refresher for peer specialists")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Provider")).to_be_focused()
    page.keyboard.type("State peer support network")
    page.keyboard.press("Tab")
    completed_on = page.get_by_label("Date completed")
    expect(completed_on).to_be_focused()
    today = date.today()
    page.keyboard.type(today.strftime("%m%d%Y"))  # Chromium's date field, en-US order
    expect(completed_on).to_have_value(today.isoformat())
    for _ in range(4):  # Tab also steps through the date field's own parts (and its calendar button)
        page.keyboard.press("Tab")
        if not completed_on.evaluate("element => element === document.activeElement"):
            break
    hours = page.get_by_label("Hours", exact=True)
    expect(hours).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    proof = page.get_by_label("Proof (optional)")
    expect(proof).to_be_focused()
    proof.set_input_files({"name": "attendance.pdf", "mimeType": "application/pdf",
                           "buffer": b"%PDF-1.7 certificate of attendance"})
    page.keyboard.press("Shift+Tab")
    expect(hours).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your continuing education is logged.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Ethics refresher for peer specialists")
    expect(row).to_contain_text("State peer support network")
    expect(row.get_by_role("cell", name="Ethics", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="3", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name="attendance.pdf")).to_be_visible()
    renewal = page.get_by_role("list", name="Renewal requirements")
    expect(renewal.get_by_role("listitem").filter(has_text="Continuing-education hours in this cycle")
           ).to_contain_text("3 of 20 hours, 17 to go")
    expect(renewal.get_by_role("listitem").filter(has_text="Of which Ethics")).to_contain_text("3 of 6 hours")
    assert_accessible(page)

    page.get_by_label("Topic").select_option(label="Peer support practice")
    page.get_by_label("Course or event").fill("Notes from a workshop")
    page.get_by_label("Provider").fill("Local recovery centre")
    page.get_by_label("Date completed").fill(today.isoformat())
    page.get_by_label("Hours", exact=True).fill("2")
    page.get_by_label("Proof (optional)").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"I went to the workshop."})
    page.get_by_role("button", name="Log continuing education").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the field marked below.")
    error = page.get_by_text("The proof must be a PDF, PNG or JPEG file.")
    expect(error).to_be_visible()
    expect(page.get_by_label("Proof (optional)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Course or event")).to_have_value("Notes from a workshop")
    expect(page.get_by_role("row").filter(has_text="Notes from a workshop")).to_have_count(0)
    assert_accessible(page)


def test_holder_issues_the_learner_record_and_a_verifier_checks_it_on_a_phone(page, live_server, holder, sign_in,
                                                                               assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in("dana@example.org", PASSWORD)
    page.goto(f"{live_server}/certificates")  # on a phone the menu is folded behind a button
    record = page.get_by_role("region", name="Your learner record")
    record.get_by_role("button", name="Issue my learner record").click()

    expect(page.get_by_role("heading", name="Learner record of Dana Q. Holder", level=1)).to_be_visible()
    expect(page.get_by_text("The learner record is issued. Share its link")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("This learner record is genuine and in force.")
    share = page.get_by_role("region", name="What to do with it")
    address = share.locator("code").inner_text()
    assert address == page.url
    for name in ("Transcript (PDF)", "Signed learner record", "The same record as JSON"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 320, name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    _screenshot(page, "learner-record-holder-320")
    with page.expect_download() as download:
        page.get_by_role("link", name="Transcript (PDF)").click()
    assert download.value.suggested_filename == "transcript.pdf"

    # Back on the certificates page, the record is listed as the latest.
    share.get_by_role("link", name="Back to your certificates").click()
    expect(record.get_by_role("link", name=re.compile("Learner record of"))).to_have_count(1)
    expect(record.get_by_text("(your latest)")).to_be_visible()
    assert_accessible(page)
    _screenshot(page, "certificates-with-learner-record-320")

    # A verifier, with no account, opens the link.
    page.context.clear_cookies()
    page.goto(address)
    expect(page.locator("#status")).to_contain_text("This learner record is genuine and in force.")
    expect(page.get_by_role("region", name="What to do with it")).to_have_count(0)
    expect(page.get_by_role("heading", name="Certificates")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    _screenshot(page, "learner-record-verifier-320")


def _screenshot(page, name: str) -> None:
    """A full-page screenshot to look at, when SCREENSHOT_DIR is set."""
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / f"{name}.png"), full_page=True)
