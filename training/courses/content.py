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
TRACK_KINDS = ("completion", "certification")
EXAM_TYPES = ("external", "internal")
ELIGIBILITY_KINDS = ("education", "jurisdiction", "lived-experience", "statement")

QUESTION_TYPES = ("single", "multiple", "true_false", "scenario", "short", "matching", "numerical", "essay",
                  "description")  # a description is text shown in place among the questions, never scored
REVIEW_CHOICES = ("after_pass", "after_last_attempt", "never")
COUNTS_CHOICES = ("highest", "latest", "first")


# Honest contact hours (see courses/README.md): reading at this pace, plus declared activities.
WORDS_PER_MINUTE = 200
QUESTION_MINUTES = 2  # contact time allowed per quiz question drawn


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at WORDS_PER_MINUTE, rounded up to a whole minute."""
    return -(-words // WORDS_PER_MINUTE)


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
class ExamRequirement:
    type: str  # external (staff record an outside exam's result) or internal (the course's final exam)
    name: str


@dataclass(frozen=True, kw_only=True)
class EligibilityItem:
    """Something a candidate attests to; the wording agreed to is documents/<document>.md."""
    kind: str          # education, jurisdiction, lived-experience or statement
    document: str
    region: str | None = None       # jurisdiction: where the candidate lives or works
    min_words: int | None = None    # statement: the shortest statement accepted
    proof_required: bool = False    # education: staff must have checked a diploma or GED


@dataclass(frozen=True, kw_only=True)
class SupervisorRule:
    """Which supervisors' verifications count toward practice and supervision hours."""
    qualified_only: bool
    min_years: int | None = None


@dataclass(frozen=True, kw_only=True)
class Track(SourceFile):
    slug: str
    kind: str  # completion (a training program's certificate) or certification (a certifying body's)
    title: str
    counts_toward: str | None  # completion: what its hours count toward
    number_prefix: str
    validity_months: int | None  # None: the certificate does not expire (completion only)
    issue_automatically: bool
    exam: ExamRequirement | None
    eligibility: list[EligibilityItem]
    supervisors: SupervisorRule | None
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
    weight: int | None  # percent of the marks: -100..100 in multiple; 1..99 for a nearly right single option


@dataclass(frozen=True, kw_only=True)
class ShortAnswer:
    """A short answer that earns part of the points, or has feedback of its own; an answer that
    earns every point without feedback is its plain text (see short_answer)."""
    text: str
    weight: int = 100  # percent of the points: 0 for an expected wrong answer that has feedback
    feedback: str | None = None


def short_answer(text: str, weight: int = 100, feedback: str | None = None) -> str | ShortAnswer:
    """An accepted answer in its simplest form: the text alone when it earns every point silently."""
    return text if weight == 100 and not feedback else ShortAnswer(text=text, weight=weight, feedback=feedback)


@dataclass(frozen=True, kw_only=True)
class NumberAnswer:
    """A numerical answer after the first: a number (± tolerance) or a range, the percent of the
    points it earns (0 for an expected wrong number that has feedback) and its feedback."""
    answer: float | None = None
    tolerance: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    weight: int = 100
    feedback: str | None = None


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
    answers: list[str | ShortAnswer] = field(default_factory=list)  # short
    case_sensitive: bool = False
    pairs: list[MatchPair] = field(default_factory=list)  # matching
    distractors: list[str] = field(default_factory=list)  # matching: right-hand choices that match no item
    tolerance: float | None = None  # numerical: answer ± tolerance
    minimum: float | None = None  # numerical: or a range
    maximum: float | None = None
    other_answers: list[NumberAnswer] = field(default_factory=list)  # numerical: more answers, each worth a share
    wrong_feedback: str | None = None  # numerical: shown when the number given matches no answer
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
    proctored: bool = False  # a final exam: a proctor opens each attempt in person

    @property
    def drawn(self) -> int:
        return self.draw or len(self.questions)

    @property
    def minutes(self) -> int:
        """Contact time of one attempt: a fixed allowance per question drawn."""
        return QUESTION_MINUTES * self.drawn


# --- courses, modules, lessons -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Activity:
    """Something a learner does alone in a lesson (a written reflection, an exercise)."""
    title: str
    minutes: int


@dataclass(frozen=True, kw_only=True)
class Lesson(SourceFile):
    slug: str
    title: str
    words: int  # as the lesson reads on the page
    activities: list[Activity]
    competencies: list[str]  # the competencies this lesson teaches (codes from framework.yml)
    content_note: str | None
    body: str  # Markdown
    body_line: int  # the line of the file where the body starts

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)

    @property
    def minutes(self) -> int:
        """The lesson's time: its reading time plus its activities."""
        return self.reading_minutes + sum(activity.minutes for activity in self.activities)


@dataclass(frozen=True, kw_only=True)
class Lab:
    """Practice with other trainees and a facilitator. Its minutes count toward training
    hours in its domain only for those who attend a session."""
    slug: str
    title: str
    minutes: int
    domain: str
    practice: str  # Markdown: what trainees practice
    required: bool  # attendance is needed to complete the module


@dataclass(frozen=True, kw_only=True)
class Module(SourceFile):
    slug: str
    title: str
    summary: str
    objectives: list[str]
    contact_hours: dict[str, float]  # self-paced hours (lessons and quiz) by training domain code
    competencies: list[str]
    prerequisites: list[str]  # module slugs of the same course
    lessons: list[Lesson]
    labs: list[Lab]
    quiz: Quiz | None
    references: list[str]

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    @property
    def lesson_minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def quiz_minutes(self) -> int:
        return self.quiz.minutes if self.quiz else 0

    @property
    def self_paced_minutes(self) -> int:
        """What the lessons and the quiz give: the most `contact_hours` may claim."""
        return self.lesson_minutes + self.quiz_minutes


@dataclass(frozen=True, kw_only=True)
class Course(SourceFile):
    slug: str
    title: str
    summary: str
    modules: list[Module]
    final_exam: Quiz | None = None  # a proctored exam over the whole course (course.yml final_exam)

    def module(self, slug: str) -> Module | None:
        return next((module for module in self.modules if module.slug == slug), None)


@dataclass(frozen=True, kw_only=True)
class Library:
    """Everything under one content folder, checked and consistent."""

    framework: Framework
    tracks: dict[str, Track]
    documents: dict[str, Document]
    courses: dict[str, Course]
    warnings: list[Problem] = field(default_factory=list)  # reported, but nothing is refused for them
