"""The parts of a learner record (learnerrecord.py gathers them; clr.py writes them as a
CLR 2.0 credential): entries with their measures and evidence, goals, and the record."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from training.models import Certificate, User


@dataclass(frozen=True)
class Measure:
    """One result of an achievement and what it is measured against (an Open Badges Result
    with its ResultDescription)."""
    key: str                       # unique within the achievement
    name: str
    result_type: str               # Open Badges ResultType: Percent, RubricCriterionLevel, ext:ContactHours...
    value: str | None = None
    value_max: str | None = None
    required: str | None = None    # the pass mark, or the rubric level required
    level: str | None = None       # the rubric level achieved
    status: str | None = None      # Completed


@dataclass
class Entry:
    """One achievement in the record."""
    key: str                       # its achievement's fragment, stable across records ("module/core/ethics")
    kind: str                      # module, quiz, exam, competency, practice, supervision, lab, certificate
    name: str
    description: str
    criteria: str
    achieved_at: datetime
    measures: list[Measure] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (name, narrative): who assessed or verified
    parents: list[tuple[str, str]] = field(default_factory=list)   # (CLR association type, target key)
    certificate: Certificate | None = None


@dataclass
class Goal:
    """Something the entries belong to that is not itself earned in the record: a course, or a
    credential track not yet awarded."""
    key: str
    kind: str                      # course, completion or certification
    name: str
    description: str
    parents: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class LearnerRecord:
    holder: User
    as_of: datetime
    entries: list[Entry]
    goals: list[Goal]

    @property
    def empty(self) -> bool:
        return not self.entries


def day_start(day: date) -> datetime:
    """Midnight UTC of a day, the moment an achievement dated by its day is recorded at."""
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def hours_text(minutes: float) -> str:
    """Minutes as hours, to two places and without trailing zeros ("1.5")."""
    return f"{round(minutes / 60, 2):g}"
