"""What a person has read: course outlines with progress, locks and what to do next.

Each function loads what a page needs in a fixed number of queries, however many
modules and lessons a course has.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from training.courses.content import QUESTION_MINUTES
from training.extensions import db
from training.labs.progress import attended
from training.models import (Course, Lab, Lesson, LessonProgress, LessonVersion, Module, Quiz, QuizAttempt,
                             QuizKind, QuizQuestion, utcnow)
from training.quizzes.attempts import results_by_quiz


@dataclass
class LessonState:
    id: int
    slug: str
    title: str
    minutes: int
    completed_at: datetime | None = None
    viewed_at: datetime | None = None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass
class ModuleState:
    module: Module
    lessons: list[LessonState] = field(default_factory=list)
    locked_by: list[Module] = field(default_factory=list)  # prerequisites not yet complete
    quiz: Quiz | None = None
    quiz_result: QuizAttempt | None = None  # the attempt that counts, once one is marked
    labs: list[Lab] = field(default_factory=list)
    labs_attended: set[int] = field(default_factory=set)  # lab ids the reader attended in full
    quiz_pool: int = 0  # questions in use

    @property
    def done(self) -> int:
        return sum(lesson.completed for lesson in self.lessons)

    @property
    def lessons_complete(self) -> bool:
        return bool(self.lessons) and self.done == len(self.lessons)

    @property
    def quiz_passed(self) -> bool:
        return self.quiz_result is not None and bool(self.quiz_result.passed)

    @property
    def labs_to_attend(self) -> list[Lab]:
        """Required labs not yet attended in full."""
        return [lab for lab in self.labs if lab.required and lab.id not in self.labs_attended]

    @property
    def complete(self) -> bool:
        """Every lesson read, the quiz (if any) passed and every required lab attended."""
        return self.lessons_complete and (self.quiz is None or self.quiz_passed) and not self.labs_to_attend

    @property
    def lesson_minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def quiz_minutes(self) -> int:
        return quiz_minutes(self.quiz, self.quiz_pool)

    @property
    def lab_minutes(self) -> int:
        return sum(lab.minutes for lab in self.labs)

    @property
    def locked(self) -> bool:
        return bool(self.locked_by)

    def remaining(self) -> list[Step]:
        """What is left before the module is complete, in order: unread lessons, the quiz, required labs."""
        steps = [Step(Step.LESSON, self, lesson=lesson) for lesson in self.lessons if not lesson.completed]
        if self.quiz is not None and not self.quiz_passed:
            steps.append(Step(Step.QUIZ, self))
        steps += [Step(Step.LAB, self, lab=lab) for lab in self.labs_to_attend]
        return steps


@dataclass(eq=False)
class Step:
    """One thing a trainee still has to do in a module: read a lesson, pass its quiz or attend a lab."""

    LESSON, QUIZ, LAB = "lesson", "quiz", "lab"

    kind: str
    module: ModuleState
    lesson: LessonState | None = None
    lab: Lab | None = None

    def target(self, course_slug: str) -> tuple[str, dict]:
        """The endpoint and its values for the page where this step is done (for `url_for`)."""
        if self.kind == Step.LESSON:
            return "courses.lesson", {"course_slug": course_slug, "module_slug": self.module.module.slug,
                                      "lesson_slug": self.lesson.slug}
        if self.kind == Step.QUIZ:
            return "quizzes.overview", {"course_slug": course_slug, "module_slug": self.module.module.slug}
        return "labs.lab", {"lab_id": self.lab.id}


@dataclass
class CourseOutline:
    course: Course
    modules: list[ModuleState]
    exam: Quiz | None = None  # the final exam, when asked for (`with_exam`)
    exam_result: QuizAttempt | None = None  # the exam attempt that counts, once one is marked

    @property
    def exam_passed(self) -> bool:
        return self.exam_result is not None and bool(self.exam_result.passed)

    @property
    def total(self) -> int:
        return sum(len(m.lessons) for m in self.modules)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def self_paced_minutes(self) -> int:
        return sum(m.lesson_minutes + m.quiz_minutes for m in self.modules)

    @property
    def lab_minutes(self) -> int:
        return sum(m.lab_minutes for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def ordered(self) -> list[tuple[ModuleState, LessonState]]:
        return [(m, lesson) for m in self.modules for lesson in m.lessons]

    def find(self, module_slug: str, lesson_slug: str):
        """(module state, lesson state, previous, next) for a lesson, or None."""
        ordered = self.ordered()
        for index, (module, lesson) in enumerate(ordered):
            if module.module.slug == module_slug and lesson.slug == lesson_slug:
                before = ordered[index - 1] if index > 0 else None
                after = ordered[index + 1] if index + 1 < len(ordered) else None
                return module, lesson, before, after
        return None

    def next_step(self) -> Step | None:
        """The first thing left to do (a lesson, a quiz, a lab) in a module that is open; None when
        every open module is complete."""
        for module in self.modules:
            remaining = [] if module.locked else module.remaining()
            if remaining:
                return remaining[0]
        return None

    def still_to_do(self) -> list[str]:
        """What remains in the whole course, in words: ["3 lessons to read", "1 module quiz to pass", ...]."""
        steps = [step for module in self.modules for step in module.remaining()]
        lessons, quizzes, labs = (sum(step.kind == kind for step in steps)
                                  for kind in (Step.LESSON, Step.QUIZ, Step.LAB))
        words = [(lessons, ngettext("%(num)d lesson to read", "%(num)d lessons to read", lessons)),
                 (quizzes, ngettext("%(num)d module quiz to pass", "%(num)d module quizzes to pass", quizzes)),
                 (labs, ngettext("%(num)d practice lab to attend", "%(num)d practice labs to attend", labs))]
        return [said for count, said in words if count]

    def prerequisites_of(self, module: ModuleState) -> list[ModuleState]:
        """The states of the modules that keep `module` locked."""
        waiting = {locked_by.id for locked_by in module.locked_by}
        return [state for state in self.modules if state.module.id in waiting]

    def after_completing(self, module: ModuleState, after) -> Step | None:
        """Where a trainee goes once a lesson of `module` is complete: the next lesson of the same
        module; once its lessons are read, what the module still needs (an unread lesson, its quiz,
        a required lab); then the next lesson of the course; None at the end of the course.
        `after` is the (module, lesson) that follows in reading order, as `find` gives it."""
        if after is not None and after[0] is module:
            return Step(Step.LESSON, module, lesson=after[1])
        remaining = module.remaining()
        if remaining:
            return remaining[0]
        if after is not None:
            return Step(Step.LESSON, after[0], lesson=after[1])
        return None

    def resume(self):
        """The lesson opened most recently, if any."""
        viewed = [(lesson.viewed_at, module, lesson) for module, lesson in self.ordered() if lesson.viewed_at]
        if not viewed:
            return None
        _, module, lesson = max(viewed, key=lambda item: item[0])
        return module, lesson


def quiz_minutes(quiz: Quiz | None, pool: int) -> int:
    """Contact time of one attempt (courses/README.md): a fixed allowance per question drawn."""
    if quiz is None:
        return 0
    return QUESTION_MINUTES * min(quiz.settings.get("draw") or pool, pool)


def course_outline(course: Course, reader_id: int | None, *, apply_locks: bool,
                   with_exam: bool = False) -> CourseOutline:
    """The course's open modules, lessons, quizzes and labs with `reader_id`'s progress (seven queries);
    `with_exam` also reads the course's final exam and its result, in the same queries."""
    modules = db.session.scalars(select(Module).where(
        Module.course_id == course.id, Module.retired_at.is_(None)).order_by(Module.position, Module.id)).all()
    states = {m.id: ModuleState(module=m) for m in modules}
    rows = db.session.execute(
        select(Lesson.id, Lesson.slug, Lesson.module_id, LessonVersion.title, LessonVersion.minutes)
        .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.module_id.in_(states), Lesson.retired_at.is_(None))
        .order_by(Lesson.position, Lesson.id)).all()
    lessons = {}
    for row in rows:
        lessons[row.id] = LessonState(id=row.id, slug=row.slug, title=row.title, minutes=row.minutes)
        states[row.module_id].lessons.append(lessons[row.id])
    if reader_id is not None and lessons:
        for lesson_id, completed_at, viewed_at in db.session.execute(
                select(LessonProgress.lesson_id, LessonProgress.completed_at, LessonProgress.last_viewed_at)
                .where(LessonProgress.trainee_id == reader_id, LessonProgress.lesson_id.in_(lessons))):
            lessons[lesson_id].completed_at = completed_at
            lessons[lesson_id].viewed_at = viewed_at
    exam = None
    if states:
        wanted = Quiz.module_id.in_(states) & (Quiz.kind == QuizKind.MODULE)
        if with_exam:
            wanted = wanted | ((Quiz.course_id == course.id) & (Quiz.kind == QuizKind.EXAM))
        for quiz in db.session.scalars(select(Quiz).where(wanted, Quiz.retired_at.is_(None))):
            if quiz.kind == QuizKind.EXAM:
                exam = quiz
            else:
                states[quiz.module_id].quiz = quiz
        quiz_modules = {state.quiz.id: state for state in states.values() if state.quiz is not None}
        if quiz_modules:
            for quiz_id, pool in db.session.execute(
                    select(QuizQuestion.quiz_id, func.count(QuizQuestion.id))
                    .where(QuizQuestion.quiz_id.in_(quiz_modules), QuizQuestion.retired_at.is_(None))
                    .group_by(QuizQuestion.quiz_id)):
                quiz_modules[quiz_id].quiz_pool = pool
        for lab in db.session.scalars(select(Lab).where(Lab.module_id.in_(states), Lab.retired_at.is_(None))
                                      .order_by(Lab.position, Lab.id)):
            states[lab.module_id].labs.append(lab)
        if reader_id is not None:
            completed = attended([reader_id])[reader_id].completed
            for state in states.values():
                state.labs_attended = completed
    quizzes = {state.quiz.id: state for state in states.values() if state.quiz is not None}
    exam_result = None
    if reader_id is not None:
        results = results_by_quiz(reader_id, list(quizzes) + ([exam.id] if exam is not None else []))
        exam_result = results.pop(exam.id, None) if exam is not None else None
        for quiz_id, attempt in results.items():
            quizzes[quiz_id].quiz_result = attempt
    ordered = [states[m.id] for m in modules]
    if apply_locks:
        by_slug = {state.module.slug: state for state in ordered}
        for state in ordered:
            state.locked_by = [by_slug[slug].module for slug in state.module.prerequisites
                               if slug in by_slug and not by_slug[slug].complete]
    return CourseOutline(course=course, modules=ordered, exam=exam, exam_result=exam_result)


def catalogue(reader_id: int | None) -> list[tuple[Course, int, int]]:
    """Open courses with (lessons in total, lessons completed by the reader): two queries."""
    totals = db.session.execute(
        select(Course, func.count(Lesson.id))
        .outerjoin(Module, (Module.course_id == Course.id) & Module.retired_at.is_(None))
        .outerjoin(Lesson, (Lesson.module_id == Module.id) & Lesson.retired_at.is_(None)
                   & Lesson.current_version_id.is_not(None))
        .where(Course.retired_at.is_(None)).group_by(Course.id).order_by(Course.title)).all()
    done = {}
    if reader_id is not None:
        done = dict(db.session.execute(
            select(Module.course_id, func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .join(Module, Module.id == Lesson.module_id)
            .where(LessonProgress.trainee_id == reader_id, LessonProgress.completed_at.is_not(None),
                   Lesson.retired_at.is_(None), Module.retired_at.is_(None))
            .group_by(Module.course_id)).all())
    return [(course, total, done.get(course.id, 0)) for course, total in totals]


def _progress_row(trainee_id: int, lesson_id: int) -> LessonProgress:
    row = db.session.scalar(select(LessonProgress).where(
        LessonProgress.trainee_id == trainee_id, LessonProgress.lesson_id == lesson_id))
    if row is None:
        row = LessonProgress(trainee_id=trainee_id, lesson_id=lesson_id, last_viewed_at=utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # a second tab opened the same lesson at the same moment
            row = db.session.scalar(select(LessonProgress).where(
                LessonProgress.trainee_id == trainee_id, LessonProgress.lesson_id == lesson_id))
    return row


def record_view(trainee_id: int, lesson_id: int) -> None:
    """Remember that the trainee opened the lesson now (for "resume where you left off")."""
    _progress_row(trainee_id, lesson_id).last_viewed_at = utcnow()


def complete_lesson(trainee_id: int, lesson: Lesson) -> LessonProgress:
    """Mark a lesson complete, recording the version read. Completing again changes nothing,
    and later edits to the lesson never undo a completion."""
    row = _progress_row(trainee_id, lesson.id)
    if row.completed_at is None:
        row.completed_at = utcnow()
        row.completed_version_id = lesson.current_version_id
    return row
