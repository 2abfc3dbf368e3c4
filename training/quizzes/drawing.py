"""Drawing an attempt's questions from the pool, and the order their options are shown in."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class DrawnItem:
    """One question as it will appear in an attempt."""

    question_id: int           # the pool question (QuizQuestion.id)
    data: dict                 # the question's fields (a scenario's question for a part)
    part: str | None           # the scenario question's id, or None
    context: dict | None       # {"id", "vignette"} of the scenario, or None
    shown_order: list[int]     # see AttemptItem.shown_order


def is_description(data: dict) -> bool:
    """Text shown in place among the questions: never drawn at random, scored or counted."""
    return data["type"] == "description"


def competencies_of(data: dict) -> set[str]:
    codes = set(data.get("competencies", []))
    for part in data.get("questions", []):
        codes |= set(part.get("competencies", []))
    return codes


def _pick(candidates: list[tuple[int, dict]], count: int, avoid: set[int], rng: random.Random
          ) -> list[tuple[int, dict]]:
    """`count` of the candidates at random, taking those not in `avoid` first."""
    fresh = [entry for entry in candidates if entry[0] not in avoid]
    if count <= len(fresh):
        return rng.sample(fresh, count)
    return fresh + rng.sample([entry for entry in candidates if entry[0] in avoid], count - len(fresh))


def draw_questions(pool: list[tuple[int, dict]], settings: dict, rng: random.Random,
                   avoid: set[int] = frozenset()) -> list[tuple[int, dict]]:
    """Pick the attempt's questions from `pool` ([(question id, data)], in file order).

    First the questions each `draw_by_competency` code asks for, then random others up to
    `draw`, each time taking questions not in `avoid` (those of the trainee's last attempt)
    before any seen then. With no `draw` every question is used, in the authors' order; a
    random draw is shown in random order. A scenario is drawn whole and counts as one.
    Descriptions stay where the authors put them when every question is used, and come first,
    in the authors' order, before a random draw.
    """
    draw = settings.get("draw")
    if draw is None:
        return list(pool)
    descriptions = [entry for entry in pool if is_description(entry[1])]
    return descriptions + _draw_at_random([entry for entry in pool if not is_description(entry[1])], settings,
                                          draw, rng, avoid)


def _draw_at_random(pool: list[tuple[int, dict]], settings: dict, draw: int, rng: random.Random,
                    avoid: set[int]) -> list[tuple[int, dict]]:
    if draw >= len(pool):
        chosen = list(pool)
        rng.shuffle(chosen)
        return chosen
    chosen: list[tuple[int, dict]] = []
    taken: set[int] = set()
    for code, wanted in (settings.get("draw_by_competency") or {}).items():
        tagged = [entry for entry in pool if entry[0] not in taken and code in competencies_of(entry[1])]
        already = sum(1 for entry in chosen if code in competencies_of(entry[1]))
        for entry in _pick(tagged, min(max(wanted - already, 0), len(tagged), draw - len(chosen)), avoid, rng):
            chosen.append(entry)
            taken.add(entry[0])
    rest = [entry for entry in pool if entry[0] not in taken]
    chosen.extend(_pick(rest, draw - len(chosen), avoid, rng))
    rng.shuffle(chosen)
    return chosen


def shown_order(data: dict, shuffle: bool, rng: random.Random) -> list[int]:
    """The order options (or a matching question's right-hand choices) are shown in."""
    if data["type"] in ("single", "multiple"):
        count = len(data["options"])
    elif data["type"] == "matching":
        count = len(data["pairs"]) + len(data.get("distractors", []))
        shuffle = True  # right-hand choices in file order would line up with their left sides
    else:
        return []
    order = list(range(count))
    if shuffle:
        rng.shuffle(order)
    return order


def attempt_items(pool: list[tuple[int, dict]], settings: dict, rng: random.Random,
                  avoid: set[int] = frozenset()) -> list[DrawnItem]:
    """The drawn questions as attempt items, a scenario's questions one item each. Descriptions
    are no items: each goes in the context of the item after it ("before"), or of the last item
    ("after") when no question follows."""
    shuffle = settings.get("shuffle_options", True)
    items: list[DrawnItem] = []
    waiting: list[dict] = []  # descriptions for the next item
    for question_id, data in draw_questions(pool, settings, rng, avoid):
        if is_description(data):
            waiting.append({"id": data["id"], "text": data["prompt"]})
            continue
        scenario = {"id": data["id"], "vignette": data["vignette"]} if data["type"] == "scenario" else {}
        for part in data["questions"] if scenario else [data]:
            context = {**scenario, **({"before": waiting} if waiting else {})} or None
            items.append(DrawnItem(question_id, part, part["id"] if scenario else None, context,
                                   shown_order(part, shuffle, rng)))
            waiting = []
    if waiting and items:
        last = items[-1]
        items[-1] = DrawnItem(last.question_id, last.data, last.part, {**(last.context or {}), "after": waiting},
                              last.shown_order)
    return items


@dataclass(frozen=True)
class AttemptSize:
    """How many questions an attempt has, counted as the attempt counts them: each question
    about a scenario is one."""

    fewest: int
    most: int    # more than `fewest` when a random draw may or may not take a scenario
    bank: int    # every question in the pool
    drawn: bool  # a random selection from the pool, not every question


def question_sizes(pool: list[tuple[int, dict]]) -> tuple[int, ...]:
    """How many questions each item of `pool` makes in an attempt (a scenario counts its parts), smallest first."""
    return tuple(sorted(len(data.get("questions") or []) if data["type"] == "scenario" else 1
                        for _, data in pool if not is_description(data)))


def attempt_size(pool: list[tuple[int, dict]], settings: dict, sizes: tuple[int, ...] | None = None) -> AttemptSize:
    """The number of questions an attempt drawn from `pool` with `settings` will have (`sizes`, when
    given, are the pool's question_sizes and `pool` is not read)."""
    sizes = question_sizes(pool) if sizes is None else sizes
    bank, draw = sum(sizes), settings.get("draw")
    if draw is None or draw >= len(sizes):
        return AttemptSize(bank, bank, bank, drawn=False)
    return AttemptSize(sum(sizes[:draw]), sum(sizes[len(sizes) - draw:]), bank, drawn=True)
