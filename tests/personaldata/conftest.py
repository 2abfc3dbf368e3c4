"""A graduate with a record of every kind, and someone else whose records must never show."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.certification.conftest import FIXTURE, eligible, people, track  # noqa: F401 (fixtures)
from training.certification.records import Proof, add_continuing_education
from training.demo_graduate import seed_graduate
from training.extensions import db
from training.mailer import send_mail
from training.models import (AttemptItem, Certificate, Notification, NotificationKind, Quiz, QuizAttempt, Role,
                             StoryDraft, StoryFeedback, StoryRead, utcnow)
from training.staff.cohorts import assign_supervisor
from training.supervision.signoffs import Evidence, request_signoff

PROOF = b"%PDF-1.4 a scanned certificate of attendance"
STORY = "The week I first told my sister the truth, and what changed after."


@pytest.fixture()
def graduate(track, people, make_user):  # noqa: F811 (the fixtures above)
    """Done everything, holds a certificate, and has drafts, sign-offs, notifications, mail and proofs."""
    person = make_user(Role.TRAINEE, email="grad@example.org", legal_name="Dana Q. Holder")
    supervisor, staff = people["supervisor"], people["staff"]
    assign_supervisor(person, supervisor, primary=True)
    seed_graduate(person, supervisor, staff)
    now = utcnow()
    draft = StoryDraft(author_id=person.id, title="Telling my sister", body=STORY, shared_at=now)
    db.session.add(draft)
    db.session.flush()
    db.session.add_all([StoryFeedback(draft_id=draft.id, author_id=supervisor.id, body="Kind and clear."),
                        StoryRead(draft_id=draft.id, reader_id=supervisor.id),
                        Notification(user_id=person.id, kind=NotificationKind.HOURS_VERIFIED, text="Hours verified")])
    request_signoff(person, "C01.1", Evidence(happened_on=now.date(), setting="Drop-in center",
                                              method="direct-observation", what_happened="I asked before sharing.",
                                              reflection="It helped."), now)
    add_continuing_education(person, topic="ethics", title="Ethics refresher", provider="State board",
                             completed_on=date(2026, 6, 1), hours=Decimal(3), proof=Proof("attendance.pdf", PROOF),
                             today=now.date())
    quiz = db.session.scalars(select(Quiz)).first()
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == person.id))
    db.session.add(AttemptItem(attempt_id=attempt.id, position=99, question_id=_any_question(quiz),
                               question={"type": "essay", "prompt": "Describe a boundary."},
                               answer="I told a client I could not lend money.", max_points=1))
    send_mail(person.email, "Welcome", "Welcome to the program.")
    db.session.commit()
    return person


def _any_question(quiz) -> int:
    from training.models import QuizQuestion
    return db.session.scalar(select(QuizQuestion.id).where(QuizQuestion.quiz_id == quiz.id).limit(1))


@pytest.fixture()
def someone_else(make_user, people):  # noqa: F811
    other = make_user(Role.TRAINEE, email="other@example.org", display_name="Other Trainee")
    db.session.add(StoryDraft(author_id=other.id, title="Someone else's story", body="Not yours to see."))
    db.session.commit()
    return other


def certificate_of(person) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.holder_id == person.id))
