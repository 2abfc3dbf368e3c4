"""Whether a trainee meets a credential track: every requirement, what is met and what remains.

`evaluate` and `evaluate_renewal` are pure functions of the track's rules (the track file as
plain data) and a person's facts; `facts.py` gathers the facts from the database.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SLACK = 1e-9  # hours are sums of minutes / 60


@dataclass(frozen=True)
class Facts:
    """What counts toward a track for one person. Hours only ever include verified entries."""
    modules_passed: frozenset[str] = frozenset()                    # module slugs of the track's course
    module_hours: Mapping[str, float] = field(default_factory=dict)    # by domain, from passed modules
    external_hours: Mapping[str, float] = field(default_factory=dict)  # by domain, recorded by staff
    practice_hours: Mapping[str, float] = field(default_factory=dict)  # verified, by activity type
    supervision_hours: Mapping[str, float] = field(default_factory=dict)  # verified, by format
    competencies_met: frozenset[str] = frozenset()
    signed: Mapping[str, frozenset[str]] = field(default_factory=dict)  # document -> versions signed


@dataclass(frozen=True)
class Names:
    """Readable names for codes in the track; a code without a name shows as itself."""
    modules: Mapping[str, str] = field(default_factory=dict)
    domains: Mapping[str, str] = field(default_factory=dict)
    activities: Mapping[str, str] = field(default_factory=dict)
    competencies: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    group: str     # training, practice, supervision, competencies, attestation, continuing-education
    label: str
    have: float
    need: float
    unit: str      # hours, modules, competencies, or "" for a yes/no requirement
    missing: tuple[str, ...] = ()  # what remains, named (modules, competencies, a document version)

    @property
    def met(self) -> bool:
        return self.have + SLACK >= self.need

    @property
    def remaining(self) -> float:
        return max(0.0, self.need - self.have)

    @property
    def percent(self) -> int:
        return 100 if self.need <= 0 else min(100, int(100 * self.have / self.need))


@dataclass(frozen=True)
class Eligibility:
    track: str
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def met_count(self) -> int:
        return sum(check.met for check in self.checks)

    def summary(self) -> list[dict]:
        """The checks as plain data, stored with an issued certificate."""
        return [{"group": c.group, "label": c.label, "have": round(c.have, 2), "need": c.need, "unit": c.unit}
                for c in self.checks]


def _hours(value) -> float:
    return float(value or 0)


def _training(track: Mapping, facts: Facts, names: Names) -> list[Check]:
    training = track.get("training") or {}
    checks = []
    modules = list(training.get("modules") or [])
    if modules:
        missing = tuple(names.modules.get(slug, slug) for slug in modules if slug not in facts.modules_passed)
        checks.append(Check("training", "Modules passed (lessons read and quiz passed)",
                            len(modules) - len(missing), len(modules), "modules", missing))
    for domain, need in (training.get("hours_by_domain") or {}).items():
        have = _hours(facts.module_hours.get(domain)) + _hours(facts.external_hours.get(domain))
        checks.append(Check("training", f"Training hours: {names.domains.get(domain, domain)}", have,
                            _hours(need), "hours"))
    return checks


def _practice(track: Mapping, facts: Facts, names: Names) -> list[Check]:
    practice = track.get("practice") or {}
    checks = []
    if practice.get("total_hours"):
        checks.append(Check("practice", "Verified practice hours in total", sum(facts.practice_hours.values()),
                            _hours(practice["total_hours"]), "hours"))
    for activity, need in (practice.get("by_activity") or {}).items():
        checks.append(Check("practice", f"Verified practice: {names.activities.get(activity, activity)}",
                            _hours(facts.practice_hours.get(activity)), _hours(need), "hours"))
    return checks


def _supervision(track: Mapping, facts: Facts) -> list[Check]:
    supervision = track.get("supervision") or {}
    if not supervision.get("hours"):
        return []
    formats = supervision.get("formats") or list(facts.supervision_hours)
    have = sum(_hours(facts.supervision_hours.get(name)) for name in formats)
    return [Check("supervision", "Verified supervision hours", have, _hours(supervision["hours"]), "hours")]


def _competencies(track: Mapping, facts: Facts, names: Names) -> list[Check]:
    required = list((track.get("competencies") or {}).get("required") or [])
    if not required:
        return []
    missing = tuple(f"{code} {names.competencies.get(code, '')}".strip()
                    for code in required if code not in facts.competencies_met)
    level = (track.get("competencies") or {}).get("minimum_level", "meets")
    return [Check("competencies", f"Competencies signed off at “{level}” or higher",
                  len(required) - len(missing), len(required), "competencies", missing)]


def attestation_checks(track: Mapping, facts: Facts, current_versions: Mapping[str, str],
                       names: Names) -> list[Check]:
    """One check per attested document: the current version must be signed."""
    checks = []
    for item in track.get("attestations") or []:
        slug = item.get("document")
        version = current_versions.get(slug, "")
        title = names.documents.get(slug, slug)
        signed = facts.signed.get(slug, frozenset())
        missing = () if version in signed else (
            (f"Version {version} is new since you signed; please read and sign it again.",) if signed
            else (f"Read and sign version {version}.",))
        checks.append(Check("attestation", f"{title} signed (version {version})", float(not missing), 1.0, "",
                            missing))
    return checks


def evaluate(track: Mapping, facts: Facts, current_versions: Mapping[str, str], names: Names = Names()
             ) -> Eligibility:
    """Every requirement of the track for a first certificate, met or not."""
    checks = [*_training(track, facts, names), *_practice(track, facts, names), *_supervision(track, facts),
              *_competencies(track, facts, names), *attestation_checks(track, facts, current_versions, names)]
    return Eligibility(track.get("slug", ""), tuple(checks))


def evaluate_renewal(track: Mapping, ce_hours: Mapping[str, float], facts: Facts,
                     current_versions: Mapping[str, str], names: Names = Names()) -> Eligibility:
    """The renewal requirements for one cycle: continuing-education hours by topic (only records
    dated within the cycle count; the caller selects them) and the current code of ethics."""
    renewal = track.get("renewal") or {}
    checks = []
    if renewal.get("ce_hours"):
        checks.append(Check("continuing-education", "Continuing-education hours in this cycle",
                            sum(ce_hours.values()), _hours(renewal["ce_hours"]), "hours"))
    for topic, need in (renewal.get("topic_minimums") or {}).items():
        checks.append(Check("continuing-education", f"Of which {names.topics.get(topic, topic)}",
                            _hours(ce_hours.get(topic)), _hours(need), "hours"))
    checks += attestation_checks(track, facts, current_versions, names)
    return Eligibility(track.get("slug", ""), tuple(checks))
