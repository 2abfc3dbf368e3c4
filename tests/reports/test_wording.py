"""Every interface string of the reports goes through Flask-Babel (a pseudo-translation wraps it in ‹ ›)."""
import re

from sqlalchemy import select

from tests.conftest import Client
from tests.test_translations import pseudo_app, text_of  # noqa: F401  (the fixture)
from training.extensions import db
from training.models import User

# Elements whose whole text is interface wording on the report pages (row headers hold names).
WORDING = re.compile(r'<(h1|h2|button|th(?= scope="col")|label|summary|caption|title|desc)\b[^>]*>(.*?)</', re.S)


def test_report_wording_is_translated(pseudo_app):  # noqa: F811
    client = Client(pseudo_app)
    client.sign_in_as(db.session.scalar(select(User).where(User.email == "staff@example.org")))
    untranslated, checked = [], 0
    for path in ("/staff/reports/", "/staff/reports/progress", "/staff/reports/modules",
                 "/staff/reports/certificates"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        for tag, inner in WORDING.findall(main):
            checked += tag == "th"
            words = text_of(inner)
            if words and re.search(r"[A-Za-z]{3}", words) and "‹" not in words:
                untranslated.append(f"{path} <{tag}> {words}")
        assert "‹CSV›" in page or path == "/staff/reports/", path
    assert checked > 15 and untranslated == [], "\n".join(untranslated)
