"""The figures behind the charts (drawn as SVG by templates/reports/_charts.html): progress
distribution per cohort and the funnel from enrolled to certified, in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from training.extensions import db
from training.models import Certificate, Cohort, Enrolment, TrackStanding, User
from training.reports.modules import modules_done_by_trainee, selected_trainees, track_modules

BUCKETS = ("0–19%", "20–39%", "40–59%", "60–79%", "80–100%")
CHARTED_COHORTS = 6  # more cohorts than this: one chart for all of them and a table by cohort


@dataclass
class Bar:
    label: str
    value: int


def _bucket(done: int, total: int) -> int:
    return min(len(BUCKETS) - 1, int(len(BUCKETS) * done / total)) if total else 0


def modules_done(track: dict, cohort_id: int | None = None, supervisor_id: int | None = None) -> dict[int, int]:
    """How many of the track's modules each selected trainee completed (two queries), for both charts."""
    return modules_done_by_trainee(track, selected_trainees(cohort_id, supervisor_id))


def progress_distribution(track: dict, done: dict[int, int], cohort_id: int | None = None,
                          supervisor_id: int | None = None) -> list[tuple[str, list[Bar]]]:
    """Per cohort: how many trainees completed 0-19%, 20-39%, ... of the track's modules (two queries)."""
    total = len(track_modules(track))
    trainees = selected_trainees(cohort_id, supervisor_id)
    members = select(Cohort.name, Enrolment.trainee_id).join(Enrolment, Enrolment.cohort_id == Cohort.id).where(
        Enrolment.trainee_id.in_(trainees))
    if cohort_id is not None:
        members = members.where(Cohort.id == cohort_id)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    for name, trainee_id in db.session.execute(members.order_by(Cohort.name)):
        counts[name][_bucket(done.get(trainee_id, 0), total)] += 1
    return [(name, [Bar(label, value) for label, value in zip(BUCKETS, values)]) for name, values in counts.items()]


def all_cohorts(distribution: list[tuple[str, list[Bar]]]) -> list[Bar]:
    """The distribution over every cohort (a trainee in two cohorts counts in both)."""
    return [Bar(label, sum(bars[index].value for _name, bars in distribution)) for index, label in enumerate(BUCKETS)]


def funnel(track: dict, done: dict[int, int], today: date, cohort_id: int | None = None,
           supervisor_id: int | None = None) -> list[Bar]:
    """Enrolled, started (a module completed), every module completed, every requirement met
    (the stored standings: call store_standings first) or holding a certificate, and holding one
    (four queries)."""
    total = len(track_modules(track))
    trainees = selected_trainees(cohort_id, supervisor_id)
    ids = list(db.session.scalars(trainees))
    holders = set(db.session.scalars(select(Certificate.holder_id).where(
        Certificate.holder_id.in_(trainees), Certificate.track == track.get("slug"),
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
        or_(Certificate.expires_on.is_(None), Certificate.expires_on > today))))
    eligible = set(db.session.scalars(select(TrackStanding.holder_id).join(User, and_(
        User.id == TrackStanding.holder_id, User.standing_version == TrackStanding.version)).where(
        TrackStanding.holder_id.in_(trainees), TrackStanding.track == track.get("slug"),
        TrackStanding.eligible.is_(True))))
    return [Bar(_("Enrolled"), len(ids)),
            Bar(_("Completed a module"), sum(1 for trainee_id in ids if done.get(trainee_id, 0) > 0)),
            Bar(_("Completed every module"), sum(1 for trainee_id in ids if total and done.get(trainee_id, 0) >= total)),
            Bar(_("Met every requirement"), len(holders | eligible)),
            Bar(_("Holds the certificate"), len(holders))]
