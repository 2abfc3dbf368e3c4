"""The story workspace keeps drafts private: these tests try to read them every way they can."""
import pytest
from sqlalchemy import func, select

from training.extensions import db
from training.models import Enrolment, Role, StoryDraft, StoryFeedback, StoryRead
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee

SECRET = "the night at the river I have never told anyone"


@pytest.fixture()
def people(make_user):
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    enrol_trainee(create_cohort("Story cohort"), trainee)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "other_supervisor": make_user(Role.SUPERVISOR),
            "other_trainee": make_user(Role.TRAINEE), "staff": make_user(Role.STAFF),
            "staff_supervisor": make_user(Role.STAFF, Role.SUPERVISOR)}


def write_draft(client, trainee) -> StoryDraft:
    client.sign_in_as(trainee)
    response = client.post("/stories/new", {"title": "Group version", "purpose": "Hope", "audience": "A group",
                                            "leave_out": "My family", "body": SECRET})
    assert response.status_code == 302
    return db.session.scalar(select(StoryDraft).order_by(StoryDraft.id.desc()))


def reads() -> int:
    return db.session.scalar(select(func.count(StoryRead.id)))


def test_a_private_draft_is_readable_by_its_author_only(client, people):
    draft = write_draft(client, people["trainee"])
    assert SECRET in client.get(f"/stories/{draft.id}").get_data(as_text=True)
    for who in ("supervisor", "other_supervisor", "staff_supervisor"):
        client.sign_in_as(people[who])
        assert client.get(f"/stories/shared/{draft.id}").status_code == 404, who
    client.sign_in_as(people["other_trainee"])
    assert client.get(f"/stories/{draft.id}").status_code == 404
    assert client.post(f"/stories/{draft.id}", {"title": "Mine now", "body": "x"}).status_code == 404
    assert client.post(f"/stories/{draft.id}/delete").status_code == 404
    client.sign_in_as(people["staff"])
    assert client.get(f"/stories/{draft.id}").status_code == 403
    assert client.get(f"/stories/shared/{draft.id}").status_code == 403
    assert reads() == 0


def test_staff_pages_never_show_a_draft(client, people):
    draft = write_draft(client, people["trainee"])
    client.post(f"/stories/{draft.id}/share", {"share": "1"})  # even shared, it is for supervisors only
    client.sign_in_as(people["staff"])
    cohort_id = db.session.scalar(select(Enrolment.cohort_id).where(Enrolment.trainee_id == people["trainee"].id))
    pages = ["/dashboard", "/staff/people", f"/staff/people/{people['trainee'].id}", "/staff/cohorts",
             f"/staff/cohorts/{cohort_id}", "/staff/outbox", "/author/", "/author/quizzes/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert SECRET not in page and "Group version" not in page, url


def test_sharing_lets_assigned_supervisors_read_and_every_read_is_logged(client, people):
    draft = write_draft(client, people["trainee"])
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    client.sign_in_as(people["supervisor"])
    trainee_page = client.get(f"/supervision/trainees/{people['trainee'].id}").get_data(as_text=True)
    assert "Group version" in trainee_page and SECRET not in trainee_page
    assert SECRET in client.get(f"/stories/shared/{draft.id}").get_data(as_text=True)
    assert "My family" not in client.get(f"/stories/shared/{draft.id}").get_data(as_text=True)  # kept for the author
    assert client.post(f"/stories/shared/{draft.id}", {"body": "Lovely and brief."}).status_code == 302
    client.sign_in_as(people["other_supervisor"])
    assert client.get(f"/stories/shared/{draft.id}").status_code == 404
    assert reads() == 2
    client.sign_in_as(people["trainee"])
    page = client.get(f"/stories/{draft.id}").get_data(as_text=True)
    assert page.count(people["supervisor"].display_name + ",") >= 2 and "Lovely and brief." in page
    assert reads() == 2  # the author's own reads are not logged


def test_unsharing_closes_the_door_at_once(client, people):
    draft = write_draft(client, people["trainee"])
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    client.post(f"/stories/{draft.id}/share", {"share": "0"})
    client.sign_in_as(people["supervisor"])
    assert client.get(f"/stories/shared/{draft.id}").status_code == 404
    assert client.post(f"/stories/shared/{draft.id}", {"body": "Hello"}).status_code == 404


def test_only_one_draft_is_shared_at_a_time(client, people):
    first = write_draft(client, people["trainee"])
    second = write_draft(client, people["trainee"])
    client.post(f"/stories/{first.id}/share", {"share": "1"})
    client.post(f"/stories/{second.id}/share", {"share": "1"})
    db.session.expire_all()
    assert db.session.get(StoryDraft, first.id).shared_at is None
    assert db.session.get(StoryDraft, second.id).shared_at is not None


def test_deleting_removes_the_draft_its_feedback_and_its_read_log(client, people):
    draft = write_draft(client, people["trainee"])
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    client.sign_in_as(people["supervisor"])
    client.get(f"/stories/shared/{draft.id}")
    client.post(f"/stories/shared/{draft.id}", {"body": "Thank you for sharing."})
    client.sign_in_as(people["trainee"])
    assert "cannot be undone" in client.get(f"/stories/{draft.id}/delete").get_data(as_text=True)
    assert client.post(f"/stories/{draft.id}/delete").status_code == 302
    for model in (StoryDraft, StoryFeedback, StoryRead):
        assert db.session.scalar(select(func.count(model.id))) == 0, model.__name__


def test_a_draft_needs_a_name_and_loses_nothing_when_it_has_none(client, people):
    client.sign_in_as(people["trainee"])
    response = client.post("/stories/new", {"title": " ", "body": SECRET})
    assert response.status_code == 400 and "give the draft a name" in response.get_data(as_text=True)
    assert SECRET in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(StoryDraft.id))) == 0
