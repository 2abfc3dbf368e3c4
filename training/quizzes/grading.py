"""Marking answers: plain functions of a question's data and an answer, no database.

Answers are stored in terms of the file's own indices (see answers.py): single is an
option index, multiple a list of them, true_false a bool, short and essay text, matching
{left index as text: pair index of the chosen right side}, numerical a number.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Below this, a score is a rounding error of the pass mark (80% of 10 questions is 79.999...).
PASS_TOLERANCE = 1e-9
WILDCARD = re.compile(r"(?<!\\)\*+")  # a run of asterisks not escaped with a backslash


def answer_fraction(data: dict, answer) -> float | None:
    """The share of the question's points earned, 0.0 to 1.0; None when a person must mark it."""
    kind = data["type"]
    if kind == "essay":
        return None
    if answer is None:
        return 0.0
    return MARKERS[kind](data, answer)


def _single(data: dict, answer: int) -> float:
    """The right option earns every point; a nearly right one the share its weight gives."""
    option = data["options"][answer]
    return 1.0 if option.get("correct") else (option.get("weight") or 0) / 100


def _multiple(data: dict, answer: list[int]) -> float:
    options = data["options"]
    chosen = set(answer)
    if any(option.get("weight") is not None for option in options):
        earned = sum(options[index]["weight"] for index in chosen)
        return _clamp(earned / 100)
    # Without weights each correct option earns an equal share, and each wrong one chosen
    # takes a share away, so ticking every box never earns full marks.
    correct = {index for index, option in enumerate(options) if option.get("correct")}
    return _clamp((len(chosen & correct) - len(chosen - correct)) / len(correct))


def _true_false(data: dict, answer: bool) -> float:
    return 1.0 if answer == data["answer"] else 0.0


def normalise_text(text: str, case_sensitive: bool) -> str:
    joined = " ".join(text.split())
    return joined if case_sensitive else joined.casefold()


def short_answers(data: dict) -> list[dict]:
    """A short question's answers as {text, weight, feedback}; a plain text earns every point."""
    return [{"weight": 100, "feedback": None, **answer} if isinstance(answer, dict)
            else {"text": str(answer), "weight": 100, "feedback": None} for answer in data["answers"]]


def matched_short_answer(data: dict, answer: str) -> dict | None:
    """The answer that a typed text is (spaces, and case unless case-sensitive, aside); if it is
    several, the one worth most."""
    case_sensitive = bool(data.get("case_sensitive"))
    given = normalise_text(answer, case_sensitive)
    matches = [entry for entry in short_answers(data)
               if given and _accepts(normalise_text(entry["text"], case_sensitive), given)]
    return max(matches, key=lambda entry: entry["weight"], default=None)


def _accepts(accepted: str, given: str) -> bool:
    """Whether `given` is the `accepted` answer, in which, as in Moodle, * stands for any run
    of characters ("*" alone accepts anything typed) and \\* for an asterisk."""
    if "*" not in accepted:
        return accepted == given
    parts = [re.escape(part.replace("\\*", "*")) for part in WILDCARD.split(accepted)]
    return re.fullmatch(".*".join(parts), given, re.DOTALL) is not None


def _short(data: dict, answer: str) -> float:
    matched = matched_short_answer(data, answer)
    return matched["weight"] / 100 if matched else 0.0


def matching_choices(data: dict) -> list[str]:
    """A matching question's right-hand choices: each pair's right side, then the distractors."""
    return [pair["right"] for pair in data["pairs"]] + list(data.get("distractors", []))


def _matching(data: dict, answer: dict) -> float:
    pairs, choices = data["pairs"], matching_choices(data)
    right = sum(1 for left, chosen in answer.items()
                if chosen is not None and choices[chosen] == pairs[int(left)]["right"])
    return right / len(pairs)


def number_answers(data: dict) -> list[dict]:
    """A numerical question's answers: the first earns every point, the others their weight."""
    return [{**data, "weight": 100, "feedback": None}, *data.get("other_answers", [])]


def number_fits(spec: dict, value: float) -> bool:
    """Whether a number is the answer (± tolerance) or in the range min..max of `spec`."""
    if spec.get("answer") is not None:
        tolerance = spec.get("tolerance") or 0
        low, high = spec["answer"] - tolerance, spec["answer"] + tolerance
    else:
        low, high = spec["min"], spec["max"]
    slack = 1e-9 * max(1.0, abs(low), abs(high))  # 0.1 + 0.2 is 0.30000000000000004
    return low - slack <= value <= high + slack


def matched_number(data: dict, value: float) -> dict | None:
    """The answer a number fits; if it fits several, the one worth most."""
    fits = [spec for spec in number_answers(data) if number_fits(spec, value)]
    return max(fits, key=lambda spec: spec["weight"], default=None)


def _numerical(data: dict, answer: float) -> float:
    matched = matched_number(data, answer)
    return matched["weight"] / 100 if matched else 0.0


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


MARKERS = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "short": _short,
    "matching": _matching,
    "numerical": _numerical,
}


def parse_number(text: str) -> float | None:
    """A number typed by a person ("3.5", "3,5", " 12 "), or None when it is not one."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class AttemptScore:
    score: float | None      # None while an item waits for a person
    max_score: float
    percent: float | None
    passed: bool | None


def attempt_score(marks: list[tuple[float | None, float]], pass_mark: int) -> AttemptScore:
    """The result of an attempt from its items' (points or None, max points)."""
    max_score = sum(maximum for _, maximum in marks)
    if any(points is None for points, _ in marks):
        return AttemptScore(None, max_score, None, None)
    score = sum(points for points, _ in marks)
    percent = 100 * score / max_score if max_score else 0.0
    return AttemptScore(score, max_score, percent, percent + PASS_TOLERANCE >= pass_mark)


def counting_attempt(attempts: list, counts: str):
    """Which finished attempt decides the result: highest, latest or first (by number).

    `attempts` have .number, .percent and .passed; ones still waiting for a mark are
    skipped. Returns None when none is finished.
    """
    finished = sorted((a for a in attempts if a.percent is not None), key=lambda a: a.number)
    if not finished:
        return None
    if counts == "latest":
        return finished[-1]
    if counts == "first":
        return finished[0]
    return max(finished, key=lambda a: (a.percent, -a.number))
