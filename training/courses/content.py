"""The course content as plain values, read from the files under courses/.

Everything here is what `check_library` builds from a content folder. Each object that
comes from one file keeps the file's exact text (`source`) and its SHA-256 (`content_hash`),
so an importer can skip unchanged files and an export can write the same bytes back.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from training.rendering import CALLOUT_KINDS  # noqa: F401  (one list, shared with the renderer)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 60
CATEGORY_CODE_PATTERN = re.compile(r"C\d{2}")
COMPETENCY_CODE_PATTERN = re.compile(r"C\d{2}\.\d+")

# These lists are fixed in code because the hours log and the sign-off forms depend on them.
ACTIVITY_TYPES = ("individual-support", "group-facilitation", "advocacy-education", "peer-led-workshop")
SUPERVISION_FORMATS = ("individual", "group")
RUBRIC_LEVEL_CODES = ("not-yet", "developing", "meets", "exceeds", "no-opportunity")
NO_OPPORTUNITY = "no-opportunity"
COMPETENCY_RULES = ("one_assigned_supervisor",)

QUESTION_TYPES = ("single", "multiple", "true_false", "scenario", "short", "matching", "numerical", "essay")
REVIEW_CHOICES = ("after_pass", "after_last_attempt", "never")
COUNTS_CHOICES = ("highest", "latest", "first")


def is_slug(text: str) -> bool:
    """Lower-case letters, digits and single hyphens, at most 60 characters."""
    return len(text) <= SLUG_MAX_LENGTH and SLUG_PATTERN.fullmatch(text) is not None


def hash_text(text: str) -> str:
    """The content hash of a file's text: SHA-256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """Something to fix in the content, at a file (relative to the content root) and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class SourceFile:
    """A value read from one file: where it lives, its exact text and that text's hash."""

    path: str  # relative to the content root, with / separators
    source: str
    content_hash: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", hash_text(self.source))


# --- framework.yml ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainingDomain:
    code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class RubricLevel:
    code: str
    title: str
    rank: int | None  # None for "no opportunity to observe", which is never a failing answer
    description: str


@dataclass(frozen=True, kw_only=True)
class Competency:
    code: str  # C01.1
    title: str
    behaviour: str  # what a supervisor can observe and sign off
    category_code: str  # C01


@dataclass(frozen=True, kw_only=True)
class CompetencyCategory:
    code: str  # C01
    title: str
    items: list[Competency]


@dataclass(frozen=True, kw_only=True)
class Framework(SourceFile):
    training_domains: list[TrainingDomain]
    rubric_levels: list[RubricLevel]
    competency_categories: list[CompetencyCategory]

    def competencies(self) -> list[Competency]:
        return [item for category in self.competency_categories for item in category.items]

    def rubric_level(self, code: str) -> RubricLevel | None:
        return next((level for level in self.rubric_levels if level.code == code), None)


def level_meets(level: RubricLevel, minimum: RubricLevel) -> bool:
    """Whether a rating at `level` satisfies a requirement of `minimum`.

    "No opportunity to observe" has no rank and never meets a requirement, whatever the minimum.
    """
    return level.rank is not None and minimum.rank is not None and level.rank >= minimum.rank


# --- documents/*.md ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Document(SourceFile):
    slug: str
    title: str
    version: str
    effective: date
    body: str  # Markdown
    body_line: int  # the line of the file where the body starts


# --- tracks/*.yml -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainingRequirement:
    course: str
    modules: list[str]  # module slugs that must be passed
    hours_by_domain: dict[str, float]


@dataclass(frozen=True, kw_only=True)
class PracticeRequirement:
    total_hours: float
    by_activity: dict[str, float]  # minimums per activity type, within the total


@dataclass(frozen=True, kw_only=True)
class SupervisionRequirement:
    hours: float
    formats: list[str]  # the formats that count


@dataclass(frozen=True, kw_only=True)
class CompetencyRequirement:
    minimum_level: str
    rule: str
    required: list[str]


@dataclass(frozen=True, kw_only=True)
class Attestation:
    document: str  # a slug of documents/<slug>.md


@dataclass(frozen=True, kw_only=True)
class RenewalRule:
    ce_hours: float
    topic_minimums: dict[str, float]
    window_days: int


@dataclass(frozen=True, kw_only=True)
class ProvisionalStage:
    months: int
    extensions: int


@dataclass(frozen=True, kw_only=True)
class Track(SourceFile):
    slug: str
    title: str
    issuer: str
    number_prefix: str
    validity_months: int
    issue_automatically: bool
    training: TrainingRequirement | None
    practice: PracticeRequirement | None
    supervision: SupervisionRequirement | None
    competencies: CompetencyRequirement | None
    attestations: list[Attestation]
    renewal: RenewalRule | None
    provisional: ProvisionalStage | None


# --- quizzes ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Option:
    text: str
    correct: bool
    feedback: str | None  # why this option is or is not the best answer
    weight: int | None  # multiple choice only: percent of the marks, -100..100


@dataclass(frozen=True, kw_only=True)
class MatchPair:
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question of any type; the fields a type does not use keep their empty defaults."""

    id: str
    type: str
    prompt: str | None  # optional only for scenario, whose vignette is the prompt
    points: int = 1
    competencies: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    explanation: str | None = None
    options: list[Option] = field(default_factory=list)  # single, multiple
    answer: bool | float | None = None  # true_false (bool), numerical (number)
    feedback_true: str | None = None  # true_false
    feedback_false: str | None = None
    vignette: str | None = None  # scenario
    questions: list[Question] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # short
    case_sensitive: bool = False
    pairs: list[MatchPair] = field(default_factory=list)  # matching
    tolerance: float | None = None  # numerical: answer ± tolerance
    minimum: float | None = None  # numerical: or a range
    maximum: float | None = None
    guidance: str | None = None  # essay: shown to the trainee
    rubric: str | None = None  # essay: shown to whoever marks it


@dataclass(frozen=True, kw_only=True)
class Quiz(SourceFile):
    pass_mark: int
    attempts: int  # 0 means unlimited
    cooldown_minutes: int
    draw: int | None  # None means every question
    draw_by_competency: dict[str, int]
    shuffle_options: bool
    time_limit_minutes: int | None
    review: str
    counts: str
    questions: list[Question]


# --- courses, modules, lessons -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Lesson(SourceFile):
    slug: str
    title: str
    minutes: int
    content_note: str | None
    body: str  # Markdown
    body_line: int  # the line of the file where the body starts


@dataclass(frozen=True, kw_only=True)
class Module(SourceFile):
    slug: str
    title: str
    summary: str
    objectives: list[str]
    estimated_minutes: int
    contact_hours: dict[str, float]  # by training domain code
    competencies: list[str]
    prerequisites: list[str]  # module slugs of the same course
    lessons: list[Lesson]
    quiz: Quiz | None
    references: list[str]

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)


@dataclass(frozen=True, kw_only=True)
class Course(SourceFile):
    slug: str
    title: str
    summary: str
    modules: list[Module]

    def module(self, slug: str) -> Module | None:
        return next((module for module in self.modules if module.slug == slug), None)


@dataclass(frozen=True, kw_only=True)
class Library:
    """Everything under one content folder, checked and consistent."""

    framework: Framework
    tracks: dict[str, Track]
    documents: dict[str, Document]
    courses: dict[str, Course]
