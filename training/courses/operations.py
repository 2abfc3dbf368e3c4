"""Importing content files into the database, and exporting them back.

Files are the source of truth until staff edit in the browser; then the database holds
the newer text until `courses export` writes it back. Sync therefore compares each file
with the hash it had at the previous sync (`files_hash`), not with the database text: a
file nobody touched never overwrites an edit made in the browser.

These functions add and flush; the CLI command or view that calls them commits.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from training.courses import content as files
from training.courses.export import set_yaml_list
from training.courses.lessonlinks import lesson_link_target
from training.extensions import db
from training.models import ContentFile, Course, Lesson, LessonVersion, Module, Quiz, QuizKind, User, utcnow
from training.labs.sync import sync_labs
from training.quizzes.bank import sync_exam, sync_quiz
from training.rendering import render_markdown


def lesson_path(course_slug: str, module_slug: str, lesson_slug: str) -> str:
    """The reader's URL of a lesson (stored inside rendered HTML, so kept in one place)."""
    return f"/courses/{course_slug}/{module_slug}/{lesson_slug}"


@dataclass
class SyncReport:
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.counts:
            return "Nothing changed."
        return ", ".join(f"{name}: {count}" for name, count in sorted(self.counts.items()))


def render_lesson(body: str, course_slug: str, module_slug: str, exists) -> tuple[str, list]:
    """Render a lesson body; `.md` links become reader URLs when `exists(module, lesson)`."""
    def resolve(href):
        target = lesson_link_target(href, module_slug)
        if target is None or not exists(target.module, target.lesson):
            return None
        anchor = f"#{target.anchor}" if target.anchor else ""
        return lesson_path(course_slug, target.module, target.lesson) + anchor
    rendered = render_markdown(body, resolve_lesson_link=resolve)
    toc = [{"level": entry.level, "anchor": entry.anchor, "title": entry.title} for entry in rendered.toc]
    return rendered.html, toc


def add_version(lesson: Lesson, parsed: files.Lesson, html: str, toc: list, *, origin: str,
                author: User | None = None, note: str = "") -> LessonVersion:
    """A new published version of `lesson`, numbered after the last one."""
    last = db.session.scalar(select(func.max(LessonVersion.number)).where(LessonVersion.lesson_id == lesson.id))
    version = LessonVersion(
        lesson=lesson, number=(last or 0) + 1, title=parsed.title, minutes=parsed.minutes,
        content_note=parsed.content_note, source=parsed.source, content_hash=parsed.content_hash,
        html=html, toc=toc, origin=origin, note=note, created_by_id=author.id if author else None,
        created_at=utcnow())
    db.session.add(version)
    db.session.flush()
    lesson.current_version_id = version.id
    return version


def sync_library(library: files.Library) -> SyncReport:
    """Bring the database in line with a checked Library; returns what changed."""
    report = SyncReport()
    _sync_shared_files(library, report)
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    for parsed in library.courses.values():
        _sync_course(parsed, courses.get(parsed.slug), report)
    for slug, course in courses.items():
        if slug not in library.courses and course.retired_at is None and course.files_hash:
            course.retired_at = utcnow()
            report.counts["courses retired"] += 1
    db.session.flush()
    return report


def _sync_shared_files(library: files.Library, report: SyncReport) -> None:
    shared = [library.framework, *library.tracks.values(), *library.documents.values()]
    stored = {f.path: f for f in db.session.scalars(select(ContentFile))}
    for item in shared:
        row = stored.get(item.path)
        if row is None:
            db.session.add(ContentFile(path=item.path, source=item.source, content_hash=item.content_hash))
            report.counts["shared files added"] += 1
        elif row.content_hash != item.content_hash:
            row.source, row.content_hash = item.source, item.content_hash
            report.counts["shared files updated"] += 1


def _sync_course(parsed: files.Course, course: Course | None, report: SyncReport) -> None:
    if course is None:
        course = Course(slug=parsed.slug, title=parsed.title, summary=parsed.summary,
                        source=parsed.source, files_hash=parsed.content_hash)
        db.session.add(course)
        db.session.flush()
        report.counts["courses added"] += 1
        course_file_changed = True
    else:
        course_file_changed = course.files_hash != parsed.content_hash
        if course_file_changed:
            course.title, course.summary = parsed.title, parsed.summary
            course.source, course.files_hash = parsed.source, parsed.content_hash
            report.counts["courses updated"] += 1
        if course.retired_at is not None:
            course.retired_at = None
            report.counts["courses restored"] += 1
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))}
    known_lessons = {(m.slug, l.slug) for m in parsed.modules for l in m.lessons}
    for position, parsed_module in enumerate(parsed.modules):
        module, module_changed = _sync_module(course, parsed_module, modules.get(parsed_module.slug), report)
        if course_file_changed:
            module.position = position
        _sync_lessons(course, module, parsed_module, known_lessons, report, reorder=module_changed)
        sync_quiz(module, parsed_module.quiz, report.counts)
        if module_changed:
            sync_labs(course, module, parsed_module.labs, report.counts)
    sync_exam(course, parsed.final_exam, report.counts)
    wanted = {m.slug for m in parsed.modules}
    for slug, module in modules.items():
        if slug not in wanted and module.retired_at is None and module.files_hash:
            module.retired_at = utcnow()
            report.counts["modules retired"] += 1


def _module_details(parsed: files.Module) -> dict:
    return {"objectives": parsed.objectives, "contact_hours": parsed.contact_hours,
            "competencies": parsed.competencies,
            "prerequisites": parsed.prerequisites, "references": parsed.references,
            "quiz_path": parsed.quiz.path if parsed.quiz else None}


def _sync_module(course: Course, parsed: files.Module, module: Module | None, report) -> tuple[Module, bool]:
    """The module row for `parsed`, and whether its file changed since the last sync."""
    if module is None:
        module = Module(course=course, slug=parsed.slug, position=len(course.modules),
                        files_hash="", source=parsed.source)
        db.session.add(module)
        report.counts["modules added"] += 1
    elif module.files_hash == parsed.content_hash:
        if module.retired_at is not None:
            module.retired_at = None
            report.counts["modules restored"] += 1
        return module, False
    else:
        report.counts["modules updated"] += 1
    module.title, module.summary = parsed.title, parsed.summary
    module.details = _module_details(parsed)
    module.source, module.files_hash = parsed.source, parsed.content_hash
    module.retired_at = None
    db.session.flush()
    return module, True


def _sync_lessons(course: Course, module: Module, parsed: files.Module, known_lessons, report, *,
                  reorder: bool) -> None:
    lessons = {l.slug: l for l in db.session.scalars(select(Lesson).where(Lesson.module_id == module.id))}
    current_hashes = dict(db.session.execute(
        select(Lesson.id, LessonVersion.content_hash)
        .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.module_id == module.id)).all())
    for position, parsed_lesson in enumerate(parsed.lessons):
        lesson = lessons.get(parsed_lesson.slug)
        if lesson is None:
            lesson = Lesson(module=module, slug=parsed_lesson.slug, position=position)
            db.session.add(lesson)
            db.session.flush()
            report.counts["lessons added"] += 1
        elif reorder:
            lesson.position = position
        if lesson.retired_at is not None:
            lesson.retired_at = None
            report.counts["lessons restored"] += 1
        if lesson.files_hash == parsed_lesson.content_hash:
            continue  # this file has not changed since the last sync
        lesson.files_hash = parsed_lesson.content_hash
        if current_hashes.get(lesson.id) == parsed_lesson.content_hash:
            continue  # the database already has this text (e.g. exported and synced back)
        html, toc = render_lesson(parsed_lesson.body, course.slug, module.slug,
                                  lambda m, l: (m, l) in known_lessons)
        add_version(lesson, parsed_lesson, html, toc, origin="files")
        report.counts["lesson versions created"] += 1
    wanted = {l.slug for l in parsed.lessons}
    for slug, lesson in lessons.items():
        # Only lessons that came from files retire when their file goes; a lesson added in
        # the browser and not yet exported stays.
        if slug not in wanted and lesson.retired_at is None and lesson.files_hash:
            lesson.retired_at = utcnow()
            report.counts["lessons retired"] += 1


def database_files() -> dict[str, str]:
    """Every published content file as {relative path: text}, ready for export."""
    result = {f.path: f.source for f in db.session.scalars(select(ContentFile))}
    rows = db.session.execute(
        select(Course, Module, Quiz, Lesson, LessonVersion)
        .join(Module, Module.course_id == Course.id)
        .outerjoin(Quiz, (Quiz.module_id == Module.id) & Quiz.retired_at.is_(None))
        .outerjoin(Lesson, (Lesson.module_id == Module.id) & Lesson.retired_at.is_(None))
        .outerjoin(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Course.retired_at.is_(None), Module.retired_at.is_(None))).all()
    for exam in db.session.scalars(select(Quiz).join(Course, Course.id == Quiz.course_id).where(
            Quiz.kind == QuizKind.EXAM, Quiz.retired_at.is_(None), Course.retired_at.is_(None))):
        result[exam.path] = exam.source
    for course, module, quiz, lesson, version in rows:
        result[f"{course.slug}/course.yml"] = course.source
        result[f"{course.slug}/{module.slug}/module.yml"] = module.source
        if quiz is not None:
            result[quiz.path] = quiz.source
        if lesson is not None and version is not None:
            result[f"{course.slug}/{module.slug}/{lesson.slug}.md"] = version.source
    return result


def update_order_lists(course: Course) -> None:
    """Rewrite the order lists in course.yml and module.yml after a browser change,
    keeping the authors' comments and formatting."""
    modules = [m for m in course.modules if m.retired_at is None]
    course.source = set_yaml_list(course.source, "modules", [m.slug for m in modules])
    for module in modules:
        lessons = [l for l in module.lessons if l.retired_at is None]
        module.source = set_yaml_list(module.source, "lessons", [l.slug for l in lessons])
