"""What the synced shared content files say: the competency framework and the credential
track, read from the database copies (`courses sync` keeps them current). Each file is
parsed once per version of its text.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml
from sqlalchemy import select

from training.courses.frameworkfiles import FRAMEWORK_PATH
from training.courses.reading import split_front_matter
from training.extensions import db
from training.models import ContentFile

TRACKS_FOLDER = "tracks/"
DOCUMENTS_FOLDER = "documents/"


@dataclass(frozen=True)
class Competency:
    code: str
    title: str
    behaviour: str


@dataclass(frozen=True)
class Category:
    code: str
    title: str
    items: tuple[Competency, ...]


@dataclass(frozen=True)
class Level:
    code: str
    title: str
    rank: int | None  # None: no opportunity to observe
    description: str


@dataclass(frozen=True)
class FrameworkView:
    categories: tuple[Category, ...] = ()
    levels: tuple[Level, ...] = ()
    domains: tuple[tuple[str, str], ...] = ()  # training domains: (code, title)

    def competency(self, code: str) -> Competency | None:
        return next((item for category in self.categories for item in category.items if item.code == code), None)

    def level(self, code: str) -> Level | None:
        return next((level for level in self.levels if level.code == code), None)


@lru_cache(maxsize=4)
def _parse_framework(source: str) -> FrameworkView:
    data = yaml.safe_load(source) or {}
    categories = tuple(
        Category(str(c["code"]), c["title"], tuple(Competency(str(i["code"]), i["title"], i.get("behaviour", ""))
                                                   for i in c.get("items") or []))
        for c in data.get("competencies") or [])
    levels = tuple(Level(str(l["code"]), l["title"], l.get("rank"), l.get("description", ""))
                   for l in data.get("rubric_levels") or [])
    domains = tuple((str(d["code"]), d.get("title", d["code"])) for d in data.get("training_domains") or [])
    return FrameworkView(categories, levels, domains)


def framework() -> FrameworkView:
    """The synced framework.yml's competencies and rubric (parsed once per version of the file)."""
    source = db.session.scalar(select(ContentFile.source).where(ContentFile.path == FRAMEWORK_PATH))
    return _parse_framework(source) if source else FrameworkView()


@lru_cache(maxsize=8)
def _parse_yaml(source: str) -> dict:
    return yaml.safe_load(source) or {}


def track_data() -> dict:
    """The track whose hours totals and minimum level the supervision pages show, as plain
    data: the first that asks for supervised practice, supervision or competencies (a
    certificate of completion asks for none), else the first; {} when there is none."""
    synced = list(tracks().values())
    return next((track for track in synced if track.get("practice") or track.get("supervision")
                 or track.get("competencies")), next(iter(synced), {}))


def tracks() -> dict[str, dict]:
    """Every synced credential track as plain data, by slug, in file order."""
    sources = db.session.scalars(select(ContentFile.source).where(ContentFile.path.startswith(TRACKS_FOLDER))
                                 .order_by(ContentFile.path))
    return {data["slug"]: data for data in map(_parse_yaml, sources) if data.get("slug")}


@dataclass(frozen=True)
class DocumentView:
    slug: str
    title: str
    version: str
    effective: str
    body: str  # Markdown


@lru_cache(maxsize=8)
def _parse_document(slug: str, source: str) -> DocumentView:
    front = split_front_matter(f"{DOCUMENTS_FOLDER}{slug}.md", source, [], needs="title and version")
    data = (yaml.safe_load(front.header) or {}) if front else {}
    return DocumentView(slug, str(data.get("title", slug)), str(data.get("version", "")),
                        str(data.get("effective", "")), front.body if front else source)


def document(slug: str) -> DocumentView | None:
    """A synced document (such as the code of ethics) with its current version."""
    source = db.session.scalar(select(ContentFile.source).where(ContentFile.path == f"{DOCUMENTS_FOLDER}{slug}.md"))
    return _parse_document(slug, source) if source else None
