"""Reading an attempt's answers from a submitted form.

Options are sent as their position on the page, never as their index in the file, so the
page says nothing about which option the authors wrote first. A value the page could not
have sent (an option that is not shown, a question not in the attempt) means the form was
tampered with: the whole form is refused and nothing is recorded.
"""
from __future__ import annotations

import re

from training.inputs import whole_number
from training.quizzes.grading import parse_number

SHORT_ANSWER_LIMIT = 500
ESSAY_LIMIT = 20_000
FIELD_PATTERN = re.compile(r"q(\d+)(?:-(\d+))?")


class TamperedForm(Exception):
    """The form holds something this attempt's page could not have sent."""


def field_name(position: int, left: int | None = None) -> str:
    return f"q{position}" if left is None else f"q{position}-{left}"


def read_answers(items: list, form) -> tuple[dict[int, object], dict[int, str]]:
    """({position: answer or None}, {position: what to fix}) for every item of the attempt.

    `items` have .position, .question (data) and .shown_order; `form` is a MultiDict.
    """
    by_position = {item.position: item for item in items}
    for name in form.keys():
        if not name.startswith("q"):
            continue  # csrf_token, action
        match = FIELD_PATTERN.fullmatch(name)
        item = by_position.get(int(match.group(1))) if match else None
        rows = len(item.question.get("pairs", [])) if item is not None and item.question["type"] == "matching" else 0
        is_row = match is not None and match.group(2) is not None
        if item is None or is_row != bool(rows) or (is_row and int(match.group(2)) >= rows):
            raise TamperedForm(f"the form has an answer field '{name[:20]}' that is not part of this attempt")
    answers, errors = {}, {}
    for position, item in by_position.items():
        answer, error = READERS[item.question["type"]](item, form)
        answers[position] = answer
        if error:
            errors[position] = error
    return answers, errors


def _shown_option(item, value: str) -> int:
    """The file index of the option shown at position `value` (as sent by the page)."""
    index = whole_number(value)
    if index is None or index >= len(item.shown_order):
        raise TamperedForm(f"question {item.position} has no option '{value[:20]}'")
    return item.shown_order[index]


def _values(item, form) -> list[str]:
    return form.getlist(field_name(item.position))


def _one_value(item, form) -> str | None:
    values = _values(item, form)
    if len(values) > 1:
        raise TamperedForm(f"question {item.position} takes one answer, but {len(values)} were sent")
    return values[0] if values else None


def _read_single(item, form):
    value = _one_value(item, form)
    return (None if value is None else _shown_option(item, value)), None


def _read_multiple(item, form):
    chosen = sorted({_shown_option(item, value) for value in _values(item, form)})
    return (chosen or None), None


def _read_true_false(item, form):
    value = _one_value(item, form)
    if value is None:
        return None, None
    if value not in ("true", "false"):
        raise TamperedForm(f"question {item.position} is true or false, not '{value[:20]}'")
    return value == "true", None


def _read_text(limit: int):
    def read(item, form):
        value = _one_value(item, form)
        if value is None or not value.strip():
            return None, None
        if len(value) > limit:
            return value, f"This answer is {len(value):,} characters long; please shorten it to {limit:,} or fewer."
        return value.replace("\r\n", "\n"), None
    return read


def _read_numerical(item, form):
    value = _one_value(item, form)
    if value is None or not value.strip():
        return None, None
    number = parse_number(value)
    if number is None:
        return value, "Please enter a number, such as 12 or 3.5."
    return number, None


def _read_matching(item, form):
    answer = {}
    for left in range(len(item.question["pairs"])):
        values = form.getlist(field_name(item.position, left))
        if len(values) > 1:
            raise TamperedForm(f"question {item.position} takes one choice per row")
        if values and values[0] != "":
            answer[str(left)] = _shown_option(item, values[0])
    return (answer or None), None


READERS = {
    "single": _read_single,
    "multiple": _read_multiple,
    "true_false": _read_true_false,
    "short": _read_text(SHORT_ANSWER_LIMIT),
    "essay": _read_text(ESSAY_LIMIT),
    "numerical": _read_numerical,
    "matching": _read_matching,
}


def form_values(item, answer) -> dict:
    """What the page shows as already chosen for `answer`: {field name: [values]}."""
    kind = item.question["type"]
    if answer is None:
        return {}
    name = field_name(item.position)
    if kind in ("single", "multiple"):
        chosen = answer if isinstance(answer, list) else [answer]
        return {name: [str(item.shown_order.index(index)) for index in chosen if index in item.shown_order]}
    if kind == "true_false":
        return {name: ["true" if answer else "false"]}
    if kind == "matching":
        return {field_name(item.position, int(left)): [str(item.shown_order.index(chosen))]
                for left, chosen in answer.items() if chosen in item.shown_order}
    if kind == "numerical" and isinstance(answer, float) and answer.is_integer():
        return {name: [str(int(answer))]}
    return {name: [str(answer)]}
