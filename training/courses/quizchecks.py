"""Checks that a quiz tests judgement rather than test-taking tricks.

A trainee who has not read a lesson should not be able to pass by always picking the
longest option or by always answering "false", by spotting an option written twice, or by
meeting the same question again under another name. These functions look at questions as
plain data (the mapping quiz.yml holds, see questiondata.py), so the same checks run on
quiz files (`courses check`), on questions saved in the bank and on GIFT imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

LONGEST_CORRECT_LIMIT = 0.40    # share of single-answer items whose right option is the longest
TRUE_FALSE_LIMIT = 0.65         # share of true/false items with the same answer
MIN_SINGLE_ITEMS = 5            # below this, the longest-option share is reported, not refused
SIMILAR_STEM_RATIO = 0.85       # stems this alike (word by word) are "nearly the same"
MIN_STEM_WORDS = 6              # shorter stems ("Which is true?") say too little to compare
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")  # letters and digits of any alphabet; "don't" is one word


@dataclass(frozen=True)
class Finding:
    """One thing the checks found: an error refuses the quiz file, a warning is reported."""
    severity: str  # "error" or "warning"
    message: str


@dataclass
class QuizFigures:
    """The figures of one quiz's pool that the judgement rules look at."""
    pool: int = 0                      # top-level questions (a scenario counts once)
    draw: int | None = None            # drawn per attempt; None: every question
    single_items: int = 0              # single-answer items, scenario parts included
    longest_correct: list[str] = field(default_factory=list)   # ids whose right option is the longest
    true_false: dict[str, bool] = field(default_factory=dict)  # id -> answer
    repeated_options: list[tuple[str, str]] = field(default_factory=list)  # (id, option text)

    @property
    def longest_share(self) -> float:
        return len(self.longest_correct) / self.single_items if self.single_items else 0.0

    @property
    def true_count(self) -> int:
        return sum(self.true_false.values())

    @property
    def false_count(self) -> int:
        return len(self.true_false) - self.true_count

    @property
    def true_share(self) -> float:
        return self.true_count / len(self.true_false) if self.true_false else 0.0

    def summary(self) -> str:
        """The figures in one line, as `courses check` prints them for every quiz."""
        parts = [f"{self.pool} questions in the pool, {self.draw or self.pool} drawn"]
        if self.single_items:
            parts.append(f"longest option correct in {len(self.longest_correct)} of {self.single_items} "
                         f"single-answer items ({self.longest_share:.0%})")
        if self.true_false:
            parts.append(f"true/false answers {self.true_count} true, {self.false_count} false")
        return "; ".join(parts)


def items_of(questions: list[dict]) -> list[dict]:
    """Every answerable item: top-level questions and the questions inside scenarios (a
    description is text to read, not an item)."""
    items = []
    for data in questions:
        if data.get("type") == "description":
            continue
        items.extend(data.get("questions") or [] if data.get("type") == "scenario" else [data])
    return items


def normalised(text: str) -> str:
    """The words of `text` in lower case, without punctuation; a curly apostrophe (as a word
    processor types it) is the same as a straight one."""
    return " ".join(WORD.findall((text or "").lower().replace("’", "'")))


def quiz_figures(questions: list[dict], draw: int | None) -> QuizFigures:
    """The figures of a pool of questions (as plain data)."""
    figures = QuizFigures(pool=sum(data.get("type") != "description" for data in questions), draw=draw)
    for item in items_of(questions):
        options = item.get("options") or []
        if item.get("type") == "single" and len(options) >= 2:
            figures.single_items += 1
            lengths = [len(" ".join(str(option.get("text", "")).split())) for option in options]
            correct = next((i for i, option in enumerate(options) if option.get("correct")), None)
            # A tie for longest counts: an option as long as any other still stands out.
            if correct is not None and lengths[correct] >= max(lengths):
                figures.longest_correct.append(item["id"])
        elif item.get("type") == "true_false" and isinstance(item.get("answer"), bool):
            figures.true_false[item["id"]] = item["answer"]
        seen: set[str] = set()
        for option in options:
            key = normalised(str(option.get("text", "")))
            if key and key in seen:
                figures.repeated_options.append((item["id"], str(option.get("text", "")).strip()))
            seen.add(key)
    return figures


def judgement_findings(figures: QuizFigures) -> list[Finding]:
    """What the judgement rules say about a quiz's figures."""
    findings = []
    if figures.single_items >= MIN_SINGLE_ITEMS and figures.longest_share > LONGEST_CORRECT_LIMIT:
        findings.append(Finding("error", (
            f"the correct option is the longest in {len(figures.longest_correct)} of {figures.single_items} "
            f"single-answer items ({figures.longest_share:.0%}; at most {LONGEST_CORRECT_LIMIT:.0%} is allowed), "
            "so a trainee could pass by picking the longest option; make a wrong option the longest in some "
            "of: " + ", ".join(figures.longest_correct))))
    elif figures.single_items and figures.longest_share > LONGEST_CORRECT_LIMIT:
        findings.append(Finding("warning", (
            f"the correct option is the longest in {len(figures.longest_correct)} of {figures.single_items} "
            f"single-answer items ({figures.longest_share:.0%})")))
    majority = max(figures.true_count, figures.false_count)
    if figures.true_false and majority / len(figures.true_false) > TRUE_FALSE_LIMIT \
            and abs(figures.true_count - figures.false_count) > 1:
        way = "true" if figures.true_count > figures.false_count else "false"
        findings.append(Finding("error", (
            f"{majority} of {len(figures.true_false)} true/false answers are {way} "
            f"({majority / len(figures.true_false):.0%}; at most {TRUE_FALSE_LIMIT:.0%} one way is allowed), "
            f"so always answering {way} would score well; rewrite some statements so their answer is "
            f"{'false' if way == 'true' else 'true'}")))
    for question_id, text in figures.repeated_options:
        findings.append(Finding("error", f"question '{question_id}' offers the option '{text[:60]}' twice; "
                                         "make each option different"))
    if figures.draw is not None and figures.pool < 2 * figures.draw:
        findings.append(Finding("warning", (
            f"the pool has {figures.pool} questions for {figures.draw} drawn; with fewer than twice as many, "
            "a retake repeats most of the same questions (add questions or lower draw)")))
    return findings


@dataclass(frozen=True)
class Stem:
    where: str  # how to name the item in a message, e.g. "boundaries/quiz.yml: gift-card"
    text: str


def similar_stems(stems: list[Stem]) -> list[tuple[Stem, Stem, float]]:
    """Pairs of items whose question text is nearly the same, most alike first."""
    words = [(stem, normalised(stem.text).split()) for stem in stems]
    words = [(stem, tokens) for stem, tokens in words if len(tokens) >= MIN_STEM_WORDS]
    found = []
    for (a, a_words), (b, b_words) in combinations(words, 2):
        shorter, longer = sorted((len(a_words), len(b_words)))
        if shorter / longer < SIMILAR_STEM_RATIO:
            continue  # too different in length to reach the ratio
        matcher = SequenceMatcher(None, a_words, b_words, autojunk=False)
        if matcher.quick_ratio() >= SIMILAR_STEM_RATIO and (ratio := matcher.ratio()) >= SIMILAR_STEM_RATIO:
            found.append((a, b, ratio))
    return sorted(found, key=lambda pair: -pair[2])


def stems_of(where: str, questions: list[dict]) -> list[Stem]:
    """The stems of a pool's items: each question's prompt, and a scenario's vignette."""
    stems = []
    for data in questions:
        if data.get("type") == "scenario":
            stems.append(Stem(f"{where}: {data['id']}", str(data.get("vignette", ""))))
            for part in data.get("questions") or []:
                stems.append(Stem(f"{where}: {part['id']}", str(part.get("prompt", ""))))
        else:
            stems.append(Stem(f"{where}: {data['id']}", str(data.get("prompt", ""))))
    return stems


def similar_stem_findings(stems: list[Stem]) -> list[Finding]:
    return [Finding("warning", f"{a.where} and {b.where} ask nearly the same question ({ratio:.0%} alike); "
                               "a trainee may meet the same item twice, so reword or retire one")
            for a, b, ratio in similar_stems(stems)]


def pool_warnings(questions: list[dict], draw: int | None) -> list[str]:
    """Every finding about one pool as plain sentences: what the bank and the GIFT import show
    as warnings after a change (there nothing is refused for these reasons)."""
    findings = judgement_findings(quiz_figures(questions, draw))
    findings += similar_stem_findings(stems_of("question", questions))
    return [finding.message for finding in findings]
