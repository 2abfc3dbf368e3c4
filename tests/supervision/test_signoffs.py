"""Competency sign-offs: request, notify, return, revise, approve; observations; what counts as met."""
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import content_library
from training.courses.published import framework
from training.courses.operations import sync_library
from training.extensions import db
from training.models import CompetencyRating, OutboxMessage, Role, SignoffRequest, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.signoffs import (Evidence, SignoffRefused, is_met, record_observation,
                                           request_signoff, standings)

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def people(make_user):
    sync_library(content_library(FIXTURE))  # the framework: competencies and rubric
    trainee, supervisor, second = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    assign_supervisor(trainee, second, primary=False)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "second": second,
            "other_supervisor": make_user(Role.SUPERVISOR), "staff": make_user(Role.STAFF)}


def evidence(**changes):
    fields = {"happened_on": str(date.today()), "setting": "One-to-one at the drop-in centre",
              "method": "direct-observation", "what_happened": "I greeted Sam by name and asked how the week went.",
              "reflection": ""}
    fields.update(changes)
    return fields


def current(request_id) -> SignoffRequest:
    db.session.expire_all()
    return db.session.get(SignoffRequest, request_id)


def ask(client, trainee, code="C01.1", **changes) -> SignoffRequest:
    client.sign_in_as(trainee)
    response = client.post(f"/competencies/{code}/request", evidence(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalar(select(SignoffRequest).order_by(SignoffRequest.id.desc()))


def test_the_whole_loop_request_return_revise_approve(client, people):
    made = ask(client, people["trainee"])
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert {m.recipient for m in mails} == {people["supervisor"].email, people["second"].email}
    client.sign_in_as(people["supervisor"])
    assert "Review queue (1)" in client.get("/supervision/queue").get_data(as_text=True)
    url = f"/supervision/signoffs/{made.id}"
    no_comment = client.post(url, {"outcome": "returned"})
    assert no_comment.status_code == 400 and "what the trainee should add" in no_comment.get_data(as_text=True)
    client.post(url, {"outcome": "returned", "comment": "Please describe how you ended the conversation."})
    assert current(made.id).status == "returned"
    client.sign_in_as(people["trainee"])
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    assert "how you ended the conversation" in page and "Add to your evidence" in page
    client.post(f"/competencies/requests/{made.id}", evidence(what_happened="I greeted Sam and we agreed a next step."))
    assert current(made.id).status == "pending" and len(current(made.id).evidence) == 2
    client.sign_in_as(people["supervisor"])
    no_level = client.post(url, {"outcome": "approved"})
    assert no_level.status_code == 400 and "level on the rubric" in no_level.get_data(as_text=True)
    client.post(url, {"outcome": "approved", "level": "meets", "comment": "Warm and clear."})
    found = current(made.id)
    assert found.status == "approved" and [r.outcome for r in found.responses] == ["returned", "approved"]
    rating = db.session.scalar(select(CompetencyRating))
    assert (rating.level, rating.rater_id, rating.request_id) == ("meets", people["supervisor"].id, made.id)
    client.sign_in_as(people["trainee"])
    page = client.get("/competencies/").get_data(as_text=True)
    assert "1 met so far" in page and "Meets (" in page


def test_bad_requests_get_clear_answers(client, people):
    client.sign_in_as(people["trainee"])
    future = client.post("/competencies/C01.1/request", evidence(happened_on=str(date.today() + timedelta(days=2))))
    assert future.status_code == 400 and "in the future" in future.get_data(as_text=True)
    empty = client.post("/competencies/C01.1/request", evidence(what_happened="  "))
    assert empty.status_code == 400 and "describe what happened" in empty.get_data(as_text=True)
    assert client.get("/competencies/C99.9/request").status_code == 404
    ask(client, people["trainee"])
    twice = client.post("/competencies/C01.1/request", evidence())
    assert twice.status_code == 400 and "already have a request open" in twice.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SignoffRequest.id))) == 1


def test_only_assigned_supervisors_respond_and_trainees_see_only_their_own(client, people, make_user):
    made = ask(client, people["trainee"])
    client.sign_in_as(people["other_supervisor"])
    assert client.get(f"/supervision/signoffs/{made.id}").status_code == 404
    assert client.post(f"/supervision/signoffs/{made.id}", {"outcome": "approved", "level": "meets"}).status_code == 404
    client.sign_in_as(make_user(Role.TRAINEE))
    assert client.get(f"/competencies/requests/{made.id}").status_code == 404
    assert current(made.id).status == "pending" and db.session.scalar(select(func.count(CompetencyRating.id))) == 0


def test_observations_every_rating_is_kept_and_corrections_supersede(client, people):
    client.sign_in_as(people["second"])
    url = f"/supervision/trainees/{people['trainee'].id}/observe"
    client.post(url, {"competency": "C01.2", "level": "developing", "method": "role-play",
                      "observed_on": str(date.today())})
    client.sign_in_as(people["supervisor"])
    client.post(url, {"competency": "C01.2", "level": "exceeds", "method": "direct-observation",
                      "observed_on": str(date.today())})
    ratings = standings(people["trainee"].id)["C01.2"].ratings
    assert sorted(r.level for r in ratings) == ["developing", "exceeds"]
    first = next(r for r in ratings if r.level == "developing")
    with pytest.raises(Exception, match="reason"):
        record_observation(people["trainee"], people["second"], "C01.2", "meets", "role-play", date.today(), "",
                           utcnow(), supersedes=first)
    record_observation(people["trainee"], people["second"], "C01.2", "meets", "role-play", date.today(), "",
                       utcnow(), supersedes=first, reason="Wrong level clicked")
    db.session.commit()
    standing = standings(people["trainee"].id)["C01.2"]
    assert sorted(r.level for r in standing.ratings) == ["exceeds", "meets"]
    assert [r.level for r in standing.history] == ["developing"]


def test_met_needs_meets_or_higher_from_an_assigned_supervisor(people):
    levels = framework().levels
    supervisors = {people["supervisor"].id}
    rating = lambda level, rater: CompetencyRating(level=level, rater_id=rater)  # noqa: E731
    assert is_met([rating("meets", people["supervisor"].id)], "meets", supervisors, levels)
    assert is_met([rating("exceeds", people["supervisor"].id)], "meets", supervisors, levels)
    assert not is_met([rating("developing", people["supervisor"].id)], "meets", supervisors, levels)
    assert not is_met([rating("no-opportunity", people["supervisor"].id)], "meets", supervisors, levels)
    assert not is_met([rating("exceeds", people["other_supervisor"].id)], "meets", supervisors, levels)
    assert not is_met([], "meets", supervisors, levels)


def test_evidence_can_point_to_a_story_draft_that_opens_only_while_shared(client, people, make_user):
    from training.models import StoryDraft
    mine = StoryDraft(author_id=people["trainee"].id, title="Practice with Sam", body="Ask, share, ask.")
    theirs = StoryDraft(author_id=make_user(Role.TRAINEE).id, title="Someone else's", body="Private")
    db.session.add_all([mine, theirs])
    db.session.commit()
    client.sign_in_as(people["trainee"])
    refused = client.post("/competencies/C02.1/request", evidence(story_draft=str(theirs.id)))
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    with pytest.raises(SignoffRefused, match="your own story drafts"):  # the rule holds without the form too
        request_signoff(people["trainee"], "C02.1", Evidence(date.today(), "Centre", "role-play", "Text", "",
                                                            theirs.id), utcnow())
    db.session.rollback()
    made = ask(client, people["trainee"], code="C02.1", story_draft=str(mine.id))
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/supervision/signoffs/{made.id}").get_data(as_text=True)
    assert "a draft the trainee has not shared" in page and "Practice with Sam" not in page
    client.sign_in_as(people["trainee"])
    client.post(f"/stories/{mine.id}/share", {"share": "1"})
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/supervision/signoffs/{made.id}").get_data(as_text=True)
    assert f'/stories/shared/{mine.id}"' in page
    client.sign_in_as(people["trainee"])
    assert client.post(f"/stories/{mine.id}/delete").status_code == 302
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/supervision/signoffs/{made.id}")
    assert page.status_code == 200 and "Story draft" not in page.get_data(as_text=True)


def test_a_supervisor_corrects_their_own_rating_in_the_browser_form(client, people):
    client.sign_in_as(people["supervisor"])
    url = f"/supervision/trainees/{people['trainee'].id}/observe"
    client.post(url, {"competency": "C01.2", "level": "exceeds", "method": "role-play",
                      "observed_on": str(date.today())})
    rating = db.session.scalar(select(CompetencyRating))
    form = client.get(f"{url}?corrects={rating.id}").get_data(as_text=True)
    assert "Correct your rating of C01.2" in form and "Reason for the correction" in form
    fields = {"competency": "C01.2", "level": "meets", "method": "role-play", "observed_on": str(date.today()),
              "corrects": str(rating.id)}
    no_reason = client.post(url, fields)
    assert no_reason.status_code == 400 and "reason for the correction" in no_reason.get_data(as_text=True)
    assert client.post(url, {**fields, "reason": "I rated the wrong session"}).status_code == 302
    standing = standings(people["trainee"].id)["C01.2"]
    assert [r.level for r in standing.ratings] == ["meets"] and [r.level for r in standing.history] == ["exceeds"]
    client.sign_in_as(people["second"])
    assert client.get(f"{url}?corrects={rating.id}").status_code == 404  # only the rater corrects a rating


def test_the_track_sets_the_level_that_counts_as_met(client, people):
    from training.models import ContentFile
    client.sign_in_as(people["supervisor"])
    client.post(f"/supervision/trainees/{people['trainee'].id}/observe",
                {"competency": "C01.1", "level": "meets", "method": "role-play", "observed_on": str(date.today())})
    client.sign_in_as(people["trainee"])
    assert "1 met so far" in client.get("/competencies/").get_data(as_text=True)
    track = db.session.scalar(select(ContentFile).where(ContentFile.path.like("tracks/%")))
    track.source = track.source.replace("minimum_level: meets", "minimum_level: exceeds")
    db.session.commit()
    assert "0 met so far" in client.get("/competencies/").get_data(as_text=True)
