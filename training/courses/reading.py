"""Reading content files so that every problem names the file and the line to fix.

PyYAML's `compose` keeps the position of every key and value. The functions here turn a
file into nodes and a mapping node into named fields, and record a kind, concrete Problem
for anything wrong instead of stopping at the first error. fields.py reads typed values.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from training.courses.content import Problem


@dataclass
class FileReader:
    """One file being read: its path for messages and the list its problems go to."""

    path: str
    problems: list[Problem]
    line_offset: int = 0  # lines of the file before the YAML text (the --- of a header)

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def report(self, where: yaml.Node | int, message: str) -> None:
        """Record a problem at a node, or at a line number of the file."""
        line = where if isinstance(where, int) else self.line_of(where)
        self.problems.append(Problem(self.path, line, message))


@dataclass
class Fields:
    """The fields of one YAML mapping by name, with the line of each key."""

    line: int
    values: dict[str, yaml.Node] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> yaml.Node | None:
        return self.values.get(name)

    def key_line(self, name: str) -> int:
        return self.key_lines.get(name, self.line)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split at its header: the YAML between the --- lines, then the body."""

    header: str
    body: str
    body_line: int  # the line of the file where the body starts


def read_source(root: Path, path: str, problems: list[Problem]) -> str | None:
    """A file's exact text (line endings untouched), or None after reporting why it cannot be read."""
    try:
        with open(root / path, encoding="utf-8", newline="") as file:
            return file.read()
    except FileNotFoundError:
        problems.append(Problem(path, 1, "this file is missing"))
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        problems.append(Problem(path, line, "this file is not UTF-8 text; save it with UTF-8 encoding"))
    except OSError as error:
        problems.append(Problem(path, 1, f"this file cannot be read: {error.strerror}"))
    return None


def split_front_matter(path: str, text: str, problems: list[Problem], needs: str) -> FrontMatter | None:
    """Split a Markdown file at the header between its first two --- lines.

    `needs` names the header's required fields, for the message when the header is missing.
    """
    lines = text.split("\n")
    if lines[0].lstrip("\ufeff").rstrip() != "---":
        problems.append(Problem(path, 1, f"start the file with a header between two --- lines ({needs}); "
                                         "the first line should be just ---"))
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter(
                header="\n".join(lines[1:index]), body="\n".join(lines[index + 1:]), body_line=index + 2
            )
    problems.append(Problem(path, 1, "the header that starts on line 1 never ends; "
                                     "add a line with just --- after its last field"))
    return None


def parse_yaml(reader: FileReader, text: str) -> yaml.Node | None:
    """Compose YAML text into nodes; report a syntax error or an empty file and return None."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + reader.line_offset if mark else 1 + reader.line_offset
        what_went_wrong = ", ".join(part for part in (error.context, error.problem) if part)
        reader.report(line, f"YAML syntax error: {what_went_wrong}; {syntax_hint(what_went_wrong)}")
        return None
    except yaml.YAMLError as error:
        reader.report(1 + reader.line_offset, f"YAML syntax error: {error}")
        return None
    if node is None:
        reader.report(1 + reader.line_offset, "this is empty; it needs the fields described in courses/README.md")
    return node


def syntax_hint(problem: str) -> str:
    """The most likely fix for the YAML mistakes people make most often."""
    if "mapping values are not allowed" in problem:
        return ("if this line is text that contains ': ', put the text in quotes "
                "or start it with > on the line above")
    if "\\t" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected a single document" in problem:
        return "a file holds one YAML document, so remove the extra --- line"
    return "check the indentation and the quotes on this line and the one before"


def describe(node: yaml.Node) -> str:
    """What a node is, in words for a message."""
    if isinstance(node, yaml.MappingNode):
        return "a set of 'name: value' fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = scalar_value(node)
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({node.value})"
    if isinstance(value, (int, float)):
        return f"a number ({node.value})"
    if isinstance(value, date):
        return f"a date ({node.value})"
    return f"text ('{node.value}')"


def shown(node: yaml.Node) -> str:
    """A node as the author wrote it, for quoting in a message."""
    return node.value if isinstance(node, yaml.ScalarNode) else describe(node)


def scalar_value(node: yaml.Node):
    """The Python value of a scalar node, with YAML's usual types (numbers, true/false, dates)."""
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        # An impossible date such as 2026-02-30 lands here; callers then see plain text.
        return node.value if isinstance(node, yaml.ScalarNode) else None


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and scalar_value(node) is None


def mapping_fields(
    reader: FileReader, node: yaml.Node | None, *, required: set[str], optional: set[str], what: str,
    obsolete: dict[str, str] | None = None,
) -> Fields | None:
    """Check a mapping's keys and return its fields; report unknown, repeated and missing ones.

    An optional field set to null (`provisional: null`) counts as absent. `obsolete` maps
    fields that are no longer read to the message that says what replaced them.
    """
    obsolete = obsolete or {}
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        reader.report(node, f"{what} should be a set of 'name: value' fields, but it is {describe(node)}")
        return None
    allowed = required | optional
    fields = Fields(line=reader.line_of(node))
    suggested: set[str] = set()  # a misspelt required field is reported once, as the typo
    for key_node, value_node in node.value:
        key = scalar_value(key_node)
        if not isinstance(key, str):
            reader.report(key_node, f"{what}: field names are words, not {describe(key_node)}")
        elif key in obsolete:
            reader.report(key_node, obsolete[key])
        elif key in fields.key_lines:
            reader.report(key_node, f"'{key}' appears twice in {what}; keep only one")
        elif key not in allowed:
            reader.report(key_node, f"unknown field '{key}' in {what}{did_you_mean(key, allowed)}")
            suggested.update(difflib.get_close_matches(key, list(allowed), n=1))
        else:
            fields.key_lines[key] = reader.line_of(key_node)
            if not is_null(value_node):
                fields.values[key] = value_node
            elif key in required:
                reader.report(key_node, f"'{key}' in {what} is empty; give it a value")
    for name in sorted(required - fields.key_lines.keys() - suggested):
        reader.report(fields.line, f"{what} needs the field '{name}'")
    return fields


def did_you_mean(word: str, choices: set[str] | list[str] | tuple[str, ...]) -> str:
    """'; did you mean 'title'?' for a likely typo, else the full list of choices."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; the fields here are: " + ", ".join(sorted(choices))
