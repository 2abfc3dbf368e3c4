"""Interface text is translated when it is shown, in the reader's language. The menu, error pages,
shared form fields and choice labels are made at import time, before anyone's language is known,
so they must be lazy: a plain string there would stay English for everyone. Counts and names are
filled into whole translated sentences, never glued to English fragments."""
from datetime import date, timedelta

import pytest
from babel.messages import Catalog
from babel.messages.mofile import write_mo
from flask_babel import get_babel

from training.extensions import db
from training.models import Role
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import NewHours, log_hours

# A few entries of a Spanish catalogue, as `pybabel compile` would write it.
SPANISH = {
    "Dashboard": "Panel",
    "Review queue": "Cola de revisión",
    "%(label)s (%(num)d)": "%(label)s (%(num)d pendientes)",
    "Sign out": "Cerrar sesión",
    "%(hours)s of practice to verify": "%(hours)s de práctica por verificar",
    "We could not find that page": "No encontramos esa página",
    "The address may be mistyped, or the page may have moved.": "Puede que la dirección esté mal escrita.",
    "Lower-case letters, digits and hyphens. It becomes the file name and the web address.":
        "Minúsculas, cifras y guiones.",
    "Nothing was added: %(problems)s": "No se añadió nada: %(problems)s",
    "Please give a title.": "Indique un título.",
}


@pytest.fixture()
def spanish(app, tmp_path, monkeypatch):
    """Every request in the test is read in Spanish, from a small compiled catalogue."""
    catalog = Catalog(locale="es")
    for msgid, msgstr in SPANISH.items():
        catalog.add(msgid, msgstr)
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as file:
        write_mo(file, catalog)
    babel = get_babel(app)
    monkeypatch.setattr(babel, "translation_directories", [str(tmp_path)])
    monkeypatch.setattr(babel, "locale_selector", lambda: "es")
    monkeypatch.setattr(babel.instance.domain_instance, "cache", {})  # catalogues loaded by other tests


def test_the_menu_what_waits_and_error_pages_are_in_the_readers_language(client, make_user, spanish):
    supervisor, trainee = make_user(Role.SUPERVISOR), make_user(Role.TRAINEE, display_name="Rosa")
    assign_supervisor(trainee, supervisor, primary=True)
    log_hours(trainee, NewHours("practice", "individual-support", date.today() - timedelta(days=1), 60,
                                "Community center", False, "", "language-1"), date.today())
    db.session.commit()
    client.sign_in_as(supervisor)

    page = client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="es">' in page  # screen readers pronounce the page in its language
    assert ">Panel</a>" in page and "Cola de revisión (1 pendientes)" in page and "Cerrar sesión" in page
    assert "Rosa: 1 h de práctica por verificar" in page and "Dashboard" not in page

    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "No encontramos esa página" in missing.get_data(as_text=True)
    assert "Puede que la dirección esté mal escrita." in missing.get_data(as_text=True)


def test_form_hints_validator_messages_and_flashes_are_in_the_readers_language(client, login_as, spanish):
    login_as(Role.STAFF)
    assert "Minúsculas, cifras y guiones." in client.get("/author/").get_data(as_text=True)

    response = client.post("/author/courses", {"course-slug": "new-course", "course-title": " "},
                           follow_redirects=True)
    assert "No se añadió nada: Indique un título." in response.get_data(as_text=True)
