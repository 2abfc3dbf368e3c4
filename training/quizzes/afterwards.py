"""What a trainee's module quiz result leads to: after a result that did not pass, the lessons
to look back over; after a pass, what the module still needs and the next module.

Lessons are matched to what was missed by competency: a question's `competencies` and a
lesson's `competencies` header use the same framework codes (courses/README.md). When nothing
matches (untagged questions or lessons), every lesson of the module is offered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from sqlalchemy import select

from training.courses.progress import CourseOutline, LessonState, ModuleState, Step
from training.courses.reading import split_front_matter
from training.extensions import db
from training.models import Lesson, LessonVersion, QuizAttempt, QuizQuestion
from training.quizzes.drawing import competencies_of


@dataclass
class AfterResult:
    outline: CourseOutline
    module: ModuleState
    review: list[LessonState] = field(default_factory=list)  # lessons to look back over (not passed)
    matched: bool = False            # `review` holds the lessons that teach what was missed
    next_module: ModuleState | None = None

    @property
    def module_remaining(self) -> list[Step]:
        """What the module still needs after this result (an unread lesson, a required lab)."""
        return [step for step in self.module.remaining() if step.kind != Step.QUIZ]


def missed_competencies(attempt: QuizAttempt) -> set[str]:
    """The framework codes of the questions the attempt did not get fully right (one query
    when a scenario's question was missed, for the scenario's own codes; none otherwise)."""
    missed = [item for item in attempt.items if item.points is not None and item.points < item.max_points]
    codes: set[str] = set()
    for item in missed:
        codes |= competencies_of(item.question)
    scenario_ids = {item.question_id for item in missed if item.part is not None}
    if scenario_ids:
        for data in db.session.scalars(select(QuizQuestion.data).where(QuizQuestion.id.in_(scenario_ids))):
            codes |= set((data or {}).get("competencies") or [])
    return codes


@lru_cache(maxsize=512)
def lesson_competencies(source: str) -> frozenset[str]:
    """The `competencies` header of a lesson file's text (empty when it has none)."""
    front = split_front_matter("lesson", source, [], needs="title")
    try:
        header = yaml.safe_load(front.header) if front is not None else None
    except yaml.YAMLError:
        return frozenset()
    codes = header.get("competencies") if isinstance(header, dict) else None
    return frozenset(str(code) for code in codes) if isinstance(codes, list) else frozenset()


def lessons_teaching(codes: set[str], lessons: list[LessonState]) -> list[LessonState]:
    """Those of `lessons` (in their order) whose current version teaches any of `codes` (one query)."""
    if not codes or not lessons:
        return []
    sources = dict(db.session.execute(
        select(Lesson.id, LessonVersion.source).join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.id.in_([lesson.id for lesson in lessons]))).all())
    return [lesson for lesson in lessons if codes & lesson_competencies(sources.get(lesson.id, ""))]


def after_result(attempt: QuizAttempt, outline: CourseOutline) -> AfterResult | None:
    """Where a graded attempt at a module's quiz leads its trainee; None for an exam or an
    attempt not yet graded."""
    if attempt.quiz.is_exam or attempt.percent is None:
        return None
    index = next((i for i, state in enumerate(outline.modules) if state.module.id == attempt.quiz.module_id), None)
    if index is None:
        return None
    module = outline.modules[index]
    after = AfterResult(outline=outline, module=module,
                        next_module=outline.modules[index + 1] if index + 1 < len(outline.modules) else None)
    if not attempt.passed:
        after.review = lessons_teaching(missed_competencies(attempt), module.lessons)
        after.matched = bool(after.review)
        if not after.review:
            after.review = list(module.lessons)
    return after
