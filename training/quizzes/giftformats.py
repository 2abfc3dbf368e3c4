"""How GIFT spells the values inside a question, read and written side by side.

giftread and giftwrite handle the structure of a file (blocks, titles, answer blocks, scenarios);
this module handles what goes in it: escapes, the [markdown]/[html]/[plain]/[moodle] text formats,
numbers, answer weights, titles as ids, category paths and our `// key: value` metadata comments.
Each reader sits next to its writer, so a change to one is made to both and the round trip holds.
"""
from __future__ import annotations

import html
import math
import re
import unicodedata

import nh3
from flask_babel import gettext  # by its name: `_` is a throwaway variable in the GIFT modules
from markdownify import MarkdownConverter

from training.courses.content import SLUG_MAX_LENGTH, Option, Question

# While a question is taken apart, each escaped character stands in as a private-use character,
# so that only unescaped ones count as GIFT syntax; they become real characters again in each text.
GIFT_ESCAPES = {"\\": "\\", ":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "n": "\n"}
PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(GIFT_ESCAPES)}
RESTORE_ESCAPES = str.maketrans({PLACEHOLDERS[char]: text for char, text in GIFT_ESCAPES.items()})
ESCAPE_PATTERN = re.compile(r"\\([\\:#={}~n])")
# GIFT syntax characters in a text are escaped; a newline becomes \n so a question stays one block.
GIFT_ESCAPED = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}",
                              ":": "\\:", "\n": "\\n", "\r": ""})
COMMENT_ESCAPED = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": ""})

TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
FORMAT_PREFIX = re.compile(r"\[(" + "|".join(TEXT_FORMATS) + r")\]")
WEIGHT_PREFIX = re.compile(r"%(-?\d+(?:\.\d+)?)%")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
CATEGORY_PREFIXES = ("$course$", "$system$", "$module$")
CATEGORY_TAG = "category:"

METADATA_KEYS = ("points", "competencies", "tags", "case_sensitive", "weights", "guidance", "rubric",
                 "prompt", "explanation")
# Metadata that only one type can carry; "scenario" means a description that opens a scenario.
METADATA_TYPES = {"case_sensitive": "short", "weights": "multiple", "guidance": "essay", "rubric": "essay",
                  "prompt": "scenario", "explanation": "scenario"}
METADATA_COMMENT = re.compile(r"//\s*(" + "|".join(METADATA_KEYS) + r")\s*:(.*)")


def hide_escapes(text: str) -> str:
    """The text with each escaped character (\\{, \\~, …) as its private-use stand-in."""
    return ESCAPE_PATTERN.sub(lambda found: PLACEHOLDERS[found[1]], text)


def restore_escapes(text: str) -> str:
    """The stand-ins of `hide_escapes` as the characters they were written for."""
    return text.translate(RESTORE_ESCAPES)


def escaped(text: str) -> str:
    return text.translate(GIFT_ESCAPED)


def unescape_comment(value: str) -> str:
    return re.sub(r"\\([\\n])", lambda found: "\n" if found[1] == "n" else "\\", value)


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
    text = restore_escapes(text).strip()
    return tidy_lines(html_text(text)) if text_format == "html" else text


def to_markdown(text: str, text_format: str) -> str:
    """Markdown that shows what Moodle shows for `text` in its format: [markdown] as is; [html]
    with its links, lists, code blocks and emphasis; [plain] literally; Moodle's own format (no
    marker) literally too, except the HTML it may hold, and with its line breaks."""
    text = restore_escapes(text).strip()
    if text_format == "markdown":
        return text
    if text_format == "plain" or (text_format == "moodle" and not HTML_TAG.search(text)):
        return markdown_literal(text)
    if text_format == "moodle":
        text = text.replace("\n", "<br>")
    return html_to_markdown(text)


HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# What a question's HTML may keep as Markdown; everything else loses its tag (and scripts and
# styles their content) before conversion.
KEPT_HTML = {"p", "br", "a", "em", "i", "strong", "b", "ul", "ol", "li", "pre", "code", "blockquote",
             "h1", "h2", "h3", "h4", "h5", "h6", "hr"}


class _Converter(MarkdownConverter):
    """markdownify, with text escaped the way markdown_literal escapes it: no character of the
    HTML's text can become Markdown or HTML."""

    def escape(self, text, parent_tags):
        if not text:
            return text
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


def html_to_markdown(markup: str) -> str:
    """A question's HTML as Markdown that shows the same: links (http, https, mailto), lists,
    code blocks with their line breaks, emphasis and headings; other tags are dropped."""
    clean = nh3.clean(markup, tags=KEPT_HTML, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
                      link_rel=None)
    converted = _Converter(heading_style="ATX", bullets="-", code_language="").convert(clean)
    return re.sub(r"\n{3,}", "\n\n", converted).strip()


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


def answer_text(text: str) -> str:
    """An answer or feedback text; a leading [ or % would read as a format or a weight, so say [markdown]."""
    return ("[markdown]" if text[:1] in ("[", "%") else "") + escaped(text)


def read_number_spec(spec: str, problems: list[str]) -> dict:
    """3.5 (exact), 3.5:0.5 (answer and tolerance) or 1..5 (a range)."""
    separator = ".." if ".." in spec[1:] else ":" if ":" in spec[1:] else None
    numbers = spec.split(separator, 1) if separator else [spec]
    if not all(NUMBER.fullmatch(number.strip()) for number in numbers):
        problems.append(gettext("'%(spec)s' is not a number; write e.g. {#3.5}, {#3.5:0.5} or {#1..5}", spec=spec))
        return {}
    first, second = [float(number) for number in numbers] + [None] * (2 - len(numbers))
    if not all(math.isfinite(number) for number in (first, second) if number is not None):
        problems.append(gettext("'%(spec)s' holds a number too large to use; write a smaller one", spec=spec[:40]))
        return {}
    if separator == "..":
        if first > second:
            problems.append(gettext("the range %(spec)s starts above where it ends; write the smaller number first",
                                    spec=spec))
        return {"minimum": first, "maximum": second}
    if second is not None and second < 0:
        problems.append(gettext("the tolerance in %(spec)s is negative; write it as a positive number", spec=spec))
    return {"answer": first, "tolerance": second}


def number_text(value: float | None) -> str:
    """The shortest form that reads back as the same number: 3.5, not 3.50; 4, not 4.0."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def split_weight(body: str, problems: list[str]) -> tuple[float | None, str]:
    found = WEIGHT_PREFIX.match(body)
    if found:
        return float(found[1]), body[found.end():]
    if body.startswith("%"):
        problems.append(gettext("the weight in '%(text)s' should look like %%50%% or %%-100%%",
                                text=restore_escapes(body)))
    return None, body


def partial_weight(weight: float | None, answer: str, problems: list[str]) -> int | None:
    """The share of the points a nearly right answer of a single-answer question earns: a whole
    percent from 1 to 99 (Moodle's 33.33333% becomes 33), or None for an answer that earns nothing."""
    if not weight:
        return None
    if not 0 < weight < 100:
        problems.append(gettext("a wrong answer ('%(answer)s') has the weight %(weight)s%%: in a single-answer "
                                "question a wrong answer earns nothing or part of the points (%%1%% to %%99%%), never "
                                "less than nothing; remove the weight, or drop the = and give every answer a weight "
                                "to make a multiple-answer question with penalties", answer=answer,
                                weight=format(weight, "g")))
        return None
    return min(99, max(1, int(weight + 0.5)))


def whole_weights(weights: list[float], problems: list[str]) -> list[int]:
    """Whole percents; the positive ones are made to add up to exactly 100 (33.33333 x 3 -> 33, 33, 34)."""
    if any(abs(weight) > 100 for weight in weights):
        problems.append(gettext("answer weights go from %(lowest)s to %(highest)s", lowest="%-100%", highest="%100%"))
    rounded = [max(1, int(weight + 0.5)) if weight > 0 else -int(-weight + 0.5) for weight in weights]
    positive = [index for index, weight in enumerate(weights) if weight > 0]
    total = sum(weights[index] for index in positive)
    if not positive:
        problems.append(gettext("no answer is right: mark one with = or give the right answers positive weights "
                                "(%(example)s)", example="~%50%"))
    elif abs(total - 100) >= 1:
        problems.append(gettext("the positive weights add up to %(total)s; make them add up to 100",
                                total=format(total, "g")))
    else:
        rounded[positive[-1]] += 100 - sum(rounded[index] for index in positive)
    return rounded


def moodle_weights(question: Question) -> list[str]:
    """Moodle weights that grade like our unweighted multiple questions (see grading.py).

    Each right answer earns an equal share of 100 and each wrong one chosen takes a share away.
    The `// weights: none` comment tells `parse_gift` to drop them again.
    """
    share = f"{100 / max(1, sum(option.correct for option in question.options)):.5f}".rstrip("0").rstrip(".")
    return [share if option.correct else f"-{share}" for option in question.options]


def slug_from_title(title: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens, cut at a hyphen when too long."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        cut = slug[:SLUG_MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if slug[SLUG_MAX_LENGTH] != "-" and "-" in cut else cut
    return slug.strip("-")


def category_tag(path: str) -> str | None:
    path = path.strip()
    for prefix in CATEGORY_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            path = path.removeprefix(prefix).removeprefix("/").strip()
    return f"{CATEGORY_TAG}{path}" if path else None


def category_path(question: Question) -> str | None:
    tag = next((tag for tag in question.tags if tag.startswith(CATEGORY_TAG)), None)
    return tag.removeprefix(CATEGORY_TAG) if tag is not None else None


def read_metadata(metadata: dict[str, str], fields: dict, problems: list[str]) -> None:
    """Our fields that GIFT lacks, from the `// key: value` comments just above the question."""
    question_type = fields.get("type")
    for key, value in metadata.items():
        if key in METADATA_TYPES and question_type and METADATA_TYPES[key] != question_type:
            problems.append(
                gettext("the comment '// %(key)s:' is only for a description that opens a scenario", key=key)
                if METADATA_TYPES[key] == "scenario" else
                gettext("the comment '// %(key)s:' is only for %(type)s questions", key=key, type=METADATA_TYPES[key]))
        elif key == "points" and not re.fullmatch(r"[1-9]\d*", value):
            problems.append(gettext("'// points: %(value)s' should be a whole number of at least 1", value=value))
        elif key == "points":
            fields["points"] = int(value)
        elif key in ("competencies", "tags"):
            fields[key] = [item.strip() for item in value.split(",") if item.strip()]
        elif key == "case_sensitive" and value.lower() not in ("true", "false"):
            problems.append(gettext("'// case_sensitive: %(value)s' should be true or false", value=value))
        elif key == "case_sensitive":
            fields["case_sensitive"] = value.lower() == "true"
        elif key == "weights" and value != "none":
            problems.append(gettext("the only setting is '// weights: none' (the weights below are for Moodle)"))
        elif key == "weights":
            fields["options"] = [Option(text=option.text, correct=option.correct, feedback=option.feedback,
                                        weight=None) for option in fields.get("options", [])]
        elif key in ("guidance", "rubric", "prompt", "explanation"):
            fields[key] = value or None


def metadata_comments(question: Question, top_level: bool) -> list[str]:
    """`// key: value` lines for what GIFT cannot say; only values that differ from the defaults."""
    tags = list(question.tags)
    if top_level and category_path(question) is not None:
        tags.remove(CATEGORY_TAG + category_path(question))  # written as $CATEGORY instead
    values = {
        "points": str(question.points) if question.points != 1 else None,
        "competencies": ", ".join(question.competencies),
        "case_sensitive": "true" if question.type == "short" and question.case_sensitive else None,
        "weights": "none" if question.type == "multiple" and all(
            option.weight is None for option in question.options) else None,
        "guidance": question.guidance if question.type == "essay" else None,
        "rubric": question.rubric if question.type == "essay" else None,
        "prompt": question.prompt if question.type == "scenario" else None,
        "explanation": question.explanation if question.type == "scenario" else None,
    }
    lines = [f"// {key}: {value.translate(COMMENT_ESCAPED)}" for key, value in values.items() if value]
    if tags:  # in the form Moodle reads: // [id:Q7] [tag:money] (an "idnumber:" tag is Moodle's idnumber)
        lines.append("// " + " ".join(f"[id:{tag.removeprefix('idnumber:')}]" if tag.startswith("idnumber:")
                                      else f"[tag:{tag}]" for tag in (tag.replace("]", "\\]") for tag in tags)))
    return lines
