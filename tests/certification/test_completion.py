"""A training program's certificate of completion: the course, the hours by domain from the
person's own records, what they count toward; never "Certified", and no expiry."""
import io
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.certification.conftest import FIXTURE
from tests.conftest import content_library
from training.certification.verification import verify_credential
from training.certification.issuance import issue
from training.certification.keys import open_signed
from training.certification.schema import schema_problems
from training.certification.standing import issue_due, standing_for
from training.courses.files import load_library
from training.courses.operations import sync_library
from training.courses.progress import complete_lesson
from training.courses.published import tracks
from training.extensions import db
from training.models import Certificate, Lesson, Quiz, QuizAttempt, Role

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
COMPLETION_TRACK = """\
slug: core-done
kind: completion
title: Core Training
counts_toward: the Basic Peer Credential
number_prefix: CTC
issue_automatically: true
training:
  course: core
  modules: [boundaries]
"""


@pytest.fixture()
def completion(db, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    (root / "tracks" / "core-done.yml").write_text(COMPLETION_TRACK)
    sync_library(load_library(root))
    db.session.commit()
    return tracks()["core-done"]


def _pass_boundaries(trainee, attend_lab, lab_status="present", minutes=None):
    for lesson in db.session.scalars(db.select(Lesson).where(Lesson.slug.in_(["gifts", "why-boundaries-matter"]))):
        complete_lesson(trainee.id, lesson)
    quiz = db.session.scalar(db.select(Quiz).where(Quiz.module_id.is_not(None)))
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                               review="after_pass", score=9, max_score=10, percent=90.0, passed=True))
    db.session.commit()
    attend_lab(trainee, "boundaries-practice", status=lab_status, minutes=minutes)


def test_the_certificate_of_completion_lists_the_hours_earned_and_what_they_count_toward(completion, make_user,
                                                                                         attend_lab):
    trainee = make_user(Role.TRAINEE, legal_name="Robin Example")
    _pass_boundaries(trainee, attend_lab)
    standing = standing_for(completion, trainee.id)
    assert standing.eligibility.eligible
    # 0.25 h self-paced (module.yml) + 90 minutes of the lab, both ethical responsibility.
    assert standing.earned_hours == {"ethical-responsibility": {"title": "Ethical responsibility", "hours": 1.75}}
    certificate, created = issue(trainee, completion, standing.eligibility, by=None, now=NOW,
                                 contact_hours=standing.earned_hours)
    db.session.commit()
    assert created and certificate.kind == "completion" and certificate.expires_on is None
    assert (certificate.course_title, certificate.counts_toward, certificate.total_hours) == (
        "Core Training", "the Basic Peer Credential", 1.75)
    assert certificate.status(NOW.date().replace(year=2040)) == "valid"  # a record of training; it never expires

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(certificate.pdf)).pages)
    assert "Certificate of Completion" in text and "Robin Example" in text
    assert "1.75 contact hours toward the Basic Peer Credential" in text
    assert "Ethical responsibility: 1.75 h" in text
    assert "certifies" not in text.lower() and "Expires" not in text

    verdict = verify_credential(certificate.credential_jwt, today=NOW.date())
    assert verdict.ok, verdict.problems
    credential = json.loads(open_signed(certificate.credential_jwt).payload)
    assert schema_problems(credential) == [] and "validUntil" not in credential and "exp" not in credential
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert credential["name"] == "Certificate of Completion: Core Training"
    assert "1.75 contact hours (Ethical responsibility 1.75) toward the Basic Peer Credential" in achievement[
        "description"]
    assert "not a credential" in achievement["description"]


def test_only_what_the_person_attended_counts(completion, make_user, attend_lab):
    trainee = make_user(Role.TRAINEE, legal_name="Sam Partial")
    _pass_boundaries(trainee, attend_lab, lab_status="left-early", minutes=45)
    standing = standing_for(completion, trainee.id)
    assert not standing.eligibility.eligible  # the required lab was not attended in full
    modules = next(check for check in standing.eligibility.checks if check.group == "training")
    assert modules.missing == ("Boundaries and dual relationships",)
    attend_lab(trainee, "boundaries-practice")
    standing = standing_for(completion, trainee.id)
    # Both sessions' minutes count (45 + 90), on top of the module's 0.25 h.
    assert standing.eligibility.eligible and standing.earned_hours["ethical-responsibility"]["hours"] == 2.5


def test_issued_automatically_the_moment_the_last_requirement_is_met(completion, make_user, attend_lab):
    trainee = make_user(Role.TRAINEE, legal_name="Auto Issued")
    _pass_boundaries(trainee, attend_lab, lab_status="absent")
    assert issue_due([trainee.id], NOW) == []
    attend_lab(trainee, "boundaries-practice")
    issued = issue_due([trainee.id], NOW)
    db.session.commit()
    assert [c.track for c in issued] == ["core-done"] and issued[0].number == "CTC-2026-000001"
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1


def test_the_demo_completion_track_never_says_certified():
    library = content_library(Path(__file__).resolve().parents[2] / "courses")
    completion = library.tracks["core-training"]
    assert completion.kind == "completion" and "certif" not in completion.title.lower()


def test_a_certificate_that_waited_only_for_the_legal_name_is_issued_when_it_is_added(client, login_as, completion,
                                                                                     make_user, attend_lab):
    trainee = make_user(Role.TRAINEE, display_name="Kit")
    trainee.legal_name = ""
    db.session.commit()
    login_as(trainee)
    _pass_boundaries(trainee, attend_lab)
    assert issue_due([trainee.id], NOW) == [] and db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    db.session.commit()
    client.post("/account/", {"display_name": "Kit", "legal_name": "Kit Ramirez"})
    certificate = db.session.scalar(db.select(Certificate))
    assert (certificate.legal_name, certificate.kind) == ("Kit Ramirez", "completion")


def test_the_holder_and_anyone_verifying_see_a_completion_with_its_hours(client, login_as, completion, make_user,
                                                                        attend_lab):
    trainee = make_user(Role.TRAINEE, legal_name="Robin Example")
    _pass_boundaries(trainee, attend_lab)
    certificate = issue_due([trainee.id], NOW)[0]
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate of completion is valid." in page and "It is not a professional credential" in page
    assert "Certificate of Completion: Core Training" in page and "Does not expire" in page
    assert "1.75 toward the Basic Peer Credential (Ethical responsibility 1.75)" in page
    login_as(trainee)
    page = client.get("/certificates").get_data(as_text=True)
    assert "a certificate of completion does not expire" in page and "Continuing education" not in page
