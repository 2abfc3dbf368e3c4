"""What the attempt and result pages show for each item, worked out once here so the
templates only lay it out. Correct answers are filled in only when `reviewed` is set,
which the views do only after submission."""
from __future__ import annotations

from dataclasses import dataclass, field

from training.quizzes.answers import field_name, form_values
from training.quizzes.grading import (matched_number, matched_short_answer, matching_choices, parse_number,
                                      short_answers)


@dataclass
class Choice:
    value: str           # what the page sends: the position the option is shown at
    text: str
    chosen: bool
    correct: bool = False
    feedback: str | None = None
    partial: int | None = None  # a nearly right single option: the percent of the points it earns (review only)


@dataclass
class MatchRow:
    name: str            # the form field of this row
    left: str
    chosen_value: str
    chosen_text: str | None = None
    right_text: str | None = None  # the correct right-hand side (review only)


@dataclass
class ItemView:
    position: int
    kind: str
    data: dict
    item: object
    scenario: dict | None = None       # set on the first item of a scenario: {"id", "vignette", "size"}
    in_scenario: bool = False
    choices: list[Choice] = field(default_factory=list)
    rows: list[MatchRow] = field(default_factory=list)
    right_choices: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    before: list[dict] = field(default_factory=list)  # descriptions shown before the item: {"id", "text"}
    after: list[dict] = field(default_factory=list)   # and after it, on the last item
    error: str | None = None
    answered: bool = False
    key: str | None = None             # the correct answer in words (review only)
    feedback: str | None = None        # feedback for the answer given: true/false, short, numerical (review only)

    @property
    def field(self) -> str:
        return field_name(self.position)


def _values_from_form(item, form) -> dict[str, list[str]]:
    prefix = field_name(item.position)
    return {name: form.getlist(name) for name in form.keys() if name == prefix or name.startswith(prefix + "-")}


def item_view(item, *, values: dict[str, list[str]], reviewed: bool, error: str | None = None) -> ItemView:
    data = item.question
    view = ItemView(position=item.position, kind=data["type"], data=data, item=item, error=error,
                    in_scenario=scenario_key(item) is not None, answered=bool(values),
                    before=(item.context or {}).get("before", []), after=(item.context or {}).get("after", []))
    own = values.get(view.field, [])
    if view.kind in ("single", "multiple"):
        for shown, index in enumerate(item.shown_order):
            option = data["options"][index]
            view.choices.append(Choice(
                value=str(shown), text=option["text"], chosen=str(shown) in own,
                correct=reviewed and bool(option.get("correct")),
                feedback=option.get("feedback") if reviewed else None,
                partial=option.get("weight") if reviewed and view.kind == "single" else None))
    elif view.kind == "true_false":
        for value, label in (("true", "True"), ("false", "False")):
            view.choices.append(Choice(value=value, text=label, chosen=value in own,
                                       correct=reviewed and (value == "true") == data["answer"]))
        if reviewed and own:
            view.feedback = data.get("feedback_true") if own[0] == "true" else data.get("feedback_false")
    elif view.kind == "matching":
        pairs, choices = data["pairs"], matching_choices(data)
        view.right_choices = [(str(shown), choices[index]) for shown, index in enumerate(item.shown_order)]
        by_value = dict(view.right_choices)
        for left, pair in enumerate(pairs):
            name = field_name(item.position, left)
            chosen = (values.get(name) or [""])[0]
            view.rows.append(MatchRow(name=name, left=pair["left"], chosen_value=chosen,
                                      chosen_text=by_value.get(chosen),
                                      right_text=pair["right"] if reviewed else None))
    else:
        view.text = own[0] if own else ""
    if reviewed:
        view.key = answer_key(data)
        if view.kind in ("short", "numerical") and view.text:
            view.feedback = typed_answer_feedback(data, view.text)
    return view


def typed_answer_feedback(data: dict, text: str) -> str | None:
    """The feedback of the answer a typed text matched; for a number that matched none, the
    feedback for any other number."""
    if data["type"] == "short":
        return (matched_short_answer(data, text) or {}).get("feedback")
    number = parse_number(text)
    if number is None:
        return None
    matched = matched_number(data, number)
    return matched.get("feedback") if matched else data.get("wrong_feedback")


def answer_key(data: dict) -> str | None:
    """The correct answer in words, for types whose options do not already show it."""
    kind = data["type"]
    if kind == "short":
        return " or ".join(f"“{answer['text']}”" for answer in short_answers(data) if answer["weight"] == 100)
    if kind == "numerical":
        if data.get("answer") is not None:
            tolerance = data.get("tolerance")
            return f"{data['answer']:g}" + (f" (± {tolerance:g})" if tolerance else "")
        return f"from {data['min']:g} to {data['max']:g}"
    return None


def attempt_page_items(attempt, *, reviewed: bool = False, form=None, errors: dict | None = None) -> list[ItemView]:
    """Every item of an attempt ready for its page, scenarios marked where they begin.

    With `form` (a re-shown page after a problem) the trainee's unsaved choices are kept.
    """
    views = []
    scenario_sizes: dict[tuple[int, str], int] = {}
    for item in attempt.items:
        if (key := scenario_key(item)) is not None:
            scenario_sizes[key] = scenario_sizes.get(key, 0) + 1
    seen: set[tuple[int, str]] = set()
    for item in attempt.items:
        values = _values_from_form(item, form) if form is not None else form_values(item, item.answer)
        view = item_view(item, values=values, reviewed=reviewed, error=(errors or {}).get(item.position))
        if (key := scenario_key(item)) is not None and key not in seen:
            seen.add(key)
            view.scenario = {"id": item.context["id"], "vignette": item.context["vignette"],
                             "size": scenario_sizes[key]}
        views.append(view)
    return views


def scenario_key(item) -> tuple[int, str] | None:
    """(pool question, scenario id) for a question about a scenario; None for any other item
    (its context, if any, only holds the descriptions around it)."""
    if not item.context or "vignette" not in item.context:
        return None
    return item.question_id, item.context["id"]


def unanswered_positions(attempt) -> list[int]:
    return [item.position for item in attempt.items if item.answer is None]


@dataclass
class PreviewItem:
    """Stands in for an AttemptItem when staff preview a question from the bank."""

    position: int
    question: dict
    question_id: int = 0
    context: dict | None = None
    shown_order: list[int] = field(default_factory=list)
    answer: object = None


def preview_items(data: dict) -> list[ItemView]:
    """A question as trainees see it, with the answers shown, options in the authors' order."""
    parts = data["questions"] if data["type"] == "scenario" else [data]
    context = {"id": data["id"], "vignette": data["vignette"]} if data["type"] == "scenario" else None
    views = []
    for position, part in enumerate(parts, start=1):
        count = len(part.get("options") or []) or (len(matching_choices(part)) if part["type"] == "matching" else 0)
        item = PreviewItem(position=position, question=part, context=context, shown_order=list(range(count)))
        view = item_view(item, values={}, reviewed=True)
        if context is not None and position == 1:
            view.scenario = {**context, "size": len(parts)}
        views.append(view)
    return views
