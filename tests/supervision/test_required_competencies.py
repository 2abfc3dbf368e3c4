"""The competencies page says, in words, which competencies each credential track requires
and at what level."""
import re
from pathlib import Path

from tests.conftest import content_library
from training.certification.eligibility import required_competencies
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Role

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


def test_required_competencies_are_marked_with_the_minimum_level(client, login_as, make_user):
    sync_library(content_library(FIXTURE))
    db.session.commit()
    login_as(make_user(Role.TRAINEE))
    page = client.get("/competencies/").get_data(as_text=True)
    assert ("<strong>Basic Peer Credential</strong> requires 2 of these competencies, each signed off "
            "at “Meets” or higher.") in page and "0 of them are met so far" in page
    items = dict(re.findall(r'<li id="([\w.]+)">(.*?)</li>', page, re.S))
    note = "<strong>Required</strong> for Basic Peer Credential: signed off at “Meets” or higher."
    assert [code for code, item in items.items() if note in item] == ["C01.1", "C02.1"]
    assert len(items) > 2  # the others are listed, without the mark


def test_required_competencies_reads_every_track():
    tracks = [{"title": "A", "competencies": {"required": ["C1", "C2"], "minimum_level": "exceeds"}},
              {"title": "B", "competencies": {"required": ["C2"]}}, {"title": "C"}]
    assert required_competencies(tracks) == {"C1": [("A", "exceeds")], "C2": [("A", "exceeds"), ("B", "meets")]}
