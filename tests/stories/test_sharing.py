"""Sharing a draft shares what is on the screen: the share button saves the form first."""
import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.models import Role, StoryDraft
from training.staff.cohorts import assign_supervisor


@pytest.fixture()
def people(make_user):
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor}


def stored(draft_id) -> StoryDraft:
    db.session.expire_all()
    return db.session.get(StoryDraft, draft_id)


def test_text_posted_with_the_share_button_is_saved_and_shared(client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "Group version", "body": "The saved draft."})
    draft = db.session.scalar(select(StoryDraft))
    page = client.get(f"/stories/{draft.id}").get_data(as_text=True)
    assert page.index(">Save the draft</button>") < page.index('name="then" value="share"')  # Enter only saves
    response = client.post(f"/stories/{draft.id}", {"title": "Group version", "body": "Edited, never saved before.",
                                                    "then": "share"})
    assert response.status_code == 302
    assert "Your supervisors can now read this draft" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored(draft.id).body == "Edited, never saved before." and stored(draft.id).shared_at is not None
    client.sign_in_as(people["supervisor"])
    assert "Edited, never saved before." in client.get(f"/stories/shared/{draft.id}").get_data(as_text=True)


def test_a_new_draft_can_be_saved_and_shared_at_once(client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "Five-minute version", "body": "Ask, share, ask.", "then": "share"})
    draft = db.session.scalar(select(StoryDraft))
    assert draft.body == "Ask, share, ask." and draft.shared_at is not None


def test_a_form_with_a_mistake_shares_nothing_and_keeps_the_text(client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "Group version", "body": "The saved draft."})
    draft = db.session.scalar(select(StoryDraft))
    response = client.post(f"/stories/{draft.id}", {"title": " ", "body": "Half-written edit.", "then": "share"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing is saved or shared yet" in page and "Half-written edit." in page
    assert stored(draft.id).shared_at is None and stored(draft.id).body == "The saved draft."


def test_stopping_sharing_works_even_when_the_form_has_a_mistake(client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "Group version", "body": "Shared text.", "then": "share"})
    draft = db.session.scalar(select(StoryDraft))
    response = client.post(f"/stories/{draft.id}", {"title": "", "body": "Unsaved.", "then": "unshare"})
    assert response.status_code == 400 and "This draft is private again" in response.get_data(as_text=True)
    assert stored(draft.id).shared_at is None and stored(draft.id).body == "Shared text."
    assert db.session.scalar(select(func.count(StoryDraft.id))) == 1
