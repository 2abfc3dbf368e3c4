"""render_markdown: what authors can write, and what nobody can smuggle through."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from training.rendering import ALLOWED_TAGS, CALLOUT_KINDS, Rendered, TocEntry, render_markdown

PAYLOADS_FILE = Path(__file__).parent / "xss" / "payloads.txt"


def read_payloads() -> list[tuple[str, str]]:
    """(name, payload) pairs from the corpus; see the notes at the top of the file."""
    payloads: list[tuple[str, list[str]]] = []
    for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("%%%% "):
            payloads.append((line[5:].strip(), []))
        elif payloads:
            payloads[-1][1].append(line)
    return [(name, "\n".join(lines)) for name, lines in payloads if lines]


class TagCollector(HTMLParser):
    """Every start tag with its attributes, entities already decoded as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parse_tags(html: str):
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def links(html: str) -> list[dict[str, str | None]]:
    return [dict(attrs) for tag, attrs in parse_tags(html) if tag == "a"]


FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "form", "input", "button", "textarea", "select",
    "meta", "link", "base", "object", "embed", "svg", "math", "template", "body", "html",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"}
DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript):")


def url_scheme_as_browser_sees_it(value: str) -> str:
    """Browsers drop ASCII whitespace and control characters inside a URL's scheme."""
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


def unsafe_parts(html: str) -> list[str]:
    """What in this HTML could run script, frame a page or post a form; empty when safe."""
    found = []
    for tag, attrs in parse_tags(html):
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            found.append(f"tag <{tag}>")
        for name, value in attrs:
            if re.fullmatch(r"on\w+", name):
                found.append(f"event handler {name} on <{tag}>")
            if name == "style":
                found.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(url_scheme_as_browser_sees_it(value or "")):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


@pytest.mark.parametrize(("name", "payload"), read_payloads(), ids=[name for name, _ in read_payloads()])
def test_payload_is_neutralised(name, payload):
    for text in (payload, f"Some text before.\n\n{payload}\n\nSome text after.", f"- item\n\n    {payload}"):
        html = render_markdown(text, resolve_lesson_link=lambda href: "/lesson").html
        assert unsafe_parts(html) == [], html
        assert "<script" not in html.lower()


@pytest.mark.parametrize("unsafe_html", [
    '<img src=x onerror="alert(1)">',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" &#14; JavaScript:alert(1)">x</a>',
    '<img src="data:image/svg+xml,x">',
    '<p style="color:red">x</p>',
    "<iframe></iframe>",
    "<svg></svg>",
])
def test_the_safety_check_itself_spots_unsafe_html(unsafe_html):
    assert unsafe_parts(unsafe_html) != []


def test_corpus_is_big_enough_and_named_uniquely():
    names = [name for name, _ in read_payloads()]
    assert len(names) >= 60
    assert len(names) == len(set(names))


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown('<b onclick="x()">bold?</b>\n\n<div>\nblock\n</div>').html
    assert "&lt;b" in html and "&lt;div&gt;" in html
    assert parse_tags(html) == [("p", []), ("p", [])]


def test_tables_render_with_alignment_but_no_style():
    html = render_markdown("| Left | Right |\n|:-----|------:|\n| a | b |").html
    tags = parse_tags(html)
    assert ("th", [("align", "left")]) in tags
    assert ("td", [("align", "right")]) in tags
    assert "style=" not in html


def test_an_empty_header_cell_is_a_data_cell_and_an_empty_header_row_goes():
    corner = render_markdown("| | Friendship | Peer support |\n|---|---|---|\n| Who it is for | Both | The person |").html
    assert "<thead>\n<tr>\n<td></td>\n<th>Friendship</th>" in corner and not re.search(r"<th[^>]*>\s*</th>", corner)
    headless = render_markdown("| | |\n|:--|--:|\n| a | b |").html
    assert "<thead>" not in headless and "<th" not in headless and '<td align="left">a</td>' in headless


def test_no_lesson_table_starts_with_an_empty_header_cell():
    """The renderer copes with one; the content should still say what its first column holds."""
    courses = Path(__file__).resolve().parents[1] / "courses"
    empty = []
    for path in courses.rglob("*.md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        empty += [f"{path.relative_to(courses)}:{number}" for number, (line, below) in enumerate(zip(lines, lines[1:]), 1)
                  if re.match(r"\|\s*\|", line) and re.match(r"\|\s*:?-", below)]  # a header row above |---|
    assert empty == []


def test_footnotes_link_both_ways():
    html = render_markdown("A claim[^1].\n\n[^1]: The source.").html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<div class="footnote">' in html
    assert '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html


@pytest.mark.parametrize("kind", CALLOUT_KINDS)
def test_each_callout_kind_keeps_its_class_and_title(kind):
    html = render_markdown(f'!!! {kind} "Think about it"\n    Body **text**.').html
    assert f'<div class="admonition {kind}">' in html
    assert '<p class="admonition-title">Think about it</p>' in html
    assert "<p>Body <strong>text</strong>.</p>" in html


def test_unknown_callout_kind_loses_its_class_but_keeps_its_text():
    html = render_markdown('!!! danger "Careful"\n    Body.').html
    assert '<div class="admonition">' in html
    assert "Careful" in html and "Body." in html


def test_toc_lists_level_two_and_three_headings_with_plain_anchors():
    rendered = render_markdown(
        "## Why gifts & favours matter\n\ntext\n\n### A small gift\n\n#### Too deep\n\n## Why gifts & favours matter"
    )
    assert rendered.toc == [
        TocEntry(level=2, anchor="why-gifts-favours-matter", title="Why gifts & favours matter"),
        TocEntry(level=3, anchor="a-small-gift", title="A small gift"),
        TocEntry(level=2, anchor="why-gifts-favours-matter_1", title="Why gifts & favours matter"),
    ]
    assert '<h2 id="why-gifts-favours-matter">' in rendered.html
    assert '<h3 id="a-small-gift">' in rendered.html


def test_toc_keeps_non_ascii_headings():
    assert render_markdown("## Humildad cultural: ¿qué es?").toc[0].anchor == "humildad-cultural-qué-es"


def test_rendered_is_a_frozen_value():
    rendered = render_markdown("text")
    assert isinstance(rendered, Rendered)
    with pytest.raises(AttributeError):
        rendered.html = "<script>"  # type: ignore[misc]


LESSON_URLS = {
    "gifts.md": "/courses/core/boundaries/gifts",
    "../ethics/scope.md#part": "/courses/core/ethics/scope#part",
}


def resolve_known_lessons(href: str) -> str | None:
    return LESSON_URLS.get(href)


def test_lesson_links_are_rewritten_to_their_pages():
    html = render_markdown(
        "See [gifts](gifts.md) and [scope](../ethics/scope.md#part).", resolve_lesson_link=resolve_known_lessons
    ).html
    assert [link["href"] for link in links(html)] == [
        "/courses/core/boundaries/gifts",
        "/courses/core/ethics/scope#part",
    ]


def test_unknown_lesson_link_keeps_its_text_and_drops_the_link():
    html = render_markdown("See [the missing lesson](nowhere.md).", resolve_lesson_link=resolve_known_lessons).html
    assert links(html) == []
    assert "the missing lesson" in html


def test_resolver_is_asked_only_about_relative_markdown_links():
    asked = []

    def resolver(href):
        asked.append(href)
        return "/x"

    render_markdown(
        "[a](lesson.md) [b](../m/l.md#h) [c](https://example.org/readme.md) [d](/abs.md) [e](notes.txt) [f](#top)",
        resolve_lesson_link=resolver,
    )
    assert asked == ["lesson.md", "../m/l.md#h"]


def test_reference_style_lesson_links_are_rewritten_too():
    html = render_markdown("See [gifts][g].\n\n[g]: gifts.md", resolve_lesson_link=resolve_known_lessons).html
    assert links(html) == [{"href": "/courses/core/boundaries/gifts"}]


def test_without_a_resolver_lesson_links_stay_as_written():
    assert links(render_markdown("[a](lesson.md)").html) == [{"href": "lesson.md"}]


def test_external_links_get_noopener_and_internal_ones_do_not():
    html = render_markdown(
        "[out](https://example.org) [mail](mailto:staff@example.org) [here](#part) [proto](//example.org/x)"
    ).html
    assert links(html) == [
        {"href": "https://example.org", "rel": "noopener noreferrer"},
        {"href": "mailto:staff@example.org"},
        {"href": "#part"},
        {"href": "//example.org/x", "rel": "noopener noreferrer"},
    ]


def test_images_keep_safe_sources_only():
    html = render_markdown('![a](https://example.org/a.png "t") ![b](diagram.png) ![c](data:image/png;base64,AAAA)')
    images = [dict(attrs) for tag, attrs in parse_tags(html.html) if tag == "img"]
    assert images == [
        {"src": "https://example.org/a.png", "alt": "a", "title": "t"},
        {"src": "diagram.png", "alt": "b"},
        {"alt": "c"},
    ]


def test_fenced_code_is_escaped():
    html = render_markdown("```html\n<script>alert(1)</script>\n```").html
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;" in html
