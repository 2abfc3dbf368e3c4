"""Staff invite people by email; the invitee sets a password from the link."""
import re

import pytest
from sqlalchemy import select

from training.extensions import db
from training.models import Enrolment, OutboxMessage, Role, User
from training.staff.cohorts import create_cohort

NEW_PASSWORD = "my own good passphrase"


def _invite_link(email):
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://[^\s]+(/invite/[\w-]+)", message.body).group(1)


def test_invited_trainee_sets_up_account_and_is_enrolled(app, client, login_as):
    login_as(Role.STAFF)
    cohort = create_cohort("Autumn")
    db.session.commit()
    response = client.post("/staff/people/invite", {
        "email": "New.Person@Example.org", "display_name": "Robin", "role": "trainee",
        "cohort_id": cohort.id})
    assert response.status_code == 302
    invitee = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert invitee.roles == {Role.TRAINEE} and not invitee.has_password
    assert db.session.scalar(select(Enrolment).where(Enrolment.trainee_id == invitee.id)) is not None
    link = _invite_link("new.person@example.org")

    newcomer = type(client)(app)
    page = newcomer.get(link).get_data(as_text=True)
    assert "new.person@example.org" in page and 'value="Robin"' in page
    response = newcomer.post(link, {"display_name": "Robin B.", "legal_name": "Robin Bell",
                                    "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Hello, Robin B." in newcomer.get("/dashboard").get_data(as_text=True)
    assert newcomer.get(link).status_code == 410  # single use


def test_duplicate_email_is_a_form_error_and_sends_nothing(client, login_as, make_user):
    login_as(Role.STAFF)
    make_user(Role.TRAINEE, email="taken@example.org")
    response = client.post("/staff/people/invite", {
        "email": "TAKEN@example.org", "display_name": "Someone", "role": "supervisor", "cohort_id": 0})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_only_trainees_join_a_cohort_and_nothing_is_saved_otherwise(client, login_as):
    login_as(Role.STAFF)
    cohort = create_cohort("Winter")
    db.session.commit()
    response = client.post("/staff/people/invite", {
        "email": "sup@example.org", "display_name": "Sup", "role": "supervisor", "cohort_id": cohort.id})
    assert response.status_code == 400
    assert "Only trainees" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "sup@example.org")) is None


@pytest.mark.parametrize("data,message", [
    ({"email": "not-an-email", "display_name": "X", "role": "trainee"}, "like name@example.org"),
    ({"email": "a@example.org", "display_name": "   ", "role": "trainee"}, "name you would like"),
    ({"email": "a@example.org", "display_name": "X", "role": "wizard"}, "Please choose one of the options in the list."),
])
def test_bad_invitations_explain_what_to_fix(client, login_as, data, message):
    login_as(Role.STAFF)
    response = client.post("/staff/people/invite", {"cohort_id": 0, **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == data["email"])) is None


def test_resending_an_invitation_retires_the_old_link(app, client, login_as):
    login_as(Role.STAFF)
    client.post("/staff/people/invite", {"email": "late@example.org", "display_name": "Late",
                                         "role": "trainee", "cohort_id": 0})
    first = _invite_link("late@example.org")
    invitee = db.session.scalar(select(User).where(User.email == "late@example.org"))
    client.post(f"/staff/people/{invitee.id}/resend-invite")
    second = _invite_link("late@example.org")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_staff_see_invitations_in_the_outbox_but_not_their_links(client, login_as):
    """An invitation link signs its holder in as the invitee: staff see that it went, not the link."""
    login_as(Role.STAFF)
    client.post("/staff/people/invite", {"email": "out@example.org", "display_name": "Out",
                                         "role": "trainee", "cohort_id": 0})
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "out@example.org" in page and "/invite/" not in page and "Contents hidden" in page
