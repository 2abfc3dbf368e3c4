"""Reading Moodle GIFT text into our questions (see training.quizzes.gift for the conventions)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from flask_babel import gettext  # by its name: `_` is a throwaway variable here

from training.courses.content import MatchPair, NumberAnswer, Option, Question, short_answer
from training.quizzes.giftformats import (METADATA_COMMENT, category_tag, hide_escapes, read_literal,
                                          partial_weight, read_metadata, read_number_spec, read_text, restore_escapes,
                                          slug_from_title, split_format, split_weight, to_markdown,
                                          unescape_comment, whole_weights)

# Moodle writes a question's idnumber and tags in a comment above it: // [id:Q7] [tag:money]
MOODLE_LABEL = re.compile(r"\[(id|tag):((?:\\\]|[^\]])*)\]")
IDNUMBER_TAG = "idnumber:"
TRUE_FALSE_ANSWERS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
MISSING_WORD_BLANK = "_____"
# Moodle writes a short answer's answers =%100%…, =%50%…, =%0%…; a choice never weights its = answer.
WEIGHTED_RIGHT_ANSWER = re.compile(r"=\s*%")
BLANK_PLACEHOLDER = "\ue0ff"  # stands for the blank while the text is converted (its _ would be escaped)


@dataclass(frozen=True)
class GiftProblem:
    """Something to fix in a GIFT file, in the question with this number (1-based, file order)."""

    number: int
    title: str | None
    line: int
    message: str

    def __str__(self) -> str:
        if self.title:
            return gettext("question %(number)d (line %(line)d, '%(title)s'): %(message)s", number=self.number,
                           line=self.line, title=self.title, message=self.message)
        return gettext("question %(number)d (line %(line)d): %(message)s", number=self.number, line=self.line,
                       message=self.message)


class GiftError(Exception):
    """A GIFT file that cannot be imported; `problems` lists everything to fix, in file order."""

    def __init__(self, problems: list[GiftProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class GiftBlock:
    """One question's lines, with the category in force and the metadata comments just above it."""

    number: int
    line: int
    text: str
    category: str | None
    metadata: dict[str, str]
    labels: list[tuple[str, str]] = field(default_factory=list)  # Moodle's [id:…] and [tag:…], in order


@dataclass
class ReadQuestion:
    """A question as read from its block, before descriptions and their parts become scenarios."""

    block: GiftBlock
    title: str | None
    id: str
    parent: str | None  # the scenario id from a "scenario/part" title
    fields: dict  # Question keyword arguments; a description's are the scenario's
    problems: list[str] = field(default_factory=list)

    @property
    def is_description(self) -> bool:
        return self.fields.get("type") == "scenario"


def parse_gift(text: str) -> list[Question]:
    """Every question of a GIFT file, or a GiftError that lists every problem found in it."""
    questions, problems = read_gift(text)
    if problems:
        raise GiftError(problems)
    return questions


def read_gift(text: str) -> tuple[list[Question], list[GiftProblem]]:
    """The questions of a GIFT file that have no problem, and the problems of the others (a
    scenario with a problem in any of its parts is left out whole)."""
    read = resolve_parts([read_question(block) for block in split_blocks(text)])
    report_duplicate_ids(read)
    questions = assemble_scenarios(read)
    return questions, [GiftProblem(item.block.number, item.title, item.block.line, message)
                       for item in read for message in item.problems]


def split_blocks(text: str) -> list[GiftBlock]:
    """Questions are separated by blank lines; comments and $CATEGORY lines are taken out."""
    blocks: list[GiftBlock] = []
    category, metadata, labels, question_lines, start = None, {}, [], [], 0
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")  # files saved on Windows
    for number, line in enumerate([*lines, ""], start=1):
        line = line.strip()
        if not line:
            if question_lines:
                blocks.append(GiftBlock(len(blocks) + 1, start, "\n".join(question_lines), category, metadata,
                                        labels))
            metadata, labels, question_lines = {}, [], []
        elif line.startswith("//"):
            found = METADATA_COMMENT.fullmatch(line)
            if found and not question_lines:  # comments inside a question are plain comments
                metadata[found[1]] = unescape_comment(found[2].strip())
            elif not question_lines:  # Moodle's idnumber and tags: [id:…] and [tag:…] in any comment above
                labels += [(kind, value.replace("\\]", "]").strip()) for kind, value in MOODLE_LABEL.findall(line)]
        elif line.startswith("$CATEGORY:") and not question_lines:
            category, metadata = category_tag(line.removeprefix("$CATEGORY:")), {}
        else:
            start = start if question_lines else number
            question_lines.append(line)
    return blocks


def read_question(block: GiftBlock) -> ReadQuestion:
    """Title, text and answer block of one question, each problem noted rather than raised."""
    text = hide_escapes(block.text)
    title, problems = None, []
    if "\x00" in text:  # PostgreSQL can store no NUL character, and no one means to type one
        problems.append(gettext("the question holds a hidden control character (a NUL byte); type it again or "
                                "save the file as plain text"))
        text = text.replace("\x00", "")
    if text.startswith("::"):
        title, closed, rest = text[2:].partition("::")
        if closed:
            title, text = restore_escapes(title).strip() or None, rest.strip()
        else:
            title = None
            problems.append(gettext("the title is not closed: write it as ::title:: before the question text"))
    # "case/part" makes a scenario's part only right after the description titled "case" (see
    # resolve_parts); anywhere else a "/" is part of an ordinary title ("True/false question").
    idnumber = next((value for kind, value in block.labels if kind == "id" and value), None)
    question_id = slug_from_title(title) if title else slug_from_title(idnumber) if idnumber else ""
    read = ReadQuestion(block, title, question_id or untitled_id(block.text), None, {}, problems)
    read.fields = read_body(text, problems)
    read_metadata(block.metadata, read.fields, problems)
    labels = [IDNUMBER_TAG + value if kind == "id" else value for kind, value in block.labels if value]
    if labels:  # Moodle's tags, and its idnumber as the tag "idnumber:…", after any `// tags:`
        read.fields["tags"] = [*read.fields.get("tags", []), *(tag for tag in labels
                                                                if tag not in read.fields.get("tags", []))]
    return read


def untitled_id(text: str) -> str:
    """The id of a question without a ::title::, from its text: the same question always gets
    the same id, and another question never gets it, so importing a second file can never
    replace an untitled question of the first (an id from its place in the file would)."""
    return "untitled-" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def resolve_parts(read: list[ReadQuestion]) -> list[ReadQuestion]:
    """Mark the parts of scenarios: a question titled "case/part" right after the description
    titled "case" (or after another part of it) becomes part "part" of scenario "case"; any
    other title with a "/" stays an ordinary title."""
    scenario: str | None = None
    for item in read:
        before, slash, after = (item.title or "").partition("/")
        is_part = scenario is not None and slash and slug_from_title(before) == scenario
        if item.is_description and is_part:
            item.problems.append(gettext("a question of a scenario needs an answer block {…}"))
            continue
        if item.is_description:
            scenario = item.id
            continue
        if is_part:
            item.parent = scenario
            item.id = slug_from_title(after) if after.strip() else ""
            if not item.id:
                item.problems.append(gettext("the title '%(title)s' names no question after the '/': write "
                                             "::%(parent)s/part-name::", title=item.title, parent=before))
                item.id = untitled_id(item.block.text)
        else:
            scenario = None
    return read


def read_body(text: str, problems: list[str]) -> dict:
    """The fields of the question in `text` (title removed, escapes still hidden)."""
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        text_format, body = split_format(text, "moodle")
        vignette = to_markdown(body, text_format)
        if not vignette:
            problems.append(gettext("the question has no text"))
        return {"type": "scenario", "prompt": None, "vignette": vignette}
    if end < 0:
        problems.append(gettext("the answer block opened with { is never closed; add the } or write \\{ for a literal "
                                "brace"))
        return {}
    if start < 0 or end < start:
        problems.append(gettext("there is a } with no { before it; write \\} for a literal brace"))
        return {}
    if "{" in text[start + 1:end]:
        problems.append(gettext("there is a { inside the answer block; write \\{ for a literal brace"))
        return {}
    if "{" in text[end + 1:] or "}" in text[end + 1:]:
        problems.append(gettext("there is more than one answer block {…}; if these are two questions, "
                                "put a blank line between them"))
        return {}
    after = text[end + 1:]
    question_format, prompt = split_format(text[:start] + (BLANK_PLACEHOLDER + after if after.strip() else ""),
                                           "moodle")
    answer = text[start + 1:end].strip()
    answer, _, general_feedback = answer.rpartition("####") if "####" in answer else (answer, "", "")
    fields = {"prompt": to_markdown(prompt, question_format).replace(BLANK_PLACEHOLDER, MISSING_WORD_BLANK),
              "explanation": read_text(general_feedback, question_format) or None}
    if not fields["prompt"]:
        problems.append(gettext("the question has no text before its answer block"))
    answer = answer.strip()
    if not answer:
        return fields | {"type": "essay"}
    if answer.startswith("#"):
        return fields | read_numerical(answer[1:], question_format, fields["explanation"], problems)
    if "~" in answer and not WEIGHTED_RIGHT_ANSWER.search(answer):
        return fields | read_choice(answer, question_format, problems)
    if "=" in answer and "->" in answer:
        return fields | read_matching(answer, question_format, problems)
    if answer.split("#", 1)[0].strip() in TRUE_FALSE_ANSWERS:
        return fields | read_true_false(answer, question_format)
    return fields | read_short(answer, question_format, problems)


def split_answers(answer: str, markers: str, problems: list[str]) -> list[tuple[str, str]]:
    """(marker, rest) for each answer; text before the first marker is not GIFT."""
    parts = re.split(f"([{markers}])", answer)
    if parts[0].strip():
        shown = restore_escapes(parts[0].strip())
        if shown.upper() in TRUE_FALSE_ANSWERS:
            problems.append(gettext("'%(text)s' is not GIFT answer syntax (true/false answers are written in "
                                    "capitals): start each answer with = (right) or ~ (wrong), or write {T} or {F} "
                                    "for true/false, {#number} for a number, {} for an essay", text=shown))
        else:
            problems.append(gettext("'%(text)s' is not GIFT answer syntax: start each answer with = (right) or "
                                    "~ (wrong), or write {T} or {F} for true/false, {#number} for a number, {} for "
                                    "an essay", text=shown))
        return []
    return [(parts[index], parts[index + 1].strip()) for index in range(1, len(parts), 2)]


def read_choice(answer: str, text_format: str, problems: list[str]) -> dict:
    options = []  # (marker, weight, text, feedback)
    for marker, body in split_answers(answer, "=~", problems):
        weight, body = split_weight(body, problems)
        text, _, feedback = body.partition("#")
        options.append((marker, weight, read_text(text, text_format), read_text(feedback, text_format)))
        if not options[-1][2]:
            problems.append(gettext("answer %(number)d has no text after its %(marker)s", number=len(options),
                                    marker=marker))
    if len(options) < 2:
        problems.append(gettext("a multiple-choice question needs at least two answers"))
    right = [option for option in options if option[0] == "="]
    if len(right) > 1:
        problems.append(gettext("%(count)d answers are marked = but a single-answer question has exactly one; for "
                                "several right answers give each a weight instead, e.g. ~%%50%%first ~%%50%%second "
                                "~%%-100%%wrong", count=len(right)))
    if any(marker == "=" and weight is not None for marker, weight, _, _ in right):
        problems.append(gettext("a right answer (=) takes no weight; use %(example)s for a weighted answer",
                                example="~%50%text"))
    if right:  # a wrong answer with a weight is nearly right: it earns that share of the points
        return {"type": "single",
                "options": [Option(text=text, correct=marker == "=", feedback=feedback,
                                   weight=partial_weight(weight, text, problems) if marker == "~" else None)
                            for marker, weight, text, feedback in options]}
    weights = whole_weights([weight or 0.0 for _, weight, _, _ in options], problems)
    return {"type": "multiple",
            "options": [Option(text=text, correct=weight > 0, feedback=feedback, weight=weight)
                        for (_, _, text, feedback), weight in zip(options, weights)]}


def read_true_false(answer: str, text_format: str) -> dict:
    # Moodle's order is {T#feedback for a wrong answer#feedback for a right answer}.
    value, wrong, right = (answer.split("#", 2) + ["", ""])[:3]
    answer_is_true = TRUE_FALSE_ANSWERS[value.strip()]
    wrong, right = read_text(wrong, text_format) or None, read_text(right, text_format) or None
    return {"type": "true_false", "answer": answer_is_true,
            "feedback_true": right if answer_is_true else wrong,
            "feedback_false": wrong if answer_is_true else right}


def read_short(answer: str, text_format: str, problems: list[str]) -> dict:
    """Accepted answers (=text, or =%50%text for part of the points) and expected wrong ones
    (~text, or Moodle's =%0%text), each with its own #feedback."""
    answers = []
    for marker, body in split_answers(answer, "=~", problems):
        weight, body = split_weight(body, problems)
        text, _, feedback = body.partition("#")
        shown = read_literal(text, text_format)
        if marker == "~" and weight:
            problems.append(gettext("the answer '%(answer)s' starts with ~, a wrong answer, which earns nothing; for "
                                    "part of the points write =%%50%%%(answer)s", answer=shown))
        elif weight is not None and not 0 <= weight <= 100:
            problems.append(gettext("the answer '%(answer)s' has the weight %(weight)s%%; a short answer earns from "
                                    "%%0%% to %%100%% of the points", answer=shown, weight=format(weight, "g")))
        if not shown:
            problems.append(gettext("accepted answer %(number)d is empty; write some text after each %(marker)s",
                                    number=len(answers) + 1, marker=marker))
        percent = 0 if marker == "~" else 100 if weight is None else min(100, max(0, int(weight + 0.5)))
        answers.append(short_answer(shown, percent, read_text(feedback, text_format) or None))
    if answers and not any(isinstance(answer, str) or answer.weight == 100 for answer in answers):
        problems.append(gettext("no answer earns every point: mark the best one =text (or =%%100%%text)"))
    return {"type": "short", "answers": answers}


def read_matching(answer: str, text_format: str, problems: list[str]) -> dict:
    pairs, distractors = [], []
    for _, body in split_answers(answer, "=", problems):
        left, arrow, right = body.partition("->")
        left, right = read_text(left, text_format), read_literal(right, text_format)
        if not arrow:
            problems.append(gettext("the pair '%(pair)s' has no ->; write =left -> right", pair=restore_escapes(body)))
        elif not right:
            problems.append(gettext("the pair for '%(left)s' has nothing after ->", left=left))
        elif not left:  # Moodle's extra wrong choice: offered among the right sides, it matches no item
            distractors.append(right)
        else:
            pairs.append(MatchPair(left=left, right=right))
    return {"type": "matching", "pairs": pairs, "distractors": distractors}


def read_numerical(answer: str, text_format: str, explanation: str | None, problems: list[str]) -> dict:
    """The first answer that earns every point; others (=%50%3.1:0.1#…) earn their weight, and
    Moodle's ~#feedback is shown for any other number. Feedback on the first answer becomes the
    explanation (it is shown after answering), unless there is general feedback (####) too."""
    answer = answer.strip()
    entries = split_answers(answer if answer[:1] in ("=", "~") else "=" + answer, "=~", problems)
    if not any(marker == "=" and body.strip() for marker, body in entries):
        problems.append(gettext("the answer block {#} has no number; write e.g. {#3.5:0.5} or {#1..5}"))
        return {"type": "numerical"}
    answers, wrong_feedback = [], None
    for marker, body in entries:
        if marker == "~":
            spec, _, feedback = body.partition("#")
            if spec.strip():
                problems.append(gettext("'~%(text)s' is not a numerical answer: ~ is only Moodle's feedback for any "
                                        "other number, written ~#feedback", text=restore_escapes(spec.strip())))
            wrong_feedback = read_text(feedback, text_format) or None
            continue
        weight, body = split_weight(body, problems)
        spec, _, feedback = body.partition("#")
        if weight is not None and not 0 <= weight <= 100:
            problems.append(gettext("the answer %(spec)s has the weight %(weight)s%%; a numerical answer earns from "
                                    "%%0%% to %%100%% of the points", spec=restore_escapes(spec).strip(),
                                    weight=format(weight, "g")))
        answers.append(NumberAnswer(**read_number_spec(restore_escapes(spec).strip(), problems),
                                    weight=100 if weight is None else min(100, max(0, int(weight + 0.5))),
                                    feedback=read_text(feedback, text_format) or None))
    first = next((answer for answer in answers if answer.weight == 100), None)
    if first is None:
        problems.append(gettext("no answer earns every point: write the right number first without a weight, "
                                "e.g. {#=3.14:0.01 =%%50%%3.1:0.1}"))
        return {"type": "numerical"}
    fields = {"type": "numerical", "answer": first.answer, "tolerance": first.tolerance, "minimum": first.minimum,
              "maximum": first.maximum, "wrong_feedback": wrong_feedback,
              "other_answers": [answer for answer in answers if answer is not first]}
    if first.feedback and explanation:
        problems.append(gettext("the answer has feedback (#…) and there is general feedback (####…) too; we keep "
                                "one explanation for the right number, so merge them into the general feedback"))
    elif first.feedback:
        fields["explanation"] = first.feedback  # shown after answering, right or wrong, like general feedback
    return fields


def report_duplicate_ids(read: list[ReadQuestion]) -> None:
    first_with: dict[str, int] = {}
    for item in read:
        if item.id in first_with:
            item.problems.append(gettext("its id '%(id)s' is also the id of question %(number)d; give the two "
                                         "questions different ::titles::", id=item.id, number=first_with[item.id]))
        first_with.setdefault(item.id, item.block.number)


def assemble_scenarios(read: list[ReadQuestion]) -> list[Question]:
    """Top-level questions, each description joined with the "scenario/part" questions after it."""
    questions: list[Question] = []
    scenario: ReadQuestion | None = None
    parts: list[ReadQuestion] = []
    for item in [*read, None]:
        if scenario is not None and (item is None or item.parent != scenario.id):
            if not parts:
                questions.extend(standalone_description(scenario))
            elif not scenario.problems and not any(part.problems for part in parts):
                questions.append(build_question(scenario, top_level=True, questions=[
                    build_question(part, top_level=False) for part in parts]))
            scenario, parts = None, []
        if item is None:
            break
        if item.parent is not None:
            parts.append(item)  # resolve_parts names a parent only right after its description
        elif item.is_description:
            scenario = item
        elif not item.problems:
            questions.append(build_question(item, top_level=True))
    return questions


def standalone_description(item: ReadQuestion) -> list[Question]:
    """Moodle's description item, text shown in place among the questions and never scored; [] if
    it has a problem."""
    if item.fields.get("prompt") or item.fields.get("explanation"):
        item.problems.append(gettext("the comments '// prompt:' and '// explanation:' are only for a description "
                                     "that opens a scenario; a description on its own is just its text"))
    if item.problems:
        return []
    text = item.fields.pop("vignette")
    item.fields |= {"type": "description", "prompt": text}
    return [build_question(item, top_level=True)]


def build_question(item: ReadQuestion, *, top_level: bool, questions: list[Question] = ()) -> Question:
    # $CATEGORY is a property of the question bank, so only top-level questions carry it as a tag.
    category = [item.block.category] if top_level and item.block.category else []
    tags = category + item.fields.pop("tags", [])
    return Question(id=item.id, tags=tags, **item.fields, questions=list(questions))
