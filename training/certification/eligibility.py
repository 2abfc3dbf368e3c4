"""Whether a trainee meets a credential track: every requirement, what is met and what remains.

`evaluate` and `evaluate_renewal` are pure functions of the track's rules (the track file as
plain data) and a person's facts; `facts.py` gathers the facts from the database.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    lab_hours: Mapping[str, float] = field(default_factory=dict)       # by domain, attended
    # Verified hours that do not count because the verifier is not a qualified supervisor.
    unqualified_hours: Mapping[str, float] = field(default_factory=dict)  # practice / supervision
    exam: ExamStanding | None = None
    # Eligibility attestations: (kind, region) -> versions attested; education proof checked by staff.
    attested: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    education_checked: bool = False
    statement: StatementStanding | None = None


@dataclass(frozen=True)
class ExamStanding:
    passed: bool
    detail: str  # what the record in force says, for the checklist


@dataclass(frozen=True)
class StatementStanding:
    status: str  # pending, accepted or returned (the latest submission)
    words: int
    accepted_words: int  # the longest accepted statement, 0 if none


@dataclass(frozen=True)
class Names:
    """Readable names for codes in the track; a code without a name shows as itself."""
    modules: Mapping[str, str] = field(default_factory=dict)
    domains: Mapping[str, str] = field(default_factory=dict)
    activities: Mapping[str, str] = field(default_factory=dict)
    competencies: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)
    # What the track's course offers by domain (module claims plus labs), to say plainly when
    # it offers fewer hours than the track asks.
    offered_hours: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    group: str     # training, practice, supervision, competencies, attestation, exam, eligibility,
                   # continuing-education
    label: str
    have: float
    need: float
    unit: str      # hours, modules, competencies, or "" for a yes/no requirement
    missing: tuple[str, ...] = ()  # what remains, named (modules, competencies, a document version)
    note: str = ""  # how the figure came about, when that is not obvious (hours that do not count)
    # Where the person acts on it (checklist.py maps keys to pages): "training:modules", "training:hours",
    # "practice", "supervision", "competencies", "continuing-education", "eligibility:<kind>",
    # "exam:<type>", "attestation:<document>".
    key: str = ""

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
        checks.append(Check("training", "Modules passed (lessons read, quiz passed, required labs attended)",
                            len(modules) - len(missing), len(modules), "modules", missing, key="training:modules"))
    counts_outside = track.get("kind") != "completion"  # a completion certificate lists this program's hours
    for domain, need in (training.get("hours_by_domain") or {}).items():
        here = _hours(facts.module_hours.get(domain)) + _hours(facts.lab_hours.get(domain))
        elsewhere = _hours(facts.external_hours.get(domain)) if counts_outside else 0.0
        here_text, elsewhere_text = f"{round(here, 2):g}", f"{round(elsewhere, 2):g}"
        note = (f"{here_text} h from this course's modules and labs, {elsewhere_text} h of approved training "
                "recorded by staff." if counts_outside else f"{here_text} h from this course's modules and labs.")
        offered = names.offered_hours.get(domain)
        if counts_outside and offered is not None and offered + SLACK < _hours(need):
            note += (f" This course and its labs offer {offered:g} h in this domain, fewer than the credential asks: "
                     "the rest comes from approved training elsewhere, which program staff record.")
        checks.append(Check("training", f"Training hours: {names.domains.get(domain, domain)}", here + elsewhere,
                            _hours(need), "hours", note=note, key="training:hours"))
    return checks


def _not_counted(facts: Facts, kind: str) -> str:
    hours = _hours(facts.unqualified_hours.get(kind))
    return (f"{hours:g} verified hours do not count: the supervisor who verified them has no qualification on record "
            "(this credential counts only hours verified by a qualified supervisor)." if hours else "")


def _practice(track: Mapping, facts: Facts, names: Names) -> list[Check]:
    practice = track.get("practice") or {}
    checks = []
    if practice.get("total_hours"):
        checks.append(Check("practice", "Verified practice hours in total", sum(facts.practice_hours.values()),
                            _hours(practice["total_hours"]), "hours", note=_not_counted(facts, "practice"),
                            key="practice"))
    for activity, need in (practice.get("by_activity") or {}).items():
        checks.append(Check("practice", f"Verified practice: {names.activities.get(activity, activity)}",
                            _hours(facts.practice_hours.get(activity)), _hours(need), "hours", key="practice"))
    return checks


def _supervision(track: Mapping, facts: Facts) -> list[Check]:
    supervision = track.get("supervision") or {}
    if not supervision.get("hours"):
        return []
    formats = supervision.get("formats") or list(facts.supervision_hours)
    have = sum(_hours(facts.supervision_hours.get(name)) for name in formats)
    return [Check("supervision", "Verified supervision hours", have, _hours(supervision["hours"]), "hours",
                  note=_not_counted(facts, "supervision"), key="supervision")]


def _competencies(track: Mapping, facts: Facts, names: Names) -> list[Check]:
    required = list((track.get("competencies") or {}).get("required") or [])
    if not required:
        return []
    missing = tuple(f"{code} {names.competencies.get(code, '')}".strip()
                    for code in required if code not in facts.competencies_met)
    level = (track.get("competencies") or {}).get("minimum_level", "meets")
    return [Check("competencies", f"Competencies signed off at “{level}” or higher",
                  len(required) - len(missing), len(required), "competencies", missing, key="competencies")]


def required_competencies(tracks: Iterable[Mapping]) -> dict[str, list[tuple[str, str]]]:
    """Each competency code some track requires: [(track title, minimum level code)], in track order."""
    required: dict[str, list[tuple[str, str]]] = {}
    for track in tracks:
        rules = track.get("competencies") or {}
        for code in rules.get("required") or []:
            required.setdefault(str(code), []).append((track.get("title", track.get("slug", "")),
                                                       rules.get("minimum_level", "meets")))
    return required


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
                            missing, key=f"attestation:{slug}"))
    return checks


def _exam(track: Mapping, facts: Facts) -> list[Check]:
    exam = track.get("exam") or {}
    if not exam:
        return []
    passed = facts.exam is not None and facts.exam.passed
    if passed:
        missing = ()
    elif exam.get("type") == "internal":
        missing = ("Take the course's final exam. A proctor (program staff or your supervisor) opens it with you "
                   "in person.",)
    else:
        missing = ("You take this exam outside this platform. Send your score report to program staff: they "
                   "record your result here.",)
    return [Check("exam", f"Exam passed: {exam.get('name', 'exam')}", float(passed), 1.0, "", missing,
                  note=facts.exam.detail if facts.exam else "", key=f"exam:{exam.get('type')}")]


ELIGIBILITY_LABELS = {
    "education": "Education: high school diploma or equivalency",
    "jurisdiction": "Lives or works in {region}",
    "lived-experience": "Lived experience of recovery (attested)",
    "statement": "Statement of lived experience, at least {min_words:,} words, accepted by a supervisor",
}


def _eligibility(track: Mapping, facts: Facts, current_versions: Mapping[str, str]) -> list[Check]:
    checks = []
    for item in track.get("eligibility") or []:
        kind = item.get("kind")
        label = ELIGIBILITY_LABELS.get(kind, kind).format(region=item.get("region", ""),
                                                          min_words=item.get("min_words") or 0)
        if kind == "statement":
            missing = _statement_missing(facts.statement, int(item.get("min_words") or 0))
        else:
            version = current_versions.get(item.get("document") or f"eligibility-{kind}", "")
            attested = facts.attested.get((kind, item.get("region") or ""), frozenset())
            if version in attested:
                missing = () if not (item.get("proof_required") and not facts.education_checked) else (
                    "Upload a copy of your diploma or equivalency; program staff then check it.",)
            elif attested:
                missing = (f"The wording changed (version {version}); please read and confirm it again.",)
            else:
                missing = ("Not confirmed yet.",)
        checks.append(Check("eligibility", label, float(not missing), 1.0, "", missing, key=f"eligibility:{kind}"))
    return checks


def _statement_missing(statement: StatementStanding | None, min_words: int) -> tuple[str, ...]:
    if statement is not None and statement.accepted_words >= min_words:
        return ()
    if statement is None:
        return (f"Write your statement (at least {min_words:,} words) and send it to your supervisor.",)
    if statement.status == "pending":
        return ("Your statement is with your supervisor to read.",)
    return ("Your supervisor returned your statement with feedback; revise it and send it again.",)


def evaluate(track: Mapping, facts: Facts, current_versions: Mapping[str, str], names: Names = Names()
             ) -> Eligibility:
    """Every requirement of the track for a first certificate, met or not."""
    checks = [*_eligibility(track, facts, current_versions), *_training(track, facts, names),
              *_practice(track, facts, names), *_supervision(track, facts), *_competencies(track, facts, names),
              *_exam(track, facts), *attestation_checks(track, facts, current_versions, names)]
    return Eligibility(track.get("slug", ""), tuple(checks))


def evaluate_renewal(track: Mapping, ce_hours: Mapping[str, float], facts: Facts,
                     current_versions: Mapping[str, str], names: Names = Names()) -> Eligibility:
    """The renewal requirements for one cycle: continuing-education hours by topic (only records
    dated within the cycle count; the caller selects them) and the current code of ethics."""
    renewal = track.get("renewal") or {}
    checks = []
    if renewal.get("ce_hours"):
        checks.append(Check("continuing-education", "Continuing-education hours in this cycle",
                            sum(ce_hours.values()), _hours(renewal["ce_hours"]), "hours", key="continuing-education"))
    for topic, need in (renewal.get("topic_minimums") or {}).items():
        checks.append(Check("continuing-education", f"Of which {names.topics.get(topic, topic)}",
                            _hours(ce_hours.get(topic)), _hours(need), "hours", key="continuing-education"))
    checks += attestation_checks(track, facts, current_versions, names)
    return Eligibility(track.get("slug", ""), tuple(checks))
