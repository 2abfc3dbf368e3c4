"""Revoking after a confirmation page, issuing a corrected certificate afterwards, and what
the holder sees for a revoked certificate."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from training.certification.issuance import IssueRefused, correct, correction_refused, issue, revoke
from training.certification.pdf import certificate_notes
from training.certification.standing import standing_for
from training.extensions import db
from training.models import Certificate, OutboxMessage, utcnow


def issued(track, person, staff):
    certificate, _ = issue(person, track, standing_for(track, person.id).eligibility, by=staff, now=utcnow())
    db.session.commit()
    return certificate


def fresh(certificate_id) -> Certificate:
    db.session.expire_all()
    return db.session.get(Certificate, certificate_id)


def test_revoking_takes_a_confirmation_page_and_then_says_what_to_do_next(client, login_as, track, people, eligible):
    certificate = issued(track, eligible(), people["staff"])
    login_as(people["staff"])
    record = client.get(f"/staff/certification/certificates/{certificate.id}").get_data(as_text=True)
    assert 'name="revoke-reason"' not in record  # no longer one click next to Reissue
    assert f'href="/staff/certification/certificates/{certificate.id}/revoke"' in record
    assert 'name="reissue-reason"' in record and "button-danger" in record

    confirm_url = f"/staff/certification/certificates/{certificate.id}/revoke"
    page = client.get(confirm_url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for sentence in ("at once", "cannot be undone", "told by email", 'name="revoke-reason"', 'name="revoke-confirm"'):
        assert sentence in text

    unconfirmed = client.post(confirm_url, data={"revoke-reason": "Issued in error"})
    assert unconfirmed.status_code == 422 and "tick the box" in unconfirmed.get_data(as_text=True)
    no_reason = client.post(confirm_url, data={"revoke-reason": "  ", "revoke-confirm": "y"})
    assert no_reason.status_code == 422 and "give the reason" in no_reason.get_data(as_text=True)
    assert fresh(certificate.id).revoked_at is None

    done = client.post(confirm_url, data={"revoke-reason": "The wrong track was printed", "revoke-confirm": "y"})
    assert done.headers["Location"].endswith(f"/staff/certification/certificates/{certificate.id}#next-steps")
    assert fresh(certificate.id).revoked_reason == "The wrong track was printed"
    after = client.get(f"/staff/certification/certificates/{certificate.id}").get_data(as_text=True)
    assert "is revoked" in after and "What to do next" in after and "Issue a corrected certificate" in after
    assert 'name="reissue-reason"' not in after
    again = client.get(confirm_url)
    assert again.status_code == 302 and "already revoked" in client.get(again.headers["Location"]).get_data(
        as_text=True)


def test_a_corrected_certificate_is_the_next_edition_and_points_both_ways(client, login_as, track, people, eligible):
    person = eligible()
    old = issued(track, person, people["staff"])
    old.valid_from, old.expires_on = date.today() - timedelta(days=40), date.today() + timedelta(days=600)
    db.session.commit()
    revoke(old, by=people["staff"], reason="The legal name was misspelled", now=utcnow())
    person.legal_name = "Dana Q. Holder-Right"
    db.session.commit()
    login_as(people["staff"])
    url = f"/staff/certification/certificates/{old.id}/correct"
    empty = client.post(url, data={"correct-reason": ""})
    assert empty.status_code == 422 and db.session.scalar(select(func.count(Certificate.id))) == 1

    response = client.post(url, data={"correct-reason": "Spelling of the legal name"})
    new = db.session.scalar(select(Certificate).where(Certificate.id != old.id))
    assert response.headers["Location"].endswith(f"/staff/certification/certificates/{new.id}")
    old = fresh(old.id)
    assert (new.corrects_id, new.cycle, new.edition, new.legal_name) == (old.id, 1, 2, "Dana Q. Holder-Right")
    assert (new.valid_from, new.expires_on) == (date.today(), old.expires_on)  # never backdated
    assert new.number != old.number and new.short_code != old.short_code
    assert old.status(date.today()) == "revoked" and old.corrected_by.id == new.id
    assert certificate_notes(new) == [f"Corrected certificate, replacing {old.number}"]
    assert new.summary["correction_reason"] == "Spelling of the legal name"
    assert db.session.scalars(select(OutboxMessage.subject)).all()[-1] == f"Your certificate {new.number} is issued"

    old_page = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert "This certificate was revoked" in old_page and f"/verify/{new.code}" in old_page
    new_page = client.get(f"/verify/{new.code}").get_data(as_text=True)
    assert "This certificate is valid" in new_page and f"/verify/{old.code}" in new_page and "Corrects" in new_page
    staff_page = client.get(f"/staff/certification/certificates/{old.id}").get_data(as_text=True)
    assert "Corrected by" in staff_page and 'name="correct-reason"' not in staff_page

    twice = client.post(url, data={"correct-reason": "Again"})
    assert twice.status_code == 422 and "already corrected" in twice.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_a_correction_is_refused_where_it_makes_no_sense(track, people, make_certificate):
    staff, today = people["staff"], date.today()
    in_force = make_certificate(track="basic")
    assert "not revoked" in correction_refused(in_force, track, today)
    ended = make_certificate(track="basic", revoked=True, revoked_by_id=staff.id,
                             valid_from=today - timedelta(days=800), expires_on=today - timedelta(days=70))
    assert "already have expired" in correction_refused(ended, track, today)
    assert "no longer in the course files" in correction_refused(ended, None, today)
    revoked = make_certificate(track="basic", revoked=True, revoked_by_id=staff.id)
    make_certificate(track="basic", holder_id=revoked.holder_id, edition=2, number="BPC-2026-999999")
    assert "is in force for the same holder and cycle" in correction_refused(revoked, track, today)
    with pytest.raises(IssueRefused, match="what the corrected certificate corrects"):
        correct(revoked, track, by=staff, reason=" ", now=utcnow())


def test_the_database_allows_one_correction_per_revoked_certificate(track, people, make_certificate):
    revoked = make_certificate(track="basic", revoked=True, revoked_by_id=people["staff"].id)
    make_certificate(track="basic", holder_id=revoked.holder_id, edition=2, number="BPC-2026-900001",
                     corrects_id=revoked.id)
    with pytest.raises(IntegrityError):
        make_certificate(track="basic", holder_id=revoked.holder_id, edition=3, number="BPC-2026-900002",
                         corrects_id=revoked.id)
    db.session.rollback()


def test_the_holder_sees_plainly_that_a_certificate_was_revoked(client, login_as, track, people, make_certificate):
    revoked = make_certificate(track="basic", track_title="Basic Peer Credential", revoked=True,
                               revoked_by_id=people["staff"].id, revoked_reason="Issued before the exam was passed",
                               valid_from=date.today() - timedelta(days=600),
                               expires_on=date.today() + timedelta(days=30))
    login_as(revoked.holder)
    mine = client.get("/certificates").get_data(as_text=True)
    assert "This certificate was revoked on" in mine and "Issued before the exam was passed" in mine
    assert "contact the program staff at Peer Support Training Program" in mine
    for offer in (f"/verify/{revoked.code}", "data-copy", "Verification link", "Log continuing education",
                  "Renewal of", "continuing-education", "certificate.pdf"):
        assert offer not in mine, offer
    checklist = client.get("/certification").get_data(as_text=True)
    assert f"Your certificate {revoked.number} was revoked" in checklist
    assert "You hold this certificate" not in checklist
