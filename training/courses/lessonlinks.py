"""Links between lessons: where a `.md` link points, and whether that lesson and heading exist.

Lessons link to each other by file (`other.md`, `../module/lesson.md#heading`), so the
links work when the files are read on a code host too. The web pages rewrite them with
`lesson_link_target` (see training.rendering.render_markdown's resolve_lesson_link).
"""
from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urlsplit

from training.courses.content import Lesson, Problem
from training.rendering import render_markdown

HTML_ID = re.compile(r'\sid="([^"]*)"')


@dataclass(frozen=True)
class LessonLink:
    """The lesson a link points to, in the same course as the lesson that links."""

    module: str
    lesson: str
    anchor: str | None


def lesson_link_target(href: str, module_slug: str) -> LessonLink | None:
    """Where a relative `.md` link in a lesson of `module_slug` points; None when it leaves the course.

    `gifts.md` is a lesson of the same module and `../ethics/scope.md#part` one of another
    module; anything deeper, higher or absolute is not a lesson of this course.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    joined = posixpath.normpath(posixpath.join(module_slug, unquote(parts.path)))
    pieces = joined.split("/")
    if len(pieces) != 2 or pieces[0] in ("", ".", ".."):
        return None
    return LessonLink(module=pieces[0], lesson=pieces[1].removesuffix(".md"), anchor=parts.fragment or None)


@dataclass(frozen=True)
class RenderedLesson:
    module: str
    lesson: Lesson
    hrefs: list[str]  # every relative .md link, in the order they appear
    anchors: set[str]  # every id on the page, headings and footnotes


def render_for_links(module_slug: str, lesson: Lesson) -> RenderedLesson:
    hrefs: list[str] = []

    def record(href: str) -> str:
        hrefs.append(href)
        return "#"

    html = render_markdown(lesson.body, resolve_lesson_link=record).html
    anchors = {unescape(anchor) for anchor in HTML_ID.findall(html)}
    return RenderedLesson(module=module_slug, lesson=lesson, hrefs=hrefs, anchors=anchors)


def check_lesson_links(
    lessons: list[tuple[str, Lesson]], existing: set[tuple[str, str]], problems: list[Problem]
) -> None:
    """Report links to lessons that do not exist, leave the course, or name a missing heading.

    `lessons` are the course's lessons that could be read, with their module slugs;
    `existing` is every (module, lesson) whose file exists, read or not.
    """
    rendered = {(module, lesson.slug): render_for_links(module, lesson) for module, lesson in lessons}
    for page in rendered.values():
        for href, line in zip(page.hrefs, link_lines(page.lesson, page.hrefs)):
            message = link_problem(href, page.module, rendered, existing)
            if message:
                problems.append(Problem(page.lesson.path, line, message))


def link_problem(
    href: str, module_slug: str, rendered: dict[tuple[str, str], RenderedLesson], existing: set[tuple[str, str]]
) -> str | None:
    target = lesson_link_target(href, module_slug)
    if target is None:
        return (f"the link '{href}' does not lead to a lesson of this course; link to other-lesson.md "
                "in the same module or ../module-slug/lesson-slug.md in another module")
    if (target.module, target.lesson) not in existing:
        return f"the link '{href}' points to a lesson that does not exist{suggest_lesson(href, module_slug, existing)}"
    page = rendered.get((target.module, target.lesson))
    if target.anchor and page is not None and target.anchor not in page.anchors:
        headings = ", ".join(sorted(anchor for anchor in page.anchors if ":" not in anchor)) or "none"
        return (f"the link '{href}' points to #{target.anchor}, but that lesson has no heading with that anchor; "
                f"its heading anchors are: {headings}")
    return None


def suggest_lesson(href: str, module_slug: str, existing: set[tuple[str, str]]) -> str:
    """'; did you mean ...' with the closest link that would work, if one is close."""
    candidates = [
        f"{lesson}.md" if module == module_slug else f"../{module}/{lesson}.md" for module, lesson in existing
    ]
    close = difflib.get_close_matches(href.split("#")[0], candidates, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def link_lines(lesson: Lesson, hrefs: list[str]) -> list[int]:
    """The file line of each link, found by searching the body for its href in order."""
    lines = []
    search_from: dict[str, int] = {}
    for href in hrefs:
        position = lesson.body.find(href, search_from.get(href, 0))
        if position < 0:
            # The href was written differently (escaped, or in <angle brackets>); point at the body.
            lines.append(lesson.body_line)
            continue
        search_from[href] = position + len(href)
        lines.append(lesson.body_line + lesson.body.count("\n", 0, position))
    return lines
