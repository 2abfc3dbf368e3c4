"""The lesson page, assembled from parts cached per content revision and the reader's own rows.

A lesson is read far more often than it changes. What depends only on the content (the
course's shape: modules, lessons, quizzes and required labs in reading order; a lesson's
breadcrumb, body, contents list, content note, quiz link and previous/next links) is built once
per process and content revision (training/courses/revision.py) as plain data and HTML. Per
request the page reads the revision with the reader's progress, as plain rows in one query, and
only for a module with prerequisites whose lessons are all read, the results that could still lock it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import bindparam, null, select, union_all

from training.extensions import Kept, db, read_rows
from training.labs.progress import attended
from training.models import ContentRevision, Course, Lab, Lesson, LessonProgress, LessonVersion, Module, Quiz, QuizKind
from training.quizzes.attempts import results_by_quiz



@dataclass(frozen=True)
class ShapeLesson:
    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class ShapeModule:
    id: int
    slug: str
    title: str
    prerequisites: tuple[str, ...]
    lessons: tuple[ShapeLesson, ...]
    quiz_id: int | None  # the module quiz, when the module has one
    required_labs: frozenset[int]


@dataclass(frozen=True)
class Place:
    """Where a lesson sits: its module, itself, and the (module, lesson) before and after it."""
    module: ShapeModule
    lesson: ShapeLesson
    before: tuple[ShapeModule, ShapeLesson] | None
    after: tuple[ShapeModule, ShapeLesson] | None


@dataclass(frozen=True)
class CourseShape:
    """An open course's open modules and published lessons in reading order, as plain data."""
    id: int
    slug: str
    title: str
    modules: tuple[ShapeModule, ...]
    places: dict[tuple[str, str], Place] = field(default_factory=dict)
    lesson_ids: frozenset[int] = frozenset()

    def find(self, module_slug: str, lesson_slug: str) -> Place | None:
        return self.places.get((module_slug, lesson_slug))

    def prerequisites_of(self, module: ShapeModule) -> list[ShapeModule]:
        wanted = set(module.prerequisites)
        return [other for other in self.modules if other.slug in wanted]


@dataclass(frozen=True)
class LessonParts:
    """A lesson's HTML that is the same for every reader, split where the reader's own parts go."""
    title: str
    minutes: int
    top: Markup  # breadcrumb, then the article's heading (the "completed" line follows it)
    article: Markup  # content note, contents list, body: the rest of the article
    bottom: Markup  # the module quiz link and previous/next, after the reader's "mark complete"


_shapes = Kept(64)  # (course slug, revision), unknown slugs too
_parts = Kept(2048)  # (revision, lesson, language, script root)


def course_shape(slug: str, revision: int) -> CourseShape | None:
    """The open course `slug` as it is at `revision` (None when there is no such open course)."""
    return _shapes.get((slug, revision), lambda: _load_shape(slug))


def _load_shape(slug: str) -> CourseShape | None:
    course = db.session.execute(select(Course.id, Course.slug, Course.title)
                                .where(Course.slug == slug, Course.retired_at.is_(None))).first()
    if course is None:
        return None
    modules = db.session.execute(
        select(Module.id, Module.slug, Module.title, Module.details)
        .where(Module.course_id == course.id, Module.retired_at.is_(None))
        .order_by(Module.position, Module.id)).all()
    module_ids = [module.id for module in modules]
    lessons: dict[int, list[ShapeLesson]] = {module_id: [] for module_id in module_ids}
    quizzes: dict[int, int] = {}
    labs: dict[int, set[int]] = {module_id: set() for module_id in module_ids}
    if module_ids:
        for row in db.session.execute(
                select(Lesson.id, Lesson.slug, Lesson.module_id, LessonVersion.title)
                .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
                .where(Lesson.module_id.in_(module_ids), Lesson.retired_at.is_(None))
                .order_by(Lesson.position, Lesson.id)):
            lessons[row.module_id].append(ShapeLesson(row.id, row.slug, row.title))
        quizzes = dict(db.session.execute(select(Quiz.module_id, Quiz.id).where(
            Quiz.module_id.in_(module_ids), Quiz.kind == QuizKind.MODULE, Quiz.retired_at.is_(None))).all())
        for module_id, lab_id in db.session.execute(select(Lab.module_id, Lab.id).where(
                Lab.module_id.in_(module_ids), Lab.required.is_(True), Lab.retired_at.is_(None))):
            labs[module_id].add(lab_id)
    shaped = tuple(ShapeModule(m.id, m.slug, m.title, tuple((m.details or {}).get("prerequisites", [])),
                               tuple(lessons[m.id]), quizzes.get(m.id), frozenset(labs[m.id])) for m in modules)
    ordered = [(module, lesson) for module in shaped for lesson in module.lessons]
    places = {}
    for index, (module, lesson) in enumerate(ordered):
        places[(module.slug, lesson.slug)] = Place(
            module, lesson, ordered[index - 1] if index else None,
            ordered[index + 1] if index + 1 < len(ordered) else None)
    return CourseShape(course.id, course.slug, course.title, shaped, places,
                       frozenset(lesson.id for _, lesson in ordered))


def lesson_parts(revision: int, shape: CourseShape, place: Place) -> LessonParts:
    """The lesson's shared HTML at `revision`, rendered once per process and language."""
    return _parts.get((revision, place.lesson.id, str(get_locale()), request.script_root),
                      lambda: _render_parts(shape, place))


def _render_parts(shape: CourseShape, place: Place) -> LessonParts:
    version = db.session.execute(
        select(LessonVersion.title, LessonVersion.minutes, LessonVersion.content_note, LessonVersion.html,
               LessonVersion.toc)
        .join(Lesson, Lesson.current_version_id == LessonVersion.id).where(Lesson.id == place.lesson.id)).one()
    macro = "courses/_lesson_parts.html"
    return LessonParts(title=version.title, minutes=version.minutes,
                       top=get_template_attribute(macro, "top")(shape, place, version),
                       article=get_template_attribute(macro, "article")(shape, place, version),
                       bottom=get_template_attribute(macro, "bottom")(shape, place))


@dataclass(frozen=True)
class Reading:
    """One lesson as the reader left it."""
    completed_at: datetime | None
    viewed_at: datetime | None


# The reader's lesson rows (a few dozen at most: a statement without a list of ids is compiled
# once and reused), then the content revision, in one round trip. The revision row comes last;
# the first branch's columns give the result its types.
_PROGRESS_AND_REVISION = union_all(
    select(LessonProgress.lesson_id, LessonProgress.completed_at, LessonProgress.last_viewed_at, null())
    .where(LessonProgress.trainee_id == bindparam("reader_id")),
    select(null(), null(), null(), ContentRevision.value).where(ContentRevision.id == 1))


def progress_and_revision(reader_id: int) -> tuple[dict[int, Reading], int]:
    """The reader's progress on every lesson they opened, by lesson id, and the content revision
    (one query, plain rows; read together, the revision is as old as the progress or older)."""
    progress, revision = {}, 0
    for lesson_id, completed_at, viewed_at, value in read_rows(_PROGRESS_AND_REVISION, {"reader_id": reader_id}):
        if lesson_id is None:
            revision = value or 0
        else:
            progress[lesson_id] = Reading(completed_at, viewed_at)
    return progress, revision


def in_course(progress: dict[int, Reading], shape: CourseShape) -> dict[int, Reading]:
    """`progress` kept to the course's open lessons."""
    return {lesson_id: reading for lesson_id, reading in progress.items() if lesson_id in shape.lesson_ids}


def last_viewed(progress: dict[int, Reading]) -> int | None:
    """The lesson opened most recently (what "resume where you left off" offers)."""
    viewed = [(reading.viewed_at, lesson_id) for lesson_id, reading in progress.items() if reading.viewed_at]
    return max(viewed)[1] if viewed else None


def is_locked(shape: CourseShape, module: ShapeModule, progress: dict[int, Reading], reader_id: int) -> bool:
    """True while a prerequisite of `module` is not complete: a lesson unread, its quiz not passed
    or a required lab not attended (the same rule as progress.CourseOutline's locks). Reads quiz
    results and attendance only when every prerequisite lesson is read."""
    before = shape.prerequisites_of(module)
    if not before:
        return False
    for other in before:
        if not other.lessons or any(progress.get(lesson.id) is None or progress[lesson.id].completed_at is None
                                    for lesson in other.lessons):
            return True
    quizzes = [other.quiz_id for other in before if other.quiz_id is not None]
    if quizzes:
        results = results_by_quiz(reader_id, quizzes)
        if any(results.get(quiz_id) is None or not results[quiz_id].passed for quiz_id in quizzes):
            return True
    labs = frozenset().union(*(other.required_labs for other in before))
    return bool(labs) and not labs <= attended([reader_id])[reader_id].completed
