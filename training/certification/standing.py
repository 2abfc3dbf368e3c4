"""Where each person stands on a credential track: eligibility for a first certificate, the
certificates issued, and the renewal of the one in force. Computed for many people in a
fixed number of queries, and always from dates (nothing waits for a scheduled job)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from training.certification import facts as facts_module
from training.certification import stored
from training.certification.eligibility import Eligibility, Facts, evaluate, evaluate_renewal
from training.certification.issuance import issue, renew
from training.courses.published import tracks
from training.extensions import among, db
from training.models import Certificate, ContinuingEducation, Role, User, UserRole
from training.notifications.events import certificate_issued

DEFAULT_WINDOW_DAYS = 90


@dataclass
class Standing:
    track: dict
    holder_id: int
    eligibility: Eligibility
    certificates: list[Certificate] = field(default_factory=list)  # this track's, newest first
    current: Certificate | None = None   # the latest cycle's certificate in force
    renewal: Eligibility | None = None   # the requirements to renew `current`
    renewal_opens: date | None = None
    ce_records: list[ContinuingEducation] = field(default_factory=list)  # dated within current's cycle
    # This program's contact hours earned (passed modules, attended labs), by domain:
    # what a certificate of completion lists. {code: {"title", "hours"}}
    earned_hours: dict = field(default_factory=dict)

    @property
    def certified(self) -> bool:
        return bool(self.certificates)

    def renewal_open(self, today: date) -> bool:
        return self.current is not None and self.renewal_opens is not None and today >= self.renewal_opens

    @property
    def ready_for_first(self) -> bool:
        """Every requirement met and no certificate on this track yet."""
        return not self.certified and self.eligibility.eligible

    def ready_to_issue(self, today: date) -> bool:
        """Waiting for a certificate: a first one, or the next cycle's."""
        return self.ready_for_first or self.ready_to_renew(today)

    def ready_to_renew(self, today: date) -> bool:
        """The renewal window is open, its requirements are met, and no later cycle exists yet."""
        return (self.renewal_open(today) and self.renewal is not None and self.renewal.eligible
                and not any(c.cycle > self.current.cycle for c in self.certificates))


def earned_hours(facts: Facts, domains: dict[str, str]) -> dict:
    """Contact hours from this program's own records, by domain, in the framework's order."""
    totals = {code: round(facts.module_hours.get(code, 0) + facts.lab_hours.get(code, 0), 2) for code in domains}
    extra = set(facts.module_hours) | set(facts.lab_hours)
    totals.update({code: round(facts.module_hours.get(code, 0) + facts.lab_hours.get(code, 0), 2)
                   for code in sorted(extra - set(domains))})
    return {code: {"title": domains.get(code, code), "hours": hours} for code, hours in totals.items() if hours > 0}


def _current(certificates: list[Certificate]) -> Certificate | None:
    in_force = [c for c in certificates if c.revoked_at is None and c.superseded_by_id is None]
    return max(in_force, key=lambda c: (c.cycle, c.edition), default=None)


def standings(track: dict, ids: list[int]) -> dict[int, Standing]:
    """Each person's standing on `track` (sixteen queries, however many people)."""
    if not ids:
        return {}
    modules = facts_module.course_modules(track)
    gathered = facts_module.gather(track, ids, modules)
    versions, names = facts_module.current_versions(track), facts_module.names(track, modules)
    certificates: dict[int, list[Certificate]] = {holder_id: [] for holder_id in ids}
    for certificate in db.session.scalars(select(Certificate).where(
            among(Certificate.holder_id, ids), Certificate.track == track.get("slug"))
            .order_by(Certificate.cycle.desc(), Certificate.edition.desc())):
        certificates[certificate.holder_id].append(certificate)
    holders = [holder_id for holder_id in ids if certificates[holder_id]]
    records = facts_module.ce_hours(holders) if holders else {}
    window = int((track.get("renewal") or {}).get("window_days") or DEFAULT_WINDOW_DAYS)
    result = {}
    for holder_id in ids:
        facts = gathered[holder_id]
        standing = Standing(track, holder_id, evaluate(track, facts, versions, names), certificates[holder_id],
                            earned_hours=earned_hours(facts, dict(names.domains)))
        standing.current = _current(certificates[holder_id])
        if standing.current is not None and standing.current.expires_on is not None and track.get("renewal"):
            current = standing.current
            standing.ce_records = [r for r in records.get(holder_id, [])
                                   if current.valid_from <= r.completed_on < current.expires_on]
            standing.renewal = evaluate_renewal(
                track, facts_module.hours_by_topic(standing.ce_records, current.valid_from, current.expires_on),
                facts, versions, names)
            standing.renewal_opens = current.expires_on - timedelta(days=window)
        result[holder_id] = standing
    return result


def standing_for(track: dict, holder_id: int) -> Standing:
    return standings(track, [holder_id])[holder_id]


def trainee_ids() -> list[int]:
    return list(db.session.scalars(select(User.id).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == Role.TRAINEE, User.is_active_account.is_(True)).order_by(User.display_name, User.id)))


def ready_holders(track: dict, ids: list[int], today: date) -> tuple[list[int], list[Standing]]:
    """Of `ids` (in that order): who is ready for a first certificate on `track`, from the stored
    standings, and the standings of those ready to renew, computed for the holders whose renewal
    window is open (a fixed number of queries)."""
    slug = track.get("slug")
    rows = stored.standing_rows(track, ids)
    certified = set(db.session.scalars(select(Certificate.holder_id).where(Certificate.track == slug).distinct()))
    ready = [holder_id for holder_id in ids if holder_id not in certified and rows[holder_id].eligible]
    renewals: list[Standing] = []
    if track.get("renewal"):
        window = int((track.get("renewal") or {}).get("window_days") or DEFAULT_WINDOW_DAYS)
        due = set(db.session.scalars(select(Certificate.holder_id).where(
            Certificate.track == slug, Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
            Certificate.expires_on.is_not(None), Certificate.expires_on <= today + timedelta(days=window))))
        due_ids = [holder_id for holder_id in ids if holder_id in due]
        found = standings(track, due_ids)
        renewals = [found[holder_id] for holder_id in due_ids if found[holder_id].ready_to_renew(today)]
    return ready, renewals


def issue_due(holder_ids: list[int], now: datetime) -> list[Certificate]:
    """On tracks set to issue automatically: issue or renew for everyone in `holder_ids` who
    now meets the requirements. Called after anything that can complete a requirement (and so
    it marks their stored standings out of date too)."""
    stored.forget(holder_ids)
    issued = []
    for track in tracks().values():
        if not track.get("issue_automatically"):
            continue
        for standing in standings(track, holder_ids).values():
            holder = db.session.get(User, standing.holder_id)
            if standing.ready_for_first and holder.legal_name.strip():
                certificate, created = issue(holder, track, standing.eligibility, by=None, now=now,
                                             contact_hours=standing.earned_hours)
            elif standing.ready_to_renew(now.date()):
                certificate, created = renew(standing.current, track, standing.renewal, by=None, now=now)
            else:
                continue
            if created:
                tell_holder(certificate)
                issued.append(certificate)
    return issued


def tell_holder(certificate: Certificate) -> None:
    """Tell the holder that a certificate was issued, with where to find it (their notification
    carries the one email about it, if they want email)."""
    certificate_issued(certificate)
