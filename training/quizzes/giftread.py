"""Reading Moodle GIFT text into our questions (see training.quizzes.gift for the conventions)."""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

import nh3

from training.courses.content import SLUG_MAX_LENGTH, MatchPair, Option, Question

TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
TRUE_FALSE_ANSWERS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
MISSING_WORD_BLANK = "_____"
METADATA_KEYS = ("points", "competencies", "tags", "case_sensitive", "weights", "guidance", "rubric",
                 "prompt", "explanation")
# Metadata that only one type can carry; "scenario" means a description that opens a scenario.
METADATA_TYPES = {"case_sensitive": "short", "weights": "multiple", "guidance": "essay", "rubric": "essay",
                  "prompt": "scenario", "explanation": "scenario"}
METADATA_COMMENT = re.compile(r"//\s*(" + "|".join(METADATA_KEYS) + r")\s*:(.*)")
CATEGORY_PREFIXES = ("$course$", "$system$", "$module$")

# While a question is taken apart, each escaped character stands in as a private-use character,
# so that only unescaped ones count as GIFT syntax; they become real characters again in each text.
GIFT_ESCAPES = {"\\": "\\", ":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "n": "\n"}
PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(GIFT_ESCAPES)}
RESTORE_ESCAPES = str.maketrans({PLACEHOLDERS[char]: text for char, text in GIFT_ESCAPES.items()})
ESCAPE_PATTERN = re.compile(r"\\([\\:#={}~n])")
FORMAT_PREFIX = re.compile(r"\[(" + "|".join(TEXT_FORMATS) + r")\]")
WEIGHT_PREFIX = re.compile(r"%(-?\d+(?:\.\d+)?)%")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class GiftProblem:
    """Something to fix in a GIFT file, in the question with this number (1-based, file order)."""

    number: int
    title: str | None
    line: int
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, '{self.title}'" if self.title else f"line {self.line}"
        return f"question {self.number} ({where}): {self.message}"


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
    read = [read_question(block) for block in split_blocks(text)]
    report_duplicate_ids(read)
    questions = assemble_scenarios(read)
    problems = [GiftProblem(item.block.number, item.title, item.block.line, message)
                for item in read for message in item.problems]
    if problems:
        raise GiftError(problems)
    return questions


def split_blocks(text: str) -> list[GiftBlock]:
    """Questions are separated by blank lines; comments and $CATEGORY lines are taken out."""
    blocks: list[GiftBlock] = []
    category, metadata, question_lines, start = None, {}, [], 0
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")  # files saved on Windows
    for number, line in enumerate([*lines, ""], start=1):
        line = line.strip()
        if not line:
            if question_lines:
                blocks.append(GiftBlock(len(blocks) + 1, start, "\n".join(question_lines), category, metadata))
            metadata, question_lines = {}, []
        elif line.startswith("//"):
            found = METADATA_COMMENT.fullmatch(line)
            if found and not question_lines:  # comments inside a question are plain comments
                metadata[found[1]] = unescape_comment(found[2].strip())
        elif line.startswith("$CATEGORY:") and not question_lines:
            category, metadata = category_tag(line.removeprefix("$CATEGORY:")), {}
        else:
            start = start if question_lines else number
            question_lines.append(line)
    return blocks


def unescape_comment(value: str) -> str:
    return re.sub(r"\\([\\n])", lambda found: "\n" if found[1] == "n" else "\\", value)


def category_tag(path: str) -> str | None:
    path = path.strip()
    for prefix in CATEGORY_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            path = path.removeprefix(prefix).removeprefix("/").strip()
    return f"category:{path}" if path else None


def slug_from_title(title: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens, cut at a hyphen when too long."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        cut = slug[:SLUG_MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if slug[SLUG_MAX_LENGTH] != "-" and "-" in cut else cut
    return slug.strip("-")


def read_question(block: GiftBlock) -> ReadQuestion:
    """Title, text and answer block of one question, each problem noted rather than raised."""
    text = ESCAPE_PATTERN.sub(lambda found: PLACEHOLDERS[found[1]], block.text)
    title, problems = None, []
    if text.startswith("::"):
        title, closed, rest = text[2:].partition("::")
        if closed:
            title, text = title.translate(RESTORE_ESCAPES).strip() or None, rest.strip()
        else:
            title = None
            problems.append("the title is not closed: write it as ::title:: before the question text")
    parent, part = title.split("/", 1) if title and "/" in title else (None, title)
    question_id = slug_from_title(part) if part else ""
    if parent is not None and not question_id:
        problems.append(f"the title '{title}' names no question after the '/': write ::{parent}/part-name::")
    read = ReadQuestion(block, title, question_id or f"question-{block.number}",
                        slug_from_title(parent) if parent is not None else None, {}, problems)
    read.fields = read_body(text, problems)
    read_metadata(read)
    return read


def read_body(text: str, problems: list[str]) -> dict:
    """The fields of the question in `text` (title removed, escapes still hidden)."""
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        text_format, body = split_format(text, "moodle")
        vignette = to_markdown(body, text_format)
        if not vignette:
            problems.append("the question has no text")
        return {"type": "scenario", "prompt": None, "vignette": vignette}
    if end < 0:
        problems.append("the answer block opened with { is never closed; add the } or write \\{ for a literal brace")
        return {}
    if start < 0 or end < start:
        problems.append("there is a } with no { before it; write \\} for a literal brace")
        return {}
    if "{" in text[start + 1:end]:
        problems.append("there is a { inside the answer block; write \\{ for a literal brace")
        return {}
    if "{" in text[end + 1:] or "}" in text[end + 1:]:
        problems.append("there is more than one answer block {…}; if these are two questions, "
                        "put a blank line between them")
        return {}
    after = text[end + 1:]
    question_format, prompt = split_format(text[:start] + (MISSING_WORD_BLANK + after if after.strip() else ""),
                                           "moodle")
    answer = text[start + 1:end].strip()
    answer, _, general_feedback = answer.rpartition("####") if "####" in answer else (answer, "", "")
    fields = {"prompt": to_markdown(prompt, question_format),
              "explanation": read_text(general_feedback, question_format) or None}
    if not fields["prompt"]:
        problems.append("the question has no text before its answer block")
    answer = answer.strip()
    if not answer:
        return fields | {"type": "essay"}
    if answer.startswith("#"):
        return fields | read_numerical(answer[1:], question_format, fields["explanation"], problems)
    if "~" in answer:
        return fields | read_choice(answer, question_format, problems)
    if "=" in answer and "->" in answer:
        return fields | read_matching(answer, question_format, problems)
    if answer.split("#", 1)[0].strip() in TRUE_FALSE_ANSWERS:
        return fields | read_true_false(answer, question_format)
    return fields | read_short(answer, question_format, problems)


def split_format(text: str, default_format: str) -> tuple[str, str]:
    """A leading [markdown], [html], [plain] or [moodle] and the text after it."""
    text = text.strip()
    found = FORMAT_PREFIX.match(text)
    return (found[1], text[found.end():]) if found else (default_format, text)


def read_text(raw: str, default_format: str) -> str:
    """A piece of question, answer or feedback text, as Markdown."""
    text_format, text = split_format(raw, default_format)
    return to_markdown(text, text_format)


def read_literal(raw: str, default_format: str) -> str:
    """An accepted short answer or the right side of a pair: compared or listed, so not Markdown."""
    text_format, text = split_format(raw, default_format)
    text = text.translate(RESTORE_ESCAPES).strip()
    return tidy_lines(html_text(text)) if text_format == "html" else text


def to_markdown(text: str, text_format: str) -> str:
    text = text.translate(RESTORE_ESCAPES).strip()
    if text_format == "plain":
        return markdown_literal(text)
    if text_format == "html":
        return markdown_literal(tidy_lines(html_text(text)))
    return text


def html_text(markup: str) -> str:
    """The text a browser would show, without any tag: line breaks kept, layout spaces collapsed."""
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(?:li|tr)\s*>", "\n", markup)
    markup = re.sub(r"(?i)</(?:p|div|h[1-6]|blockquote|ul|ol|table)\s*>", "\n\n", markup)
    return html.unescape(nh3.clean(markup, tags=set()))


def tidy_lines(text: str) -> str:
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def markdown_literal(text: str) -> str:
    """Text that Markdown shows exactly as written; a single line break stays a line break."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|])", r"\\\1", text)
    paragraphs = [paragraph.strip() for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]
    return "\n\n".join("  \n".join(literal_line_start(line.strip()) for line in paragraph.split("\n"))
                       for paragraph in paragraphs)


def literal_line_start(line: str) -> str:
    """Defuse what Markdown reads at the start of a line: headings, lists, quotes, rules and the like."""
    if re.match(r"\d+[.)]", line):
        return re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
    entities = {"=": "&#61;", ":": "&#58;", "~": "&#126;"}
    if line[:1] in entities:
        return entities[line[0]] + line[1:]
    return "\\" + line if line and line[0] in "#+-!" else line


def split_answers(answer: str, markers: str, problems: list[str]) -> list[tuple[str, str]]:
    """(marker, rest) for each answer; text before the first marker is not GIFT."""
    parts = re.split(f"([{markers}])", answer)
    if parts[0].strip():
        shown = parts[0].strip().translate(RESTORE_ESCAPES)
        hint = " (true/false answers are written in capitals)" if shown.upper() in TRUE_FALSE_ANSWERS else ""
        problems.append(f"'{shown}' is not GIFT answer syntax{hint}: start each answer with = (right) or "
                        "~ (wrong), or write {T} or {F} for true/false, {#number} for a number, {} for an essay")
        return []
    return [(parts[index], parts[index + 1].strip()) for index in range(1, len(parts), 2)]


def split_weight(body: str, problems: list[str]) -> tuple[float | None, str]:
    found = WEIGHT_PREFIX.match(body)
    if found:
        return float(found[1]), body[found.end():]
    if body.startswith("%"):
        problems.append(f"the weight in '{body.translate(RESTORE_ESCAPES)}' should look like %50% or %-100%")
    return None, body


def read_choice(answer: str, text_format: str, problems: list[str]) -> dict:
    options = []  # (marker, weight, text, feedback)
    for marker, body in split_answers(answer, "=~", problems):
        weight, body = split_weight(body, problems)
        text, _, feedback = body.partition("#")
        options.append((marker, weight, read_text(text, text_format), read_text(feedback, text_format)))
        if not options[-1][2]:
            problems.append("an answer has no text after its = or ~")
    if len(options) < 2:
        problems.append("a multiple-choice question needs at least two answers")
    right = [option for option in options if option[0] == "="]
    if len(right) > 1:
        problems.append(f"{len(right)} answers are marked = but a single-answer question has exactly one; for "
                        "several right answers give each a weight instead, e.g. ~%50%first ~%50%second ~%-100%wrong")
    if any(marker == "=" and weight is not None for marker, weight, _, _ in right):
        problems.append("a right answer (=) takes no weight; use ~%50%text for a weighted answer")
    if right:
        if any(weight for marker, weight, _, _ in options if marker == "~"):
            problems.append("a wrong answer has a partial-credit weight (~%…%), which our single-answer "
                            "questions do not support; drop the =, and weight every answer ~%…% to make it "
                            "a multiple-answer question")
        return {"type": "single",
                "options": [Option(text=text, correct=marker == "=", feedback=feedback, weight=None)
                            for marker, _, text, feedback in options]}
    weights = whole_weights([weight or 0.0 for _, weight, _, _ in options], problems)
    return {"type": "multiple",
            "options": [Option(text=text, correct=weight > 0, feedback=feedback, weight=weight)
                        for (_, _, text, feedback), weight in zip(options, weights)]}


def whole_weights(weights: list[float], problems: list[str]) -> list[int]:
    """Whole percents; the positive ones are made to add up to exactly 100 (33.33333 x 3 -> 33, 33, 34)."""
    if any(abs(weight) > 100 for weight in weights):
        problems.append("answer weights go from %-100% to %100%")
    rounded = [max(1, int(weight + 0.5)) if weight > 0 else -int(-weight + 0.5) for weight in weights]
    positive = [index for index, weight in enumerate(weights) if weight > 0]
    total = sum(weights[index] for index in positive)
    if not positive:
        problems.append("no answer is right: mark one with = or give the right answers positive weights (~%50%)")
    elif abs(total - 100) >= 1:
        problems.append(f"the positive weights add up to {total:g}; make them add up to 100")
    else:
        rounded[positive[-1]] += 100 - sum(rounded[index] for index in positive)
    return rounded


def read_true_false(answer: str, text_format: str) -> dict:
    # Moodle's order is {T#feedback for a wrong answer#feedback for a right answer}.
    value, wrong, right = (answer.split("#", 2) + ["", ""])[:3]
    answer_is_true = TRUE_FALSE_ANSWERS[value.strip()]
    wrong, right = read_text(wrong, text_format) or None, read_text(right, text_format) or None
    return {"type": "true_false", "answer": answer_is_true,
            "feedback_true": right if answer_is_true else wrong,
            "feedback_false": wrong if answer_is_true else right}


def read_short(answer: str, text_format: str, problems: list[str]) -> dict:
    answers = []
    for _, body in split_answers(answer, "=", problems):
        weight, body = split_weight(body, problems)
        text, _, feedback = body.partition("#")
        if weight not in (None, 100.0):
            problems.append("short answers with partial credit (=%50%…) are not supported; every accepted "
                            "answer is fully right, so remove the weight or the answer")
        if read_text(feedback, text_format):
            problems.append("feedback on a short answer (#…) is not supported; put it in the general "
                            "feedback (####…) at the end of the answer block")
        answers.append(read_literal(text, text_format))
        if not answers[-1]:
            problems.append("an accepted answer is empty; write some text after each =")
    return {"type": "short", "answers": answers}


def read_matching(answer: str, text_format: str, problems: list[str]) -> dict:
    pairs = []
    for _, body in split_answers(answer, "=", problems):
        left, arrow, right = body.partition("->")
        left, right = read_text(left, text_format), read_literal(right, text_format)
        if not arrow:
            problems.append(f"the pair '{body.translate(RESTORE_ESCAPES)}' has no ->; write =left -> right")
        elif not left:
            problems.append(f"'{right}' has an empty left side (= -> {right}): Moodle's extra wrong choices "
                            "are not supported by our matching questions; remove it")
        elif not right:
            problems.append(f"the pair for '{left}' has nothing after ->")
        else:
            pairs.append(MatchPair(left=left, right=right))
    return {"type": "matching", "pairs": pairs}


def read_numerical(answer: str, text_format: str, explanation: str | None, problems: list[str]) -> dict:
    answer, _, wrong_answer = answer.partition("~")
    if read_text(wrong_answer.partition("#")[2], text_format):
        problems.append("feedback for any wrong number (~#…) is not supported; put it in the general "
                        "feedback (####…)")
    answers = [part.strip() for part in answer.split("=")]
    answers = answers[1:] if not answers[0] else answers
    if len(answers) != 1:
        problems.append("a numerical question needs exactly one answer, e.g. {#3.5:0.5} or {#1..5}; "
                        "several answers or partial credit are not supported" if answers else
                        "the answer block {#} has no number; write e.g. {#3.5:0.5} or {#1..5}")
        return {"type": "numerical"}
    weight, body = split_weight(answers[0], problems)
    if weight not in (None, 100.0):
        problems.append("numerical answers with partial credit (=%50%…) are not supported")
    spec, _, feedback = body.partition("#")
    fields = {"type": "numerical"} | read_number_spec(spec.translate(RESTORE_ESCAPES).strip(), problems)
    feedback = read_text(feedback, text_format)
    if feedback and explanation:
        problems.append("the answer has feedback (#…) and there is general feedback (####…) too; we keep "
                        "one explanation per numerical question, so merge them into the general feedback")
    elif feedback:
        fields["explanation"] = feedback  # shown after answering, right or wrong, like general feedback
    return fields


def read_number_spec(spec: str, problems: list[str]) -> dict:
    """3.5 (exact), 3.5:0.5 (answer and tolerance) or 1..5 (a range)."""
    separator = ".." if ".." in spec[1:] else ":" if ":" in spec[1:] else None
    numbers = spec.split(separator, 1) if separator else [spec]
    if not all(NUMBER.fullmatch(number.strip()) for number in numbers):
        problems.append(f"'{spec}' is not a number; write e.g. {{#3.5}}, {{#3.5:0.5}} or {{#1..5}}")
        return {}
    first, second = [float(number) for number in numbers] + [None] * (2 - len(numbers))
    if separator == "..":
        if first > second:
            problems.append(f"the range {spec} starts above where it ends; write the smaller number first")
        return {"minimum": first, "maximum": second}
    if second is not None and second < 0:
        problems.append(f"the tolerance in {spec} is negative; write it as a positive number")
    return {"answer": first, "tolerance": second}


def read_metadata(read: ReadQuestion) -> None:
    """Our fields that GIFT lacks, from the `// key: value` comments just above the question."""
    fields, question_type = read.fields, read.fields.get("type")
    for key, value in read.block.metadata.items():
        if key in METADATA_TYPES and question_type and METADATA_TYPES[key] != question_type:
            where = "a description that opens a scenario" if METADATA_TYPES[key] == "scenario" \
                else f"{METADATA_TYPES[key]} questions"
            read.problems.append(f"the comment '// {key}:' is only for {where}")
        elif key == "points" and not re.fullmatch(r"[1-9]\d*", value):
            read.problems.append(f"'// points: {value}' should be a whole number of at least 1")
        elif key == "points":
            fields["points"] = int(value)
        elif key in ("competencies", "tags"):
            fields[key] = [item.strip() for item in value.split(",") if item.strip()]
        elif key == "case_sensitive" and value.lower() not in ("true", "false"):
            read.problems.append(f"'// case_sensitive: {value}' should be true or false")
        elif key == "case_sensitive":
            fields["case_sensitive"] = value.lower() == "true"
        elif key == "weights" and value != "none":
            read.problems.append("the only setting is '// weights: none' (the weights below are for Moodle)")
        elif key == "weights":
            fields["options"] = [Option(text=option.text, correct=option.correct, feedback=option.feedback,
                                        weight=None) for option in fields.get("options", [])]
        elif key in ("guidance", "rubric", "prompt", "explanation"):
            fields[key] = value or None


def report_duplicate_ids(read: list[ReadQuestion]) -> None:
    first_with: dict[str, int] = {}
    for item in read:
        if item.id in first_with:
            item.problems.append(f"its id '{item.id}' is also the id of question {first_with[item.id]}; "
                                 "give the two questions different ::titles::")
        first_with.setdefault(item.id, item.block.number)


def assemble_scenarios(read: list[ReadQuestion]) -> list[Question]:
    """Top-level questions, each description joined with the "scenario/part" questions after it."""
    questions: list[Question] = []
    scenario: ReadQuestion | None = None
    parts: list[ReadQuestion] = []
    for item in [*read, None]:
        if scenario is not None and (item is None or item.parent != scenario.id):
            if not parts:
                scenario.problems.append(
                    "a description is imported only as the vignette of a scenario: give it a title "
                    "(::case-name::) and title the questions that belong to it ::case-name/…::")
            elif not scenario.problems and not any(part.problems for part in parts):
                questions.append(build_question(scenario, top_level=True, questions=[
                    build_question(part, top_level=False) for part in parts]))
            scenario, parts = None, []
        if item is None:
            break
        if item.parent is not None:
            if scenario is None or item.parent != scenario.id:
                item.problems.append(f"it is titled '{item.title}', but no description titled "
                                     f"::{item.title.split('/')[0]}:: comes right before it to open that scenario")
            elif item.is_description:
                item.problems.append("a question of a scenario needs an answer block {…}")
            else:
                parts.append(item)
        elif item.is_description:
            scenario = item
        elif not item.problems:
            questions.append(build_question(item, top_level=True))
    return questions


def build_question(item: ReadQuestion, *, top_level: bool, questions: list[Question] = ()) -> Question:
    # $CATEGORY is a property of the question bank, so only top-level questions carry it as a tag.
    category = [item.block.category] if top_level and item.block.category else []
    tags = category + item.fields.pop("tags", [])
    return Question(id=item.id, tags=tags, **item.fields, questions=list(questions))
