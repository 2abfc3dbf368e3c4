"""A sign-off says what its rating means: the supervisor's form names the track's level, an
approval below it is refused, and the trainee's request page says whether the rating meets it.
A returned request is revised starting from the evidence sent last."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import CompetencyRating, Role, SignoffRequest, SignoffResponse, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.signoffs import record_observation

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@pytest.fixture()
def people(make_user):
    sync_library(content_library(FIXTURE))  # the rubric (Not yet, Developing, Meets, ...) and a track asking "meets"
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor}


def asked(client, trainee, **changes) -> SignoffRequest:
    client.sign_in_as(trainee)
    fields = {"happened_on": str(date.today() - timedelta(days=3)), "setting": "Role-play in training",
              "method": "role-play", "what_happened": "I welcomed Sam and explained the peer role.",
              "reflection": "I rushed the introduction.", **changes}
    assert client.post("/competencies/C01.1/request", fields).status_code == 302
    return db.session.scalar(select(SignoffRequest).order_by(SignoffRequest.id.desc()))


def test_the_decision_form_explains_each_level_and_the_tracks_minimum(client, people):
    made = asked(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/supervision/signoffs/{made.id}").get_data(as_text=True)
    assert "The credential asks for <strong>“Meets”</strong> or higher" in page
    assert "<dt>Meets (the level the credential needs)</dt><dd>Reliably.</dd>" in page
    for label in ("Developing (below what the credential needs)", "Meets (the level the credential needs)",
                  "Exceeds (above what the credential needs)", "No opportunity (not a judgment, so not an approval)"):
        assert label in page


@pytest.mark.parametrize("level", ["developing", "not-yet", "no-opportunity"])
def test_approving_below_the_tracks_minimum_is_refused_kindly(client, people, level):
    made = asked(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    response = client.post(f"/supervision/signoffs/{made.id}", {"outcome": "approved", "level": level,
                                                                 "comment": "Getting there."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An approval signs the competency off, so it needs “Meets” or higher" in page
    assert "return the request with what to work on next" in page and "Getting there." in page  # nothing lost
    db.session.expire_all()
    assert db.session.get(SignoffRequest, made.id).status == "pending"
    assert db.session.scalar(select(func.count(CompetencyRating.id))) == 0
    assert db.session.scalar(select(func.count(SignoffResponse.id))) == 0


def test_the_request_page_says_whether_the_rating_meets_the_tracks_level(client, people):
    made = asked(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    client.post(f"/supervision/signoffs/{made.id}", {"outcome": "approved", "level": "exceeds"})
    client.sign_in_as(people["trainee"])
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    assert "rated this competency <strong>“Exceeds”</strong>" in page
    assert "That <span class=\"done\">meets</span> the level the credential needs (“Meets” or higher)" in page


def test_an_approval_recorded_below_the_level_reads_as_not_met_until_corrected(client, people):
    # Approvals recorded before the rule, with a rating below the track's level, say what they mean.
    made = asked(client, people["trainee"])
    made.status = "approved"
    rating = CompetencyRating(trainee_id=people["trainee"].id, competency="C01.1", rater_id=people["supervisor"].id,
                              level="developing", method="role-play", observed_on=date.today(), request_id=made.id)
    db.session.add_all([rating, SignoffResponse(request_id=made.id, evidence_id=made.evidence[0].id,
                                                reviewer_id=people["supervisor"].id, outcome="approved")])
    db.session.commit()
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    assert "Approved with a rating below the level the credential needs" in page
    assert "That is <strong>below</strong> the level the credential needs" in page and "not met yet" in page
    assert 'href="/competencies/C01.1/request">ask for a sign-off again' in page

    record_observation(people["trainee"], people["supervisor"], "C01.1", "meets", "role-play", date.today(), "",
                       utcnow(), supersedes=rating, reason="I rated the wrong session")
    db.session.commit()
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    assert "<strong>“Meets”</strong> (a correction of the rating given with the approval)" in page
    assert "below" not in page.split('id="rating-heading"')[1].split("</section>")[0]


def test_revising_a_returned_request_starts_from_the_last_evidence(client, people):
    made = asked(client, people["trainee"])
    client.sign_in_as(people["supervisor"])
    client.post(f"/supervision/signoffs/{made.id}", {"outcome": "returned", "comment": "Say how it ended."})
    client.sign_in_as(people["trainee"])
    page = client.get(f"/competencies/requests/{made.id}").get_data(as_text=True)
    form = page.split("Add to your evidence")[1]
    assert f'value="{date.today() - timedelta(days=3)}"' in form and 'value="Role-play in training"' in form
    assert re.search(r'name="what_happened"[^>]*>\s*I welcomed Sam and explained the peer role.</textarea>', form)
    assert re.search(r'name="reflection"[^>]*>\s*I rushed the introduction.</textarea>', form)
    assert '<input checked id="method-1" name="method" required type="radio" value="role-play">' in form
