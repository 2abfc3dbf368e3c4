"""Signing the code of ethics shows the legal name on file before asking for it."""
from training.extensions import db
from training.models import Role


def test_the_sign_page_shows_the_legal_name_on_file_and_how_to_correct_it(client, login_as, track, make_user):
    login_as(make_user(Role.TRAINEE, legal_name="Robin Ash"))
    page = client.get("/certification/sign/code-of-ethics").get_data(as_text=True)
    on_file = page.index("Your legal name on file: <strong>Robin Ash</strong>")
    assert on_file < page.index('name="legal_name"')  # before the field that asks for it
    assert 'href="/account/"' in page[on_file:] and "ask the program staff" in page


def test_without_a_legal_name_on_file_the_sign_page_says_so(client, login_as, track, make_user):
    person = make_user(Role.TRAINEE)
    person.legal_name = ""
    db.session.commit()
    login_as(person)
    page = client.get("/certification/sign/code-of-ethics").get_data(as_text=True)
    assert "There is no legal name on file for you yet" in page and "Your legal name on file" not in page
