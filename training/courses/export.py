"""Writing content back out as files, and editing an order list without losing comments."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import yaml

from training.courses.content import Library


def library_files(library: Library) -> dict[str, str]:
    """Every file of a Library as {path relative to the content root: exact text}."""
    files = {library.framework.path: library.framework.source}
    for track in library.tracks.values():
        files[track.path] = track.source
    for document in library.documents.values():
        files[document.path] = document.source
    for course in library.courses.values():
        files[course.path] = course.source
        if course.final_exam is not None:
            files[course.final_exam.path] = course.final_exam.source
        for module in course.modules:
            files[module.path] = module.source
            for lesson in module.lessons:
                files[lesson.path] = lesson.source
            if module.quiz is not None:
                files[module.quiz.path] = module.quiz.source
    return files


def export_library(content: Library | Mapping[str, str], root: str | Path) -> list[Path]:
    """Write a Library, or a {relative path: text} mapping, under `root`; return the files written.

    Texts are written byte for byte (UTF-8, line endings untouched), so loading a folder and
    exporting it gives identical files. Files already under `root` that are not in the
    content are left alone.
    """
    files = library_files(content) if isinstance(content, Library) else content
    root = Path(root)
    written = []
    for relative_path, text in files.items():
        target = root / safe_relative_path(relative_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        written.append(target)
    return written


def safe_relative_path(relative_path: str) -> PurePosixPath:
    """A path that stays inside the export folder; paths come from the database, so check them."""
    path = PurePosixPath(relative_path)
    if not relative_path or path.is_absolute() or ".." in path.parts or "\\" in relative_path:
        raise ValueError(f"refusing to write outside the export folder: {relative_path!r}")
    return path


def set_yaml_list(source: str, key: str, items: list[str]) -> str:
    """Return YAML text with the list under the top-level `key` replaced by `items`.

    Used when staff reorder or add lessons and modules in the browser. Only the list's own
    lines change: every other byte of the file (comments, blank lines, quotes, indentation)
    stays as it was. An item that stays keeps its line, with its comment and any comment
    lines just above it; new items copy the first item's indentation. A flow list
    (`[a, b]`) stays a flow list. A missing or empty key gets a block list.
    """
    document = yaml.compose(source, Loader=yaml.SafeLoader)
    if not isinstance(document, yaml.MappingNode):
        raise ValueError("set_yaml_list needs YAML whose top level is a set of 'name: value' fields")
    key_node, value = next(((key_node, value) for key_node, value in document.value if key_node.value == key),
                           (None, None))
    if value is None:
        return append_block_list(source, key, items)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        return source[: value.start_mark.index] + flow_list(items) + source[value.end_mark.index:]
    if isinstance(value, yaml.SequenceNode) and not items:
        # A block list cannot be empty, so `key:` becomes `key: []` and the item lines go.
        emptied = replace_block_items(source, value, [])
        colon = emptied.index(":", key_node.end_mark.index)
        return emptied[: colon + 1] + " []" + emptied[colon + 1:]
    if isinstance(value, yaml.SequenceNode):
        return replace_block_items(source, value, items)
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
        if value.start_mark.index == value.end_mark.index:  # `key:` with nothing after it
            line_end = source.find("\n", value.start_mark.index)
            line_end = len(source) if line_end < 0 else line_end
            return source[:line_end] + "".join(f"\n  - {yaml_scalar(item)}" for item in items) + source[line_end:]
        return source[: value.start_mark.index] + flow_list(items) + source[value.end_mark.index:]
    raise ValueError(f"'{key}' holds {value.id}, not a list")


def replace_block_items(source: str, sequence: yaml.SequenceNode, items: list[str]) -> str:
    lines = source.splitlines(keepends=True)
    first_line = sequence.value[0].start_mark.line
    chunks: dict[str, list[str]] = {}  # item -> its lines, with the comment lines above it
    chunk_start = first_line
    for item in sequence.value:
        end = item.end_mark.line if item.end_mark.column > 0 else item.end_mark.line - 1
        if isinstance(item, yaml.ScalarNode):
            chunks[item.value] = lines[chunk_start: end + 1]
        chunk_start = end + 1
    old_span = lines[first_line:chunk_start]
    newline = "\r\n" if lines[first_line].endswith("\r\n") else "\n"
    dash_indent = lines[first_line][: lines[first_line].index("-")]
    new_span = []
    for item in items:
        chunk = chunks.get(item) or [f"{dash_indent}- {yaml_scalar(item)}{newline}"]
        new_span.extend(line if line.endswith("\n") else line + newline for line in chunk)
    if old_span and not old_span[-1].endswith("\n") and new_span:
        new_span[-1] = new_span[-1].rstrip("\r\n")  # the file ended without a newline; keep it so
    return "".join(lines[:first_line] + new_span + lines[chunk_start:])


def append_block_list(source: str, key: str, items: list[str]) -> str:
    separator = "" if not source or source.endswith("\n") else "\n"
    return source + separator + f"{key}:\n" + "".join(f"  - {yaml_scalar(item)}\n" for item in items)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(item) for item in items) + "]"


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar, quoted only when it must be (a slug like `no` would read as false)."""
    return yaml.safe_dump(text, default_flow_style=True, width=1_000_000).removesuffix("\n...\n").strip()
