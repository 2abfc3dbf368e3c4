"""A small seeded program for the reports: three trainees in two cohorts with known figures."""
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import (Certificate, CompetencyRating, Decision, HoursDecision, HoursEntry, Lesson,
                             LessonProgress, Module, Quiz, QuizAttempt, Role, User, utcnow)
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


@dataclass
class World:
    staff: User
    supervisor: User
    ana: User
    ben: User
    cy: User
    spring: object
    fall: object


def count_queries(client, url):
    """The response to GET `url` and how many SQL statements it ran."""
    statements = []

    def count(*args):
        statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return response, len(statements)


def hours(trainee, kind, activity, minutes, decision=None, reviewer=None, withdrawn=False):
    entry = HoursEntry(trainee_id=trainee.id, kind=kind, activity=activity, worked_on=date.today() - timedelta(days=2),
                       minutes=minutes, setting="Community center", submission_token=secrets.token_hex(8),
                       withdrawn_at=utcnow() if withdrawn else None)
    db.session.add(entry)
    db.session.flush()
    if decision:
        db.session.add(HoursDecision(entry_id=entry.id, reviewer_id=reviewer.id, decision=decision))
    return entry


def attempt(trainee, quiz, number, percent, passed):
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=number, status="graded",
                               pass_mark=80, review="after_pass", percent=percent, passed=passed, max_score=10,
                               score=percent / 10, submitted_at=utcnow()))


def read_module(trainee, slug):
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == module.id)):
        db.session.add(LessonProgress(trainee_id=trainee.id, lesson_id=lesson.id, completed_at=utcnow(),
                                      completed_version_id=lesson.current_version_id))


def certificate(holder, track="basic", issued=datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc), expires=None,
                revoked=False):
    db.session.add(Certificate(
        number=f"BPC-{secrets.token_hex(4)}", code=secrets.token_urlsafe(24), holder_id=holder.id, track=track,
        track_title="Basic Peer Credential", issuer_name="Peer Support Training Program", legal_name=holder.legal_name,
        valid_from=issued.date(), expires_on=expires or date(2028, 3, 1), issued_at=issued,
        revoked_at=utcnow() if revoked else None, summary={}))


@pytest.fixture()
def world(db, make_user, attend_lab):
    """Ana (Spring, supervised by Sam) has both modules and some hours; Ben (Fall) nothing yet and
    a name that looks like a formula; Cy (Spring, no supervisor) holds the certificate."""
    sync_library(content_library(FIXTURE))
    db.session.commit()
    staff = make_user(Role.STAFF, display_name="Stella Staff")
    supervisor = make_user(Role.SUPERVISOR, display_name="Sam Super")
    other = make_user(Role.SUPERVISOR, display_name="Olga Other")
    ana = make_user(Role.TRAINEE, display_name="Ana Able")
    ben = make_user(Role.TRAINEE, display_name="=HYPERLINK(\"http://x\")")
    cy = make_user(Role.TRAINEE, display_name="Cy Certified")
    spring, fall = create_cohort("Spring"), create_cohort("Fall")
    enrol_trainee(spring, ana), enrol_trainee(fall, ben), enrol_trainee(spring, cy)
    assign_supervisor(ana, supervisor, primary=True)
    assign_supervisor(ben, other, primary=True)
    read_module(ana, "boundaries"), read_module(ana, "ethics")
    quiz = db.session.scalar(select(Quiz).join(Module, Module.id == Quiz.module_id).where(Module.slug == "boundaries"))
    attempt(ana, quiz, 1, 50.0, False)
    attempt(ana, quiz, 2, 90.0, True)
    attempt(ben, quiz, 1, 70.0, False)
    hours(ana, "practice", "individual-support", 120, Decision.VERIFIED, supervisor)
    hours(ana, "practice", "individual-support", 60)                       # pending
    hours(ana, "practice", "individual-support", 30, Decision.REJECTED, supervisor)
    hours(ana, "practice", "individual-support", 45, withdrawn=True)
    hours(ana, "supervision", "individual", 90, Decision.VERIFIED, supervisor)
    db.session.add(CompetencyRating(trainee_id=ana.id, competency="C01.1", rater_id=supervisor.id, level="meets",
                                    method="direct-observation", observed_on=date.today()))
    certificate(cy)
    db.session.commit()
    attend_lab(ana, "boundaries-practice")
    return World(staff, supervisor, ana, ben, cy, spring, fall)
