"""Every interface string goes through Flask-Babel: with a pseudo-translation (each message
wrapped in ‹ ›) the pages' headings, labels, buttons and table headers all come out
wrapped, and every message's placeholders survive translation."""
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from sqlalchemy import select

from tests.conftest import Client, content_library
from training import create_app
from training.courses.operations import sync_library
from training.demo import seed_demo
from training.extensions import db as _db
from training.courses.published import framework, tracks
from training.models import Course, User

ROOT = Path(__file__).resolve().parents[1]
PSEUDO = "eo"  # a real locale nobody here uses, to hold the pseudo-translation
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PAGES = {
    "trainee@example.org": ["/dashboard", "/hours/", "/competencies/", "/stories/", "/certification", "/account/",
                            "/notifications/", "/labs/", "/courses/"],
    "supervisor@example.org": ["/dashboard", "/supervision/queue", "/supervision/trainees"],
    "staff@example.org": ["/dashboard", "/staff/people", "/staff/cohorts", "/staff/certification/",
                          "/staff/outbox", "/author/"],
}
# Elements whose whole text is interface wording (no names or course content inside).
INTERFACE = re.compile(r"<(h2|button|th|legend|label)\b[^>]*>(.*?)</\1>", re.S)


def pseudo_catalogue(directory: Path) -> None:
    """Extract every message as `make messages` does and write a catalogue wrapping each in ‹ ›."""
    catalogue = Catalog(locale=PSEUDO)
    method_map = [("training/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options, keywords=KEYWORDS):
        if isinstance(message, tuple):
            catalogue.add(message, tuple(f"‹{form}›" for form in message))
        elif message:
            catalogue.add(message, f"‹{message}›")
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalogue)


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory):
    directory = tmp_path_factory.mktemp("translations")
    pseudo_catalogue(directory)
    app = create_app({"TESTING": True, "ENVIRONMENT": "testing", "MAIL_SERVER": None,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'pseudo.sqlite3'}",
                      "INSTANCE_PATH": str(directory), "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_PROFILE": "CHEAPEST", "BABEL_DEFAULT_LOCALE": PSEUDO,
                      "BABEL_TRANSLATION_DIRECTORIES": str(directory)})
    with app.app_context():
        _db.create_all()
        sync_library(content_library(ROOT / "courses"))
        seed_demo(work_under_way=True)
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def content_titles() -> set[str]:
    """Titles that come from the course files (data, not interface wording)."""
    titles = set(_db.session.scalars(select(Course.title)))
    titles |= {track["title"] for track in tracks().values()}
    for category in framework().categories:
        titles.add(f"{category.code} {category.title}")
    return titles


def test_interface_wording_on_every_role_s_pages_is_translated(pseudo_app):
    data = content_titles()
    untranslated = []
    for email, paths in PAGES.items():
        client = Client(pseudo_app)
        client.sign_in_as(_db.session.scalar(select(User).where(User.email == email)))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (email, path)
            page = response.get_data(as_text=True)
            for tag, inner in INTERFACE.findall(page):
                words = text_of(inner)
                if words and re.search(r"[A-Za-z]{3}", words) and "‹" not in words and words not in data:
                    untranslated.append(f"{path} <{tag}> {words}")
    assert untranslated == [], "\n".join(untranslated)
