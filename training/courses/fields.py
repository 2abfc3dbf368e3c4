"""Typed fields of a YAML mapping: text, numbers, dates, lists, slugs and codes.

Each function returns the value, or None (or an empty list) after recording a problem
that says what to write instead.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime

import yaml

from training.courses.content import COMPETENCY_CODE_PATTERN, is_slug
from training.courses.reading import Fields, FileReader, describe, scalar_value, shown


def read_text(reader: FileReader, fields: Fields, name: str) -> str | None:
    """A text field; a number or date is refused so that '1.0' stays '1.0'."""
    node = fields.get(name)
    if node is None:
        return None
    value = scalar_value(node)
    if isinstance(node, yaml.ScalarNode) and isinstance(value, str):
        if not value.strip():
            reader.report(node, f"'{name}' is empty; give it some text")
            return None
        # Block scalars (> and |) end in a newline, or not at the end of a header; drop it either way.
        return value.strip()
    if isinstance(node, yaml.ScalarNode):
        reader.report(node, f"'{name}' should be text, but it is {describe(node)}; put it in quotes")
    else:
        reader.report(node, f"'{name}' should be text, but it is {describe(node)}")
    return None


def read_number(
    reader: FileReader, fields: Fields, name: str, *, whole: bool = False, minimum: float | None = 0,
    maximum: float | None = None,
) -> float | int | None:
    """A number field (a whole number if `whole`), within minimum..maximum."""
    node = fields.get(name)
    if node is None:
        return None
    value = scalar_value(node)
    kind = "a whole number" if whole else "a number"
    wrong_type = (isinstance(value, bool) or not isinstance(value, int if whole else (int, float))
                  or not math.isfinite(value))
    if not isinstance(node, yaml.ScalarNode) or wrong_type:
        reader.report(node, f"'{name}' should be {kind}, but it is {describe(node)}")
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        reader.report(node, f"'{name}' is {value}; it should be {number_range(minimum, maximum)}")
        return None
    return value


def number_range(minimum: float | None, maximum: float | None) -> str:
    if maximum is None:
        return f"{minimum} or more"
    if minimum is None:
        return f"{maximum} or less"
    return f"from {minimum} to {maximum}"


def read_bool(reader: FileReader, fields: Fields, name: str) -> bool | None:
    node = fields.get(name)
    if node is None:
        return None
    value = scalar_value(node)
    if isinstance(node, yaml.ScalarNode) and isinstance(value, bool):
        return value
    reader.report(node, f"'{name}' should be true or false, but it is {describe(node)}")
    return None


def read_date(reader: FileReader, fields: Fields, name: str) -> date | None:
    node = fields.get(name)
    if node is None:
        return None
    value = scalar_value(node)
    if isinstance(node, yaml.ScalarNode) and isinstance(value, date) and not isinstance(value, datetime):
        return value
    reader.report(node, f"'{name}' should be a date written as YYYY-MM-DD, but it is {describe(node)}")
    return None


def read_choice(reader: FileReader, fields: Fields, name: str, choices: tuple[str, ...]) -> str | None:
    node = fields.get(name)
    if node is None:
        return None
    value = scalar_value(node)
    if isinstance(value, str) and value in choices:
        return value
    reader.report(node, f"'{name}' should be one of {', '.join(choices)}, but it is {describe(node)}")
    return None


def read_items(reader: FileReader, fields: Fields, name: str) -> list[yaml.Node]:
    """The item nodes of a list field; an absent or wrong field gives an empty list."""
    node = fields.get(name)
    if node is None:
        return []
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    reader.report(node, f"'{name}' should be a list, but it is {describe(node)}")
    return []


def read_text_list(reader: FileReader, fields: Fields, name: str) -> list[str]:
    texts = []
    for item in read_items(reader, fields, name):
        value = scalar_value(item)
        if isinstance(item, yaml.ScalarNode) and isinstance(value, str) and value.strip():
            texts.append(value.strip())
        else:
            reader.report(item, f"each item of '{name}' should be text, but this one is {describe(item)}")
    return texts


def read_slug_list(reader: FileReader, fields: Fields, name: str) -> list[tuple[str, int]]:
    """A list of slugs with the line of each; reports malformed and repeated slugs."""
    slugs: list[tuple[str, int]] = []
    for item in read_items(reader, fields, name):
        value = scalar_value(item)
        if not isinstance(item, yaml.ScalarNode) or not isinstance(value, str):
            reader.report(item, f"each item of '{name}' should be a slug, but this one is {describe(item)}")
        elif not is_slug(value):
            reader.report(item, bad_slug_message(value))
        elif value in {slug for slug, _ in slugs}:
            reader.report(item, f"'{value}' is listed twice in '{name}'; list it once")
        else:
            slugs.append((value, reader.line_of(item)))
    return slugs


def bad_slug_message(text: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    example = f" (for example '{suggestion}')" if suggestion and suggestion != text else ""
    return (
        f"'{text}' is not a valid slug: use lower-case letters, digits and single hyphens, "
        f"at most 60 characters{example}"
    )


def read_competency_codes(reader: FileReader, fields: Fields, name: str, known: set[str] | None) -> list[str]:
    """A list of competency codes (C01.2); reports malformed, repeated and unknown codes.

    `known` is None when framework.yml could not be read: its own problem is the one to fix first.
    """
    codes: list[str] = []
    for item in read_items(reader, fields, name):
        value = scalar_value(item)
        if not isinstance(value, str) or not COMPETENCY_CODE_PATTERN.fullmatch(value):
            reader.report(item, f"'{shown(item)}' is not a competency code; they look like C01.2")
        elif value in codes:
            reader.report(item, f"'{value}' is listed twice in '{name}'; list it once")
        elif known is not None and value not in known:
            reader.report(item, f"unknown competency code '{value}'; codes are listed in framework.yml")
        else:
            codes.append(value)
    return codes


def read_amounts(
    reader: FileReader, fields: Fields, name: str, *, known: set[str] | None, kind: str, whole: bool = False,
    key_pattern: re.Pattern | None = None,
) -> dict[str, float]:
    """A mapping of code to a number of hours (or items), such as contact_hours by domain.

    Keys are slugs unless `key_pattern` says otherwise (competency codes, for example).
    """
    node = fields.get(name)
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        reader.report(node, f"'{name}' should be a set of '{kind}: number' lines, but it is {describe(node)}")
        return {}
    amounts: dict[str, float] = {}
    for key_node, value_node in node.value:
        key = scalar_value(key_node)
        well_formed = isinstance(key, str) and (key_pattern.fullmatch(key) if key_pattern else is_slug(key))
        if not well_formed:
            reader.report(key_node, f"'{shown(key_node)}' in '{name}' is not a {kind} code")
            continue
        if key in amounts:
            reader.report(key_node, f"'{key}' appears twice in '{name}'; keep only one")
            continue
        if known is not None and key not in known:
            reader.report(key_node, f"unknown {kind} code '{key}' in '{name}'; {where_codes_live(kind, known)}")
            continue
        amount = read_number(reader, Fields(line=0, values={key: value_node}), key, whole=whole)
        if amount is not None:
            amounts[key] = amount
    return amounts


def where_codes_live(kind: str, known: set[str]) -> str:
    if kind in ("training domain", "competency"):
        return "codes are listed in framework.yml"
    return "the codes are: " + ", ".join(sorted(known))
