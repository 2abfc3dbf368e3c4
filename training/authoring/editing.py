"""Staff editing content in the browser: drafts, publishing, history, restore and order.

Publishing always makes a new LessonVersion; nothing is edited in place. A publish based
on an older version than the current one is refused with EditConflict, so two staff
editing the same lesson never overwrite each other. Callers commit.
"""
from __future__ import annotations

import difflib
import json

from flask_babel import gettext as _
from sqlalchemy import func, select

from training.courses.content import Problem, hash_text, is_slug
from training.courses.files import RESERVED_LESSON_SLUGS
from training.quizzes.bank import competency_codes
from training.courses.lessonlinks import check_lesson_links
from training.courses.markdownfiles import parse_lesson
from training.courses.operations import add_version, render_lesson, update_order_lists
from training.extensions import db
from training.models import Course, Lesson, LessonDraft, LessonVersion, Module, User

# Titles are written as JSON strings, which YAML reads as double-quoted scalars, so any
# characters a person types (colons, quotes, #) stay valid YAML.
NEW_LESSON = """---
title: {title}
---

## {heading}

Write the lesson here.
"""
NEW_MODULE = """title: {title}
summary: {summary}
objectives:
  - Describe what trainees will be able to do.
lessons: []
"""
NEW_COURSE = """title: {title}
summary: {summary}
modules: []
"""


class EditConflict(Exception):
    """The lesson was published by someone else after this editor opened it."""

    def __init__(self, current: LessonVersion):
        super().__init__("the lesson changed since you opened it")
        self.current = current


class ContentInvalid(ValueError):
    """The text has problems; `problems` says where and what."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def lesson_file_path(lesson: Lesson) -> str:
    return f"{lesson.module.course.slug}/{lesson.module.slug}/{lesson.slug}.md"


def check_lesson_source(lesson: Lesson, source: str):
    """The parsed lesson, or ContentInvalid listing every problem (line numbers as in the file),
    the same checks `courses check` makes, links to other lessons included."""
    problems: list[Problem] = []
    parsed = parse_lesson(lesson_file_path(lesson), lesson.slug, source, problems, competency_codes())
    if parsed is not None:
        check_lesson_links([(lesson.module.slug, parsed)], _existing_lessons(lesson.module.course), problems)
    if problems or parsed is None:
        raise ContentInvalid(problems or [Problem(lesson_file_path(lesson), 1, _("this lesson could not be read"))])
    return parsed


def _existing_lessons(course: Course) -> set[tuple[str, str]]:
    return set(db.session.execute(
        select(Module.slug, Lesson.slug).join(Lesson, Lesson.module_id == Module.id)
        .where(Module.course_id == course.id, Lesson.retired_at.is_(None))).all())


def preview(lesson: Lesson, source: str) -> str:
    """Rendered, sanitised HTML for the editor's preview (raises ContentInvalid)."""
    parsed = check_lesson_source(lesson, source)
    return _render(lesson, parsed.body)[0]


def _render(lesson: Lesson, body: str):
    course = lesson.module.course
    existing = _existing_lessons(course)
    return render_lesson(body, course.slug, lesson.module.slug, lambda m, l: (m, l) in existing)


def save_draft(lesson: Lesson, author: User, source: str, base_version_id: int | None) -> LessonDraft:
    """Keep an unpublished edit (even one with problems): work is never lost."""
    draft = db.session.scalar(select(LessonDraft).where(
        LessonDraft.lesson_id == lesson.id, LessonDraft.author_id == author.id))
    if draft is None:
        draft = LessonDraft(lesson_id=lesson.id, author_id=author.id, source=source)
        db.session.add(draft)
    draft.source, draft.base_version_id = source, base_version_id
    db.session.flush()
    return draft


def draft_for(lesson: Lesson, author: User) -> LessonDraft | None:
    return db.session.scalar(select(LessonDraft).where(
        LessonDraft.lesson_id == lesson.id, LessonDraft.author_id == author.id))


def publish(lesson: Lesson, author: User, source: str, base_version_id: int | None,
            note: str = "") -> LessonVersion | None:
    """Publish `source` as a new version. Returns None when the text equals the current one.

    Raises EditConflict when someone published since `base_version_id`, and ContentInvalid
    when the text has problems; in both cases nothing is published.
    """
    current = db.session.get(LessonVersion, lesson.current_version_id) if lesson.current_version_id else None
    if current is not None and current.id != base_version_id:
        raise EditConflict(current)
    parsed = check_lesson_source(lesson, source)
    if current is not None and current.content_hash == hash_text(source):
        return None
    html, toc = _render(lesson, parsed.body)
    version = add_version(lesson, parsed, html, toc, origin="editor", author=author, note=note.strip())
    draft = draft_for(lesson, author)
    if draft is not None:
        db.session.delete(draft)
    return version


def restore(lesson: Lesson, version: LessonVersion, author: User) -> LessonVersion:
    """Publish an old version's text again, as a new version (history is never rewritten)."""
    parsed = check_lesson_source(lesson, version.source)
    html, toc = _render(lesson, parsed.body)
    return add_version(lesson, parsed, html, toc, origin="restore", author=author,
                       note=f"Restored from version {version.number}")


def diff_lines(older: LessonVersion, newer: LessonVersion) -> list[tuple[str, str]]:
    """A unified diff of two versions' texts as (kind, line) pairs: add, remove, hunk or same."""
    lines = difflib.unified_diff(older.source.splitlines(), newer.source.splitlines(),
                                 f"version {older.number}", f"version {newer.number}", lineterm="", n=3)
    kinds = {"+": "add", "-": "remove", "@": "hunk"}
    return [(kinds.get(line[:1], "same"), line) for line in list(lines)[2:]]


def _check_new_slug(slug: str, taken: set[str]) -> None:
    if not is_slug(slug):
        raise ContentInvalid([Problem("slug", 1, _("use lower-case letters, digits and single hyphens, "
                                                   "like sharing-your-story (at most 60 characters)"))])
    if slug in taken:
        raise ContentInvalid([Problem("slug", 1, _("“%(slug)s” is already used here; choose another", slug=slug))])


def add_lesson(module: Module, slug: str, title: str, author: User) -> Lesson:
    """A new lesson at the end of `module`, with a starter text published as version 1."""
    if slug in RESERVED_LESSON_SLUGS:
        raise ContentInvalid([Problem("slug", 1, _("“%(slug)s” is the address of the module's quiz; choose another",
                                                   slug=slug))])
    _check_new_slug(slug, {lesson.slug for lesson in module.lessons})
    position = (db.session.scalar(select(func.max(Lesson.position)).where(Lesson.module_id == module.id)) or 0) + 1
    lesson = Lesson(module=module, slug=slug, position=position)
    db.session.add(lesson)
    db.session.flush()
    parsed = check_lesson_source(lesson, NEW_LESSON.format(title=json.dumps(title.strip()),
                                                           heading=title.strip()))
    html, toc = _render(lesson, parsed.body)
    add_version(lesson, parsed, html, toc, origin="editor", author=author, note="New lesson")
    db.session.flush()
    db.session.expire(module, ["lessons"])  # include the new lesson in the order list
    update_order_lists(module.course)
    return lesson


def add_module(course: Course, slug: str, title: str, summary: str) -> Module:
    """A new, empty module at the end of `course`."""
    _check_new_slug(slug, {module.slug for module in course.modules})
    summary = (summary or "").strip()
    source = NEW_MODULE.format(title=json.dumps(title.strip()), summary=json.dumps(summary or title.strip()))
    module = Module(course=course, slug=slug, position=len(course.modules), title=title.strip(),
                    summary=summary, details={"objectives": []},
                    source=source, files_hash="")
    db.session.add(module)
    db.session.flush()
    db.session.expire(course, ["modules"])  # include the new module in the order list
    update_order_lists(course)
    return module


def create_course(slug: str, title: str, summary: str) -> Course:
    _check_new_slug(slug, set(db.session.scalars(select(Course.slug))))
    summary = (summary or "").strip()
    course = Course(slug=slug, title=title.strip(), summary=summary,
                    source=NEW_COURSE.format(title=json.dumps(title.strip()), summary=json.dumps(summary or title.strip())),
                    files_hash="")
    db.session.add(course)
    db.session.flush()
    return course


def move(item: Lesson | Module, direction: str) -> None:
    """Swap a lesson or module with its neighbour ("up" or "down") and rewrite the order lists."""
    siblings = ([l for l in item.module.lessons if l.retired_at is None] if isinstance(item, Lesson)
                else [m for m in item.course.modules if m.retired_at is None])
    index = siblings.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    db.session.flush()
    course = item.module.course if isinstance(item, Lesson) else item.course
    db.session.expire(course, ["modules"])
    for module in course.modules:
        db.session.expire(module, ["lessons"])
    update_order_lists(course)
