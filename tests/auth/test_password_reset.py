"""Password reset by emailed single-use link that expires after an hour."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from training.auth.tokens import issue_token
from training.extensions import db
from training.models import AccountToken, OutboxMessage, Role, TokenPurpose
from conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def _reset_link(email):
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://[^\s]+(/password/reset/[\w-]+)", message.body).group(1)


def test_reset_by_email_link_changes_the_password_once(client, make_user):
    user = make_user(Role.TRAINEE)
    response = client.post("/password/forgot", {"email": user.email})
    assert "Check your email" in response.get_data(as_text=True)
    link = _reset_link(user.email)
    assert client.get(link).status_code == 200
    response = client.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.login(user.email, PASSWORD).status_code == 400
    assert client.login(user.email, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    reused = client.post(link, {"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert reused.status_code == 410
    assert "can no longer be used" in reused.get_data(as_text=True)
    assert client.login(user.email, NEW_PASSWORD).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(client):
    response = client.post("/password/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_expired_link_changes_nothing(client, make_user):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    link = _reset_link(user.email)
    token = db.session.scalar(select(AccountToken))
    token.expires_at = token.created_at + timedelta(hours=1) - timedelta(hours=2)
    db.session.commit()
    response = client.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert client.login(user.email, PASSWORD).status_code == 302


def test_link_lasts_one_hour(client, make_user):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    token = db.session.scalar(select(AccountToken))
    assert token.expires_at - token.created_at == timedelta(hours=1)


def test_a_newer_link_replaces_the_older_one(client, make_user):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    first = _reset_link(user.email)
    client.post("/password/forgot", {"email": user.email})
    assert client.get(first).status_code == 410
    assert client.get(_reset_link(user.email)).status_code == 200


def test_mismatched_passwords_are_explained_and_keep_the_link_usable(client, make_user):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    link = _reset_link(user.email)
    response = client.post(link, {"password": NEW_PASSWORD, "confirm": "something else entirely"})
    assert response.status_code == 400
    assert "The two passwords are different" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_reset_signs_out_other_sessions(app, client, make_user):
    user = make_user(Role.TRAINEE)
    other_device = type(client)(app)
    other_device.login(user.email)
    assert other_device.get("/dashboard").status_code == 200
    client.post("/password/forgot", {"email": user.email})
    link = _reset_link(user.email)
    client.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other_device.get("/dashboard").status_code == 302


def test_staff_cannot_read_reset_links_in_the_outbox(client, make_user, login_as):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    link = _reset_link(user.email)
    login_as(Role.STAFF)
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "Reset your password" in page and link not in page
    assert "Contents hidden" in page


def test_change_password_needs_the_current_one_and_signs_out_elsewhere(app, client, make_user):
    user = make_user(Role.TRAINEE)
    other_device = type(client)(app)
    other_device.login(user.email)
    client.login(user.email)
    wrong = client.post("/account/password", {"current_password": "nope nope nope",
                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    right = client.post("/account/password", {"current_password": PASSWORD,
                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert right.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302


@pytest.mark.parametrize("password, says", [
    ("password123", "one of the most used"), ("qwertyuiop", "one of the most used"),
    ("!!1234567890", "one of the most used"), ("Reset.Person.Example", "does not contain your name"),
])
def test_an_easily_guessed_password_is_refused_kindly_and_nothing_changes(client, make_user, password, says):
    user = make_user(Role.TRAINEE, email="reset.person@example.org", display_name="Reset Person")
    old = user.password_hash
    secret = issue_token(user, TokenPurpose.PASSWORD_RESET)
    db.session.commit()
    response = client.post(f"/password/reset/{secret}", {"password": password, "confirm": password})
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old
    fine = "a lantern by the river"
    assert client.post(f"/password/reset/{secret}", {"password": fine, "confirm": fine}).status_code == 302


def test_once_sent_the_outbox_keeps_no_sign_in_link(client, make_user, smtp_server):
    user = make_user(Role.TRAINEE)
    client.post("/password/forgot", {"email": user.email})
    assert len(smtp_server.messages) == 1
    link = re.search(r"http\S+/password/reset/\S+", smtp_server.messages[0]).group(0)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status.value == "sent" and message.sensitive
    assert link not in message.body and "link removed" in message.body
    assert client.get(link).status_code == 200  # the person's own copy works
