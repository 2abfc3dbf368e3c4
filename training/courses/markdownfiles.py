"""Markdown files with a YAML header: lessons and documents, and the checks on their text."""
from __future__ import annotations

import re
from pathlib import Path

import nh3

from training.courses.content import CALLOUT_KINDS, Activity, Document, Lesson, Problem, is_slug
from training.courses.fields import (
    bad_slug_message, read_competency_codes, read_date, read_items, read_number, read_text,
)
from training.courses.reading import (
    FileReader, mapping_fields, parse_yaml, read_source, split_front_matter,
)
from training.rendering import render_markdown

# Python-Markdown's own pattern for a callout's first line: kind words, then an optional "title".
CALLOUT_LINE = re.compile(r'^(\s*)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
CALLOUT_START = re.compile(r"^\s*!!!")
FENCE = re.compile(r"^\s*(```|~~~)")
LEVEL_ONE_HEADING = re.compile(r"^#(?!#)\s*\S")
SETEXT_LEVEL_ONE_UNDERLINE = re.compile(r"^=+\s*$")
DOCUMENTS_FOLDER = "documents"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
ACTIVITY_MAX_MINUTES = 90
OBSOLETE_MINUTES = ("remove 'minutes': a lesson's time is computed from its words (200 a minute) plus the "
                    "minutes of the activities it declares under 'activities'")
# Practice with another person is a lab, never self-paced lesson time (courses/README.md).
WITH_OTHERS = re.compile(r"role[- ]?play|partner|\bpairs?\b|small group|in a group|observed practice|"
                         r"\bobserver\b", re.IGNORECASE)


def load_lesson(root: Path, path: str, slug: str, problems: list[Problem],
                competency_codes: set[str] | None = None) -> Lesson | None:
    """Read one lesson file; None (with problems recorded) when anything in it is wrong."""
    source = read_source(root, path, problems)
    if source is None:
        return None
    return parse_lesson(path, slug, source, problems, competency_codes)


def parse_lesson(path: str, slug: str, source: str, problems: list[Problem],
                 competency_codes: set[str] | None = None) -> Lesson | None:
    """Check one lesson's text (from a file or the browser editor); None when anything is wrong."""
    problems_before = len(problems)
    front = split_front_matter(path, source, problems, needs="title")
    if front is None:
        return None
    reader = FileReader(path, problems, line_offset=1)
    fields = mapping_fields(
        reader, parse_yaml(reader, front.header), required={"title"},
        optional={"content_note", "activities", "competencies"},
        what="the lesson header", obsolete={"minutes": OBSOLETE_MINUTES},
    )
    if fields is None:
        return None
    title = read_text(reader, fields, "title")
    content_note = read_text(reader, fields, "content_note")
    activities = read_activities(reader, fields)
    competencies = read_competency_codes(reader, fields, "competencies", competency_codes)
    html = check_markdown_body(path, front.body, front.body_line, problems)
    if len(problems) > problems_before:
        return None
    return Lesson(
        path=path, source=source, slug=slug, title=title, words=count_words(html), activities=activities,
        competencies=competencies, content_note=content_note, body=front.body, body_line=front.body_line,
    )


def count_words(html: str) -> int:
    """The words of rendered text as a reader sees them (tags and link addresses left out)."""
    return len(WORD.findall(nh3.clean(html, tags=set())))


def read_activities(reader: FileReader, fields) -> list[Activity]:
    """Self-paced activities: a title and honest minutes each; practice with others is a lab."""
    activities = []
    for node in read_items(reader, fields, "activities"):
        activity = mapping_fields(reader, node, required={"title", "minutes"}, optional=set(),
                                  what="an activity")
        if activity is None:
            continue
        title = read_text(reader, activity, "title")
        minutes = read_number(reader, activity, "minutes", whole=True, minimum=1, maximum=ACTIVITY_MAX_MINUTES)
        if title and WITH_OTHERS.search(title):
            reader.report(activity.get("title"), f"'{title}' needs another person, so it is not self-paced lesson "
                                                 "time: make it a lab in module.yml (labs:), which counts for "
                                                 "those who attend")
        elif title and minutes:
            activities.append(Activity(title=title, minutes=minutes))
    return activities


def load_documents(root: Path, problems: list[Problem]) -> dict[str, Document]:
    """Read every documents/*.md (the documents trainees attest to)."""
    documents = {}
    folder = root / DOCUMENTS_FOLDER
    if not folder.is_dir():
        return documents
    for file in sorted(folder.iterdir()):
        path = f"{DOCUMENTS_FOLDER}/{file.name}"
        if file.name.startswith(".") or file.is_dir():
            continue
        if file.suffix != ".md":
            problems.append(Problem(path, 1, "only .md files are read in documents/; rename it or move it "
                                             "elsewhere"))
        elif not is_slug(file.stem):
            problems.append(Problem(path, 1, "the file name " + bad_slug_message(file.stem)))
        elif document := load_document(root, path, file.stem, problems):
            documents[document.slug] = document
    return documents


def load_document(root: Path, path: str, slug: str, problems: list[Problem]) -> Document | None:
    """Read one document (such as the code of ethics) that trainees attest to."""
    source = read_source(root, path, problems)
    if source is None:
        return None
    problems_before = len(problems)
    front = split_front_matter(path, source, problems, needs="title, version and effective")
    if front is None:
        return None
    reader = FileReader(path, problems, line_offset=1)
    fields = mapping_fields(
        reader, parse_yaml(reader, front.header),
        required={"title", "version", "effective"}, optional=set(), what="the document header",
    )
    if fields is None:
        return None
    title = read_text(reader, fields, "title")
    version = read_text(reader, fields, "version")
    effective = read_date(reader, fields, "effective")
    check_markdown_body(path, front.body, front.body_line, problems)
    if len(problems) > problems_before:
        return None
    return Document(
        path=path, source=source, slug=slug, title=title, version=version, effective=effective,
        body=front.body, body_line=front.body_line,
    )


def lines_outside_code(body: str, first_line: int):
    """(line number, text) for each line of a Markdown body that is not inside a fenced code block."""
    in_fence = False
    for offset, text in enumerate(body.split("\n")):
        if FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield first_line + offset, text


def check_markdown_body(path: str, body: str, first_line: int, problems: list[Problem]) -> str:
    """Callouts of known kinds with a body, and no # headings (the page shows the title as #).
    Returns the body rendered as HTML."""
    lines = list(lines_outside_code(body, first_line))
    for index, (line, text) in enumerate(lines):
        if CALLOUT_START.match(text):
            check_callout(path, line, text, lines[index + 1:], problems)
    html = render_markdown(body).html
    if "<h1" in html:
        line = first_level_one_heading(lines) or first_line
        problems.append(Problem(path, line, "start headings at ##; the page shows the title as the only #"))
    return html


def check_callout(path: str, line: int, text: str, following: list[tuple[int, str]], problems: list[Problem]):
    """A known kind, a quoted title, and an indented body (without one the callout shows empty)."""
    def report(message: str) -> None:
        problems.append(Problem(path, line, message))

    match = CALLOUT_LINE.match(text)
    if match is None:
        report('write a callout as !!! kind "Title", with the title in double quotes')
        return
    indent, words = match.group(1), match.group(2).split()
    unknown = [word for word in words if word not in CALLOUT_KINDS]
    if unknown and words[0] in CALLOUT_KINDS:
        # Python-Markdown reads unquoted title words as extra kinds, and the title disappears.
        report(f'put the callout title in double quotes: !!! {words[0]} "{" ".join(words[1:])}"')
    elif unknown:
        report(f"unknown callout kind '{unknown[0]}'; use one of " + ", ".join(CALLOUT_KINDS))
    body_lines = [text for _, text in following if text.strip()]
    if not body_lines or not body_lines[0].startswith(indent + "    "):
        report("this callout has no text; indent the lines that belong to it by four spaces")


def first_level_one_heading(lines: list[tuple[int, str]]) -> int | None:
    for index, (line, text) in enumerate(lines):
        if LEVEL_ONE_HEADING.match(text):
            return line
        if index and SETEXT_LEVEL_ONE_UNDERLINE.match(text) and lines[index - 1][1].strip():
            return lines[index - 1][0]
    return None
