"""The one place where Markdown becomes HTML.

Every piece of Markdown the platform shows (lessons, documents, quiz text, anything a user
typed) goes through `render_markdown`, which renders it and then sanitises the HTML with an
explicit allow-list. Nothing else in the code base should call Python-Markdown or mark
text as safe HTML.
"""
from __future__ import annotations

from collections.abc import Callable
from html import unescape
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

CALLOUT_KINDS = ("note", "tip", "warning", "scenario", "reflection", "takeaways")

EXTERNAL_LINK_REL = "noopener noreferrer"

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "em", "strong", "code", "pre", "blockquote", "sup", "sub", "abbr", "span",
    "div", "aside", "section",
}

ALLOWED_ATTRIBUTES = {
    # ids come from heading slugs and footnote numbers, never from authors directly
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
}

# Per-value allow-lists: anything else on these attributes is dropped.
ALLOWED_ATTRIBUTE_VALUES = {
    "a": {"rel": {EXTERNAL_LINK_REL}},
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}

ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", *CALLOUT_KINDS},
    "aside": {"admonition", *CALLOUT_KINDS},
    "section": {"footnote"},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}

# Tags whose text content is dropped too, not just the tag (the text of a script is code).
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}

ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=REMOVED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=ALLOWED_URL_SCHEMES,
    strip_comments=True,
    # rel is added by LinkRewriter to external links only, so nh3 must not add its own
    link_rel=None,
)

MARKDOWN_EXTENSIONS = [
    "tables", "footnotes", "admonition", "toc", "fenced_code", "sane_lists", "abbr", "def_list",
]

MARKDOWN_EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},  # align="" instead of a style attribute
    "toc": {"toc_depth": "2-3", "slugify": slugify_unicode},
}


@dataclass(frozen=True)
class TocEntry:
    """One heading in a page's table of contents."""

    level: int  # 2 for ##, 3 for ###
    anchor: str  # the heading's id, used as #anchor in links
    title: str  # the heading as plain text, to be escaped like any text (Jinja does)


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML, safe to put on a page as it is, and its table of contents."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)


LessonLinkResolver = Callable[[str], "str | None"]


def render_markdown(text: str, *, resolve_lesson_link: LessonLinkResolver | None = None) -> Rendered:
    """Render Markdown to sanitised HTML with a table of contents of its ## and ### headings.

    Raw HTML in the text is shown as text, never passed through. Relative links to `.md`
    files are passed to `resolve_lesson_link`, which returns the URL to link to, or None for
    a lesson that does not exist (the link text stays, the link goes). Without a resolver
    such links are left as written.
    """
    # A Markdown object keeps state between conversions and is not thread-safe, so one per call.
    md = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    # Raw HTML from authors is escaped rather than passed through; the sanitiser below
    # is the second wall, not the only one.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # After inline links exist (20) and after toc (5), before placeholders are undone (0).
    md.treeprocessors.register(LinkRewriter(md, resolve_lesson_link), "lesson_links", 1)
    md.treeprocessors.register(EmptyHeaderCells(md), "empty_header_cells", 2)

    html = SANITISER.clean(md.convert(text))
    return Rendered(html=html, toc=flatten_toc(md.toc_tokens))


def flatten_toc(tokens: list[dict]) -> list[TocEntry]:
    """Turn Python-Markdown's nested toc tokens into a flat list in page order."""
    entries = []
    for token in tokens:
        entries.append(TocEntry(level=token["level"], anchor=token["id"], title=plain_text(token["name"])))
        entries.extend(flatten_toc(token.get("children", [])))
    return entries


def plain_text(html_text: str) -> str:
    """Heading names come back with entities (&amp;); the toc wants the text a reader sees."""
    return unescape(html_text)


def is_lesson_link(href: str) -> bool:
    """A relative link to a Markdown file, such as `other.md` or `../module/lesson.md#part`."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "\\")):
        return False
    return parts.path.endswith(".md")


def is_external_link(href: str) -> bool:
    """A link that leaves the site: it has a scheme or a host (`//host/path`)."""
    parts = urlsplit(href.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https")


class LinkRewriter(Treeprocessor):
    """Points lesson links at their pages and marks external links noopener."""

    def __init__(self, md: markdown.Markdown, resolve_lesson_link: LessonLinkResolver | None):
        super().__init__(md)
        self.resolve_lesson_link = resolve_lesson_link

    def run(self, root: ElementTree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href")
            if href is None:
                continue
            if self.resolve_lesson_link is not None and is_lesson_link(href):
                self.rewrite_lesson_link(link, href)
            elif is_external_link(href):
                link.set("rel", EXTERNAL_LINK_REL)

    def rewrite_lesson_link(self, link: ElementTree.Element, href: str) -> None:
        url = self.resolve_lesson_link(href)
        if url is None:
            # Unknown lesson: keep the words, drop the link, so readers are not sent nowhere.
            link.tag = "span"
            link.attrib.clear()
        else:
            link.set("href", url)


class EmptyHeaderCells(Treeprocessor):
    """Markdown tables always have a header row, so authors leave cells of it empty: the corner
    above row headings (`| | Friendship | Peer support |`), or the whole row for a table without
    headings. An empty <th> names nothing (checkers flag it): an empty corner becomes a data
    cell, and a header row with no text at all is dropped."""

    def run(self, root: ElementTree.Element) -> None:
        for table in root.iter("table"):
            thead = table.find("thead")
            if thead is None:
                continue
            cells = [cell for row in thead.iter("tr") for cell in row.findall("th")]
            if all(is_empty_cell(cell) for cell in cells):
                table.remove(thead)
                continue
            for cell in cells:
                if is_empty_cell(cell):
                    cell.tag = "td"


def is_empty_cell(cell: ElementTree.Element) -> bool:
    return len(cell) == 0 and not "".join(cell.itertext()).strip()
