"""The certificates report: issued, revoked and expiring soon, by track and month (one query;
a program issues thousands of certificates, not millions, so they are grouped here)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from training.extensions import db
from training.localization import local_date
from training.models import Certificate, Enrolment

EXPIRING_DAYS = 90


@dataclass
class MonthRow:
    track: str
    track_title: str
    month: str          # YYYY-MM
    issued: int = 0     # every certificate issued that month: first, renewals and reissues
    revoked: int = 0    # revoked that month
    expiring: int = 0   # in force and expiring that month, within the next EXPIRING_DAYS days


def certificate_report(today: date, track: str | None = None, cohort_id: int | None = None) -> list[MonthRow]:
    """Rows by track and month, newest month first (one query)."""
    query = select(Certificate.track, Certificate.track_title, Certificate.issued_at, Certificate.revoked_at,
                   Certificate.superseded_by_id, Certificate.expires_on)
    if track:
        query = query.where(Certificate.track == track)
    if cohort_id is not None:
        query = query.where(Certificate.holder_id.in_(
            select(Enrolment.trainee_id).where(Enrolment.cohort_id == cohort_id)))
    rows: dict[tuple[str, str], MonthRow] = {}
    titles: dict[str, str] = {}

    def row(slug: str, month: str) -> MonthRow:
        return rows.setdefault((slug, month), MonthRow(slug, titles[slug], month))
    horizon = today + timedelta(days=EXPIRING_DAYS)
    for slug, title, issued_at, revoked_at, superseded_by_id, expires_on in db.session.execute(query):
        titles.setdefault(slug, title)
        row(slug, local_date(issued_at).strftime("%Y-%m")).issued += 1
        if revoked_at is not None:
            row(slug, local_date(revoked_at).strftime("%Y-%m")).revoked += 1
        elif superseded_by_id is None and expires_on is not None and today <= expires_on < horizon:
            row(slug, expires_on.strftime("%Y-%m")).expiring += 1
    return sorted(rows.values(), key=lambda item: (item.track_title, item.track, item.month), reverse=False)


def issued_per_month(rows: list[MonthRow]) -> list[tuple[str, int]]:
    """Certificates issued per month over all tracks, oldest first (for the chart)."""
    totals: dict[str, int] = defaultdict(int)
    for item in rows:
        if item.issued:
            totals[item.month] += item.issued
    return sorted(totals.items())
