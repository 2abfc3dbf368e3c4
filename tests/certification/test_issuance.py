"""Issuing, numbering, idempotence, immutability, reissue, revocation, renewal and expiry."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from tests.certification.conftest import counted_queries
from training.certification.facts import gather
from training.certification.issuance import IssueRefused, add_months, issue, reissue, renew, revoke
from training.certification.records import add_continuing_education
from training.certification.standing import issue_due, standing_for
from training.extensions import db
from training.models import Certificate, Role

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def eligibility_of(track, person):
    return standing_for(track, person.id).eligibility


def test_an_eligible_trainee_gets_a_numbered_certificate_with_stored_pdf_and_credential(track, people, eligible):
    person = eligible()
    assert eligibility_of(track, person).eligible
    certificate, created = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    db.session.commit()
    assert created
    assert certificate.number == "BPC-2026-000001"
    assert len(certificate.code) == 32  # 192 random bits, URL-safe
    assert (certificate.valid_from, certificate.expires_on) == (date(2026, 11, 22), date(2028, 11, 22))
    assert certificate.legal_name == "Dana Q. Holder"
    assert certificate.pdf.startswith(b"%PDF")
    assert certificate.credential_jwt.count(".") == 2
    assert certificate.summary["requirements"][0]["unit"] == "modules"
    assert certificate.status(NOW.date()) == "valid"


def test_numbers_are_sequential_per_year_and_restart_each_year(track, people, eligible):
    first, second, third = eligible(), eligible(), eligible()
    numbers = [issue(p, track, eligibility_of(track, p), by=people["staff"], now=when)[0].number
               for p, when in ((first, NOW), (second, NOW), (third, NOW.replace(year=2027)))]
    assert numbers == ["BPC-2026-000001", "BPC-2026-000002", "BPC-2027-000001"]


def test_issuing_again_returns_the_same_certificate(track, people, eligible):
    person = eligible()
    first, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    again, created = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    assert (again.id, created) == (first.id, False)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_a_trainee_who_has_not_met_everything_is_refused(track, people, make_user):
    person = make_user(Role.TRAINEE, legal_name="Not Yet")
    with pytest.raises(IssueRefused, match="has not met every requirement"):
        issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)


def test_no_legal_name_is_refused_with_what_to_do(track, people, eligible):
    person = eligible()
    person.legal_name = " "
    with pytest.raises(IssueRefused, match="no legal name"):
        issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_a_later_name_change_never_alters_the_issued_certificate(track, people, eligible):
    person = eligible()
    certificate, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    db.session.commit()
    pdf, jwt = certificate.pdf, certificate.credential_jwt
    person.legal_name = "Dana Newname"
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert (stored.legal_name, stored.pdf, stored.credential_jwt) == ("Dana Q. Holder", pdf, jwt)


def test_reissue_supersedes_and_points_to_the_new_certificate(track, people, eligible):
    person = eligible()
    old, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    person.legal_name = "Dana Newname"
    new = reissue(old, track, by=people["staff"], reason="Legal name changed", now=NOW + timedelta(days=3))
    db.session.commit()
    db.session.expire_all()
    old = db.session.get(Certificate, old.id)
    assert old.status(NOW.date()) == "superseded"
    assert (old.superseded_by_id, old.supersede_reason) == (new.id, "Legal name changed")
    assert (new.legal_name, new.edition, new.cycle) == ("Dana Newname", 2, 1)
    assert (new.valid_from, new.expires_on) == (old.valid_from, old.expires_on)
    assert new.number == "BPC-2026-000002"
    with pytest.raises(IssueRefused, match="superseded"):
        reissue(old, track, by=people["staff"], reason="again", now=NOW)


def test_reissue_and_revoke_need_a_reason(track, people, eligible):
    person = eligible()
    certificate, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    with pytest.raises(IssueRefused, match="why"):
        reissue(certificate, track, by=people["staff"], reason="  ", now=NOW)
    with pytest.raises(IssueRefused, match="reason"):
        revoke(certificate, by=people["staff"], reason="", now=NOW)


def test_revoke_records_the_reason_once(track, people, eligible):
    person = eligible()
    certificate, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    revoke(certificate, by=people["staff"], reason="Issued in error", now=NOW)
    db.session.commit()
    assert certificate.status(NOW.date()) == "revoked"
    assert certificate.revoked_reason == "Issued in error"
    with pytest.raises(IssueRefused, match="already revoked"):
        revoke(certificate, by=people["staff"], reason="Twice", now=NOW)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 11, 22), 24) == date(2028, 11, 22)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_expiry_and_upcoming_are_computed_from_dates(track, people, eligible):
    person = eligible()
    certificate, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    assert certificate.status(date(2028, 11, 21)) == "valid"
    assert certificate.status(date(2028, 11, 22)) == "expired"
    assert certificate.status(date(2026, 11, 21)) == "upcoming"


def log_ce(holder, topic, hours, on):
    from decimal import Decimal
    return add_continuing_education(holder, topic=topic, title="Course", provider="Provider", completed_on=on,
                                     hours=Decimal(hours), proof=None, today=on)


def test_renewal_needs_ce_in_the_cycle_and_issues_the_next_cycle(track, people, eligible):
    person = eligible()
    certificate, _ = issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    log_ce(person, "ethics", "6", date(2026, 10, 1))  # before the cycle: does not count
    log_ce(person, "peer-practice", "14", date(2027, 5, 1))
    db.session.commit()
    standing = standing_for(track, person.id)
    assert standing.renewal_opens == date(2028, 8, 24)
    assert not standing.renewal.eligible
    log_ce(person, "ethics", "6", date(2028, 1, 10))
    db.session.commit()
    standing = standing_for(track, person.id)
    assert standing.renewal.eligible
    assert not standing.ready_to_renew(date(2028, 8, 23))
    assert standing.ready_to_renew(date(2028, 9, 1))
    later = datetime(2028, 9, 1, tzinfo=timezone.utc)
    renewed, created = renew(standing.current, track, standing.renewal, by=people["staff"], now=later)
    db.session.commit()
    assert created and (renewed.cycle, renewed.renews_id) == (2, certificate.id)
    assert (renewed.valid_from, renewed.expires_on) == (date(2028, 11, 22), date(2030, 11, 22))
    assert renewed.number == "BPC-2028-000001"
    assert renewed.status(date(2028, 9, 1)) == "upcoming"
    assert certificate.status(date(2028, 9, 1)) == "valid"
    again, created = renew(certificate, track, standing.renewal, by=people["staff"], now=later)
    assert (again.id, created) == (renewed.id, False)


def test_renewal_asks_for_a_new_signature_when_the_code_changes(track, people, eligible):
    from training.models import ContentFile
    person = eligible()
    issue(person, track, eligibility_of(track, person), by=people["staff"], now=NOW)
    log_ce(person, "ethics", "20", date(2027, 1, 5))
    row = db.session.scalar(select(ContentFile).where(ContentFile.path == "documents/code-of-ethics.md"))
    row.source = row.source.replace('version: "', 'version: "9', 1)
    db.session.commit()
    renewal = standing_for(track, person.id).renewal
    assert not renewal.eligible
    assert [c.label for c in renewal.checks if not c.met] == [c.label for c in renewal.checks
                                                              if c.group == "attestation"]


def test_automatic_issuance_only_on_tracks_that_ask_for_it(track, people, eligible):
    from training.models import ContentFile
    person = eligible()
    assert issue_due([person.id], NOW) == []
    row = db.session.scalar(select(ContentFile).where(ContentFile.path == "tracks/basic.yml"))
    row.source = row.source.replace("issue_automatically: false", "issue_automatically: true")
    db.session.commit()
    issued = issue_due([person.id], NOW)
    assert [c.holder_id for c in issued] == [person.id]
    assert issue_due([person.id], NOW) == []  # once


def test_facts_take_the_same_queries_for_one_or_many(track, eligible, app):
    people = [eligible() for _ in range(3)]
    counts = []
    for ids in ([people[0].id], [p.id for p in people]):
        with counted_queries() as statements:
            gather(track, ids)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 16
