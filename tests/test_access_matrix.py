"""Every route, every role: who gets what. A new route must join this table.

Codes: 200 page, 302 redirect (sign-in for anonymous visitors, or done for an action),
403 wrong role, 404 someone else's object (never 403, so nothing can be enumerated),
410 dead link.
"""
import base64
import json
import secrets
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import (Certificate, ContinuingEducation, EligibilityRecord, ExamResult, IssuedLearnerRecord, Lab,
                             LabBooking, LabSession,
                             Lesson, LivedExperienceStatement, Notification, NotificationKind, Quiz, Role, StoryDraft,
                             SupervisorQualification, utcnow, MailStatus, OutboxMessage)
from training.quizzes.attempts import start_attempt, submit_attempt
from training.supervision.hours import NewHours, log_hours
from training.supervision.signoffs import Evidence, request_signoff
from sqlalchemy import select
from training.certification.keys import current_key
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee

COURSE_FIXTURE = Path(__file__).parent / "courses" / "fixtures" / "valid"
ROLES = ("anonymous", "trainee", "supervisor", "staff")

# (method, url template, {role: expected status}); templates use the `world` objects.
MATRIX = [
    ("GET", "/", dict(anonymous=200, trainee=302, supervisor=302, staff=302)),
    ("GET", "/healthz", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/livez", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/staff/reports/exports", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/xapi/statements.json", dict(anonymous=302, trainee=403, supervisor=403, staff=400)),  # no period
    ("GET", "/staff/reports/exports/987654", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("POST", "/staff/outbox/{message}/retry", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/staff/audit", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/account/activity", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    # One's own data: everyone signed in asks for theirs; a file is only its owner's (404 for others).
    ("GET", "/account/data", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/account/data/987654", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("GET", "/staff/people/{other_trainee}/erase", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/people/999999/erase", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("POST", "/staff/people/{other_trainee}/erase", dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    ("GET", "/readyz", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/login", dict(anonymous=200, trainee=302, supervisor=302, staff=302)),
    ("POST", "/logout", dict(anonymous=302, trainee=302, supervisor=302, staff=302)),
    ("GET", "/password/forgot", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/password/reset/not-a-real-link", dict(anonymous=410, trainee=410, supervisor=410, staff=410)),
    ("GET", "/invite/not-a-real-link", dict(anonymous=410, trainee=410, supervisor=410, staff=410)),
    ("GET", "/register", dict(anonymous=404, trainee=404, supervisor=404, staff=404)),
    ("GET", "/dashboard", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/account/", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/account/password", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    # Notifications: everyone signed in has their own; someone else's is "not found".
    ("GET", "/notifications/", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/notifications/{own_notification}", dict(anonymous=302, trainee=302, supervisor=404, staff=404)),
    ("GET", "/notifications/999999", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("POST", "/notifications/read", dict(anonymous=302, trainee=302, supervisor=302, staff=302)),
    ("POST", "/notifications/email", dict(anonymous=302, trainee=400, supervisor=400, staff=400)),
    ("GET", "/supervision/trainees", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/supervision/trainees/{own_trainee}", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/supervision/trainees/{other_trainee}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/supervision/trainees/{staff}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/staff/people", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/people/invite", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/people/import", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/search", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/people/{own_trainee}", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/people/999999", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("POST", "/staff/people/{other_trainee}/resend-invite", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("POST", "/staff/people/{other_trainee}/active", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/staff/cohorts", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/cohorts/{cohort_id}", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/staff/assignments/{assignment}/remove", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/staff/assignments/{assignment}/remove", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/assignments/999999/remove", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/courses/", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/courses/core", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/courses/core/boundaries/gifts", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("POST", "/courses/core/boundaries/gifts/complete", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("GET", "/author/", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/author/courses", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("POST", "/author/courses/{course}/modules", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("POST", "/author/modules/{module}/lessons", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("POST", "/author/lessons/{lesson}/move", dict(anonymous=302, trainee=403, supervisor=403, staff=400)),
    ("POST", "/author/modules/{module}/move", dict(anonymous=302, trainee=403, supervisor=403, staff=400)),
    ("GET", "/author/lessons/{lesson}/edit", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/lessons/999999/edit", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/author/lessons/{lesson}/history", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/author/lessons/{lesson}/restore/{version}", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("POST", "/author/lessons/{lesson}/restore/999999", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/outbox", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    # Reports: staff only (the exports are the same routes with ?format=csv or xlsx).
    ("GET", "/staff/reports/", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/reports/progress", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/reports/modules", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/reports/certificates", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/courses/core/boundaries/quiz", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/courses/core/ethics/quiz", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("POST", "/courses/core/boundaries/quiz/start", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("GET", "/quiz-attempts/{own_attempt}", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/quiz-attempts/{other_attempt}", dict(anonymous=302, trainee=404, supervisor=404, staff=200)),
    ("GET", "/quiz-attempts/999999", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("POST", "/quiz-attempts/{own_attempt}", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/quiz-attempts/{other_attempt}", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/quiz-attempts/{own_attempt}/submit", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/quiz-attempts/{other_attempt}/submit", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("POST", "/quiz-attempts/{other_attempt}/items/{other_essay}/mark",
     dict(anonymous=302, trainee=403, supervisor=404, staff=302)),
    ("GET", "/author/quizzes/", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/999999", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/author/quizzes/{quiz}/questions/new", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}/questions/{question}", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}/questions/999999", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("POST", "/author/quizzes/{quiz}/questions/{question}/retire",
     dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/author/quizzes/{quiz}/gift", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}/import", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}/attempts", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/author/quizzes/{quiz}/accommodations", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/hours/", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("POST", "/hours/practice", dict(anonymous=302, trainee=400, supervisor=403, staff=403)),
    ("POST", "/hours/supervision", dict(anonymous=302, trainee=400, supervisor=403, staff=403)),
    ("POST", "/hours/{own_entry}/withdraw", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/hours/{other_entry}/withdraw", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/competencies/", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/competencies/C01.1/request", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/competencies/C99.9/request", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/competencies/requests/{own_request}", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/competencies/requests/{other_request}", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("POST", "/competencies/requests/{own_request}/withdraw", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/competencies/requests/{other_request}/withdraw",
     dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/supervision/signoffs/{own_request}", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/supervision/signoffs/{other_request}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/supervision/trainees/{own_trainee}/observe", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/supervision/trainees/{other_trainee}/observe",
     dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/stories/", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/stories/new", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/stories/{own_draft}", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/stories/{other_draft}", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("POST", "/stories/{own_draft}/share", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/stories/{other_draft}/share", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/stories/{own_draft}/delete", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/stories/{other_draft}/delete", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/stories/shared/{own_draft}", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/stories/shared/{other_draft}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/stories/shared/{private_draft}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/supervision/queue", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("POST", "/supervision/hours/{own_entry}/decide", dict(anonymous=302, trainee=403, supervisor=302, staff=403)),
    ("POST", "/supervision/hours/{other_entry}/decide", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("POST", "/supervision/hours/decide", dict(anonymous=302, trainee=403, supervisor=302, staff=403)),
    ("GET", "/certification", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/certification/sign/code-of-ethics", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/certification/sign/no-such-document", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/certificates", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/certificates/{own_certificate}/certificate.pdf", dict(anonymous=302, trainee=200, supervisor=403, staff=200)),
    ("GET", "/certificates/{other_certificate}/certificate.pdf",
     dict(anonymous=302, trainee=404, supervisor=403, staff=200)),
    ("GET", "/certificates/{own_certificate}/credential.jwt", dict(anonymous=302, trainee=200, supervisor=403, staff=200)),
    ("GET", "/certificates/{other_certificate}/credential.jwt",
     dict(anonymous=302, trainee=404, supervisor=403, staff=200)),
    ("POST", "/certificates/continuing-education", dict(anonymous=302, trainee=422, supervisor=403, staff=403)),
    # Learner records: the holder, or staff for them, issue one (someone else's holder is "not found";
    # nothing in it yet is a 422 page); anyone with an issued record's link may check it.
    ("POST", "/learner-records/issue/{own_trainee}", dict(anonymous=302, trainee=302, supervisor=403, staff=302)),
    ("POST", "/learner-records/issue/{other_trainee}", dict(anonymous=302, trainee=404, supervisor=403, staff=302)),
    ("POST", "/learner-records/issue/{staff_id}", dict(anonymous=302, trainee=404, supervisor=403, staff=422)),
    ("GET", "/learner-records/{own_record}", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/learner-records/{own_record}/learner-record.jwt", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/learner-records/{own_record}/learner-record.json", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/learner-records/{own_record}/transcript.pdf", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/learner-records/00000000-0000-4000-8000-000000000000",
     dict(anonymous=404, trainee=404, supervisor=404, staff=404)),
    ("POST", "/learner-records/{own_record}/revoke", dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    ("GET", "/certificates/continuing-education/{own_ce}/proof", dict(anonymous=302, trainee=200, supervisor=403, staff=200)),
    ("GET", "/certificates/continuing-education/{other_ce}/proof",
     dict(anonymous=302, trainee=404, supervisor=403, staff=200)),
    ("POST", "/certificates/continuing-education/{own_ce}/delete",
     dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/certificates/continuing-education/{other_ce}/delete",
     dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/verify", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/verify/{own_code}", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/verify/not-a-real-code", dict(anonymous=404, trainee=404, supervisor=404, staff=404)),
    ("GET", "/verify/{own_code}/credential.json", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/verify/{own_code}/credential.jwt", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/issuer", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/issuer/keys.json", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/issuer/keys/{kid}", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/issuer/keys/not-a-key", dict(anonymous=404, trainee=404, supervisor=404, staff=404)),
    ("GET", "/issuer/status/revocation", dict(anonymous=200, trainee=200, supervisor=200, staff=200)),
    ("GET", "/staff/certification/", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/staff/certification/basic/issue", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/staff/certification/basic/trainees/{own_trainee}",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/basic/trainees/{staff_id}", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/certification/no-track/trainees/{own_trainee}",
     dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/certification/certificates", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/certificates/{own_certificate}",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/certificates/999999", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/certification/certificates/{own_certificate}/revoke",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/certificates/999999/revoke", dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("POST", "/staff/certification/certificates/{own_certificate}/revoke",
     dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    ("POST", "/staff/certification/certificates/{own_certificate}/correct",
     dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    ("POST", "/staff/certification/certificates/{own_certificate}/reissue",
     dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    # Practice labs: anyone signed in reads them; trainees book; the facilitator and staff see bookings.
    ("GET", "/labs/", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/labs/{lab}", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/labs/999999", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("GET", "/labs/4294967296", dict(anonymous=404, trainee=404, supervisor=404, staff=404)),
    ("POST", "/labs/sessions/{other_session}/book", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("POST", "/labs/sessions/{own_session}/cancel-place", dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("GET", "/labs/sessions/{own_session}/calendar.ics", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/labs/sessions/{other_session}/calendar.ics",
     dict(anonymous=302, trainee=404, supervisor=404, staff=200)),
    ("GET", "/labs/{lab}/schedule", dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/labs/sessions/{other_session}/cancel", dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    ("GET", "/labs/sessions/{own_session}/attendance", dict(anonymous=302, trainee=403, supervisor=200, staff=200)),
    ("GET", "/labs/sessions/{other_session}/attendance", dict(anonymous=302, trainee=403, supervisor=404, staff=200)),
    # Eligibility: trainees confirm and write; only assigned supervisors read a statement; staff check proofs.
    ("GET", "/certification/board/eligibility/education", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/certification/board/eligibility/diagnosis", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/certification/basic/eligibility/education", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("POST", "/certification/board/eligibility/education/proof",
     dict(anonymous=302, trainee=302, supervisor=403, staff=403)),
    ("GET", "/certification/board/statement", dict(anonymous=302, trainee=200, supervisor=403, staff=403)),
    ("GET", "/certification/basic/statement", dict(anonymous=302, trainee=404, supervisor=403, staff=403)),
    ("GET", "/supervision/statements/{own_statement}", dict(anonymous=302, trainee=403, supervisor=200, staff=403)),
    ("GET", "/supervision/statements/{other_statement}", dict(anonymous=302, trainee=403, supervisor=404, staff=403)),
    ("GET", "/staff/certification/eligibility/{own_eligibility}/proof",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("POST", "/staff/certification/eligibility/{own_eligibility}/checked",
     dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
    # Exams: staff record external results; the final exam is opened by a proctor.
    ("GET", "/staff/certification/basic/trainees/{own_trainee}/exam",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/board/trainees/{own_trainee}/exam",
     dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/certification/basic/trainees/{staff_id}/exam",
     dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/staff/certification/exam-results/{own_result}/correct",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/exam-results/{own_result}/evidence",
     dict(anonymous=302, trainee=403, supervisor=403, staff=200)),
    ("GET", "/staff/certification/exam-results/999999/evidence",
     dict(anonymous=302, trainee=403, supervisor=403, staff=404)),
    ("GET", "/courses/core/exam", dict(anonymous=302, trainee=200, supervisor=200, staff=200)),
    ("GET", "/courses/nope/exam", dict(anonymous=302, trainee=404, supervisor=404, staff=404)),
    ("POST", "/courses/core/exam/start", dict(anonymous=302, trainee=422, supervisor=403, staff=403)),
    # Supervisors' qualifications are recorded by staff.
    ("POST", "/staff/people/{supervisor_id}/qualification", dict(anonymous=302, trainee=403, supervisor=403, staff=422)),
    ("POST", "/staff/qualifications/{qualification}/withdraw",
     dict(anonymous=302, trainee=403, supervisor=403, staff=302)),
]


def _certificate(holder, number):
    """A stored certificate row (the matrix checks access, not rendering)."""
    payload = base64.urlsafe_b64encode(json.dumps({"id": number}).encode()).decode().rstrip("=")
    certificate = Certificate(number=number, code=secrets.token_urlsafe(24), holder_id=holder.id, track="basic",
                              track_title="Basic", issuer_name="Test", legal_name="Name", valid_from=date.today(),
                              expires_on=date.today() + timedelta(days=700), pdf=b"%PDF-1.7 test",
                              credential_jwt=f"e30.{payload}.c2ln")
    db.session.add(certificate)
    return certificate


def _ce(holder):
    record = ContinuingEducation(holder_id=holder.id, topic="ethics", title="Ethics", provider="P",
                                 completed_on=date.today(), minutes=60, proof=b"%PDF-1.7", proof_size=8,
                                 proof_type="application/pdf", proof_name="proof.pdf")
    db.session.add(record)
    return record


@pytest.fixture()
def world(db, make_user):
    """A staff member, a supervisor, their trainee, another trainee and a cohort."""
    staff = make_user(Role.STAFF)
    supervisor = make_user(Role.SUPERVISOR)
    own, other = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    cohort = create_cohort("Matrix cohort")
    enrol_trainee(cohort, own)
    assignment = assign_supervisor(own, supervisor, primary=True)
    sync_library(content_library(COURSE_FIXTURE))
    db.session.commit()
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "gifts"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    own_attempt = start_attempt(quiz, own, utcnow())
    other_attempt = start_attempt(quiz, other, utcnow())
    submit_attempt(other_attempt, utcnow())
    essay = next((item for item in other_attempt.items if item.question["type"] == "essay"), other_attempt.items[0])
    own_entry, _ = log_hours(own, NewHours("practice", "individual-support", date.today(), 60, "Centre", False,
                                           "", "own"), date.today())
    other_entry, _ = log_hours(other, NewHours("practice", "individual-support", date.today(), 60, "Centre", False,
                                               "", "other"), date.today())
    evidence = Evidence(date.today(), "Centre", "role-play", "Greeted warmly.", "")
    own_request = request_signoff(own, "C01.1", evidence, utcnow())
    other_request = request_signoff(other, "C01.1", evidence, utcnow())
    own_draft = StoryDraft(author_id=own.id, title="Mine", body="Private", shared_at=utcnow())
    other_draft = StoryDraft(author_id=other.id, title="Theirs", body="Private", shared_at=utcnow())
    private_draft = StoryDraft(author_id=own.id, title="Private", body="Private")
    db.session.add_all([own_draft, other_draft])
    db.session.flush()
    db.session.add(private_draft)  # after: sharing own_draft is the one shared
    own_certificate, other_certificate = _certificate(own, "BPC-2026-000001"), _certificate(other, "BPC-2026-000002")
    own_ce, other_ce = _ce(own), _ce(other)
    lab = db.session.scalar(select(Lab).where(Lab.slug == "boundaries-practice"))
    soon = utcnow() + timedelta(days=7)
    own_session = LabSession(lab_id=lab.id, starts_at=soon, minutes=90, time_zone="America/Chicago", mode="online",
                             link="https://meet.example/lab", facilitator_id=supervisor.id, capacity=5, booked=1,
                             created_by_id=staff.id)
    other_session = LabSession(lab_id=lab.id, starts_at=soon + timedelta(days=7), minutes=90, time_zone="UTC",
                               mode="in-person", location="Room 1", facilitator_id=staff.id, capacity=5,
                               created_by_id=staff.id)
    db.session.add_all([own_session, other_session])
    db.session.flush()
    db.session.add(LabBooking(session_id=own_session.id, trainee_id=own.id))
    own_result = ExamResult(trainee_id=own.id, track="basic", exam_name="Peer Recovery exam", taken_on=date.today(),
                            passed=True, evidence=b"%PDF-1.7", evidence_size=8, evidence_type="application/pdf",
                            recorded_by_id=staff.id)
    own_eligibility = EligibilityRecord(user_id=own.id, kind="education", document="eligibility-education",
                                        version="2026.1", detail="ged", proof=b"%PDF-1.7", proof_size=8,
                                        proof_type="application/pdf")
    own_statement = LivedExperienceStatement(user_id=own.id, text="Mine", words=1, document="eligibility-statement",
                                             version="2026.1")
    other_statement = LivedExperienceStatement(user_id=other.id, text="Theirs", words=1,
                                               document="eligibility-statement", version="2026.1")
    qualification = SupervisorQualification(supervisor_id=supervisor.id, credential="CPRS", years_in_role=3,
                                            recorded_by_id=staff.id)
    db.session.add_all([own_result, own_eligibility, own_statement, other_statement, qualification])
    own_notification = Notification(user_id=own.id, kind=NotificationKind.HOURS_VERIFIED, text="Verified",
                                    target_type="hours_entries", target_id=own_entry.id)
    db.session.add(own_notification)
    message = OutboxMessage(recipient="x@example.org", subject="s", body="b", status=MailStatus.FAILED)
    db.session.add(message)
    kid = current_key().kid  # the issuer's signing key, made now
    # An issued learner record as stored (signed and rendered at issue; their contents are tested with the feature).
    own_record = IssuedLearnerRecord(holder_id=own.id, fingerprint="f" * 64, achievements=1, issued_by_id=own.id,
                                     credential_jwt="a.b.c", transcript_pdf=b"%PDF-1.7", credential_json=json.dumps({
                                         "issuer": {"name": "Program"}, "credentialSubject": {
                                             "identifier": [{"identityType": "name", "identityHash": "Own Trainee"}],
                                             "verifiableCredential": []}}))
    db.session.add(own_record)
    db.session.commit()
    return {"message": message.id, "own_draft": own_draft.id, "other_draft": other_draft.id, "private_draft": private_draft.id,
            "own_request": own_request.id, "other_request": other_request.id, "own_entry": own_entry.id, "other_entry": other_entry.id, "quiz": quiz.id, "question": quiz.questions[0].id, "own_attempt": own_attempt.id,
            "other_attempt": other_attempt.id, "other_essay": essay.id,"lesson": lesson.id, "version": lesson.current_version_id, "module": lesson.module_id,
            "course": lesson.module.course_id, "staff": staff, "supervisor": supervisor, "trainee": own,
            "own_trainee": own.id, "other_trainee": other.id, "cohort_id": cohort.id, "assignment": assignment.id,
            "staff_id": staff.id, "own_certificate": own_certificate.id, "other_certificate": other_certificate.id,
            "own_code": own_certificate.code, "own_ce": own_ce.id, "other_ce": other_ce.id, "lab": lab.id,
            "own_session": own_session.id, "other_session": other_session.id, "own_result": own_result.id,
            "own_eligibility": own_eligibility.id, "own_statement": own_statement.id,
            "other_statement": other_statement.id, "qualification": qualification.id,
            "supervisor_id": supervisor.id, "own_notification": own_notification.id,
            "kid": kid, "own_record": own_record.public_id}


@pytest.mark.parametrize("method,template,expected", MATRIX,
                         ids=[f"{m} {t}" for m, t, _ in MATRIX])
def test_route_access(client, world, method, template, expected):
    """Each role in turn, in one world (building it is most of the cost); every mismatch is listed."""
    url = template.format(**{k: (v.id if hasattr(v, "id") else v) for k, v in world.items()})
    wrong = []
    for role in ROLES:
        client.sign_out()
        if role != "anonymous":
            client.sign_in_as(world[role])
        response = client.get(url) if method == "GET" else client.post(url)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: {response.status_code}, not {expected[role]}: "
                         f"{response.get_data(as_text=True)[:300]}")
        elif role == "anonymous" and expected[role] == 302 and template not in ("/",):
            assert "/login" in response.headers["Location"]
    assert wrong == []


def test_every_route_is_in_the_matrix(app):
    """A route nobody listed here has no tested access rule: add it to MATRIX."""
    listed = {(method, _rule_of(template)) for method, template, _ in MATRIX}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method == "POST" and "GET" in rule.methods:
                continue  # forms: the GET row covers access; the POST is tested with the feature
            assert (method, rule.rule) in listed, f"{method} {rule.rule} has no row in the access matrix"


def _rule_of(template):
    """Map a concrete URL template back to its Flask rule for the coverage check."""
    import re
    replacements = [
        (r"^/issuer/keys/(\{kid\}|not-a-key)$", "/issuer/keys/<kid>"),
        (r"^/courses/[\w-]+/exam$", "/courses/<course_slug>/exam"),
        (r"^/courses/[\w-]+/exam/start$", "/courses/<course_slug>/exam/start"),
        (r"^/supervision/trainees/\{\w+\}$", "/supervision/trainees/<int:trainee_id>"),
        (r"^/staff/people/(\{\w+\}|\d+)$", "/staff/people/<int:user_id>"),
        (r"^/staff/people/\{\w+\}/(resend-invite|active)$", r"/staff/people/<int:user_id>/\1"),
        (r"^/staff/cohorts/\{\w+\}$", "/staff/cohorts/<int:cohort_id>"),
        (r"^/staff/outbox/\{\w+\}/retry$", "/staff/outbox/<int:message_id>/retry"),
        (r"^/staff/reports/exports/\d+$", "/staff/reports/exports/<int:export_id>"),
        (r"^/account/data/\d+$", "/account/data/<int:download_id>"),
        (r"^/staff/people/(\{\w+\}|\d+)/erase$", "/staff/people/<int:user_id>/erase"),
        (r"^/staff/assignments/(\{\w+\}|\d+)/remove$", "/staff/assignments/<int:assignment_id>/remove"),
        (r"^/author/courses/\{\w+\}/modules$", "/author/courses/<int:course_id>/modules"),
        (r"^/author/modules/\{\w+\}/lessons$", "/author/modules/<int:module_id>/lessons"),
        (r"^/author/(lessons|modules)/\{\w+\}/move$", "/author/<any(lessons, modules):kind>/<int:item_id>/move"),
        (r"^/author/lessons/(\{\w+\}|\d+)/(edit|history)$", r"/author/lessons/<int:lesson_id>/\2"),
        (r"^/author/lessons/\{\w+\}/restore/(\{\w+\}|\d+)$", "/author/lessons/<int:lesson_id>/restore/<int:version_id>"),
        (r"^/courses/[\w-]+/[\w-]+/quiz$", "/courses/<course_slug>/<module_slug>/quiz"),
        (r"^/courses/[\w-]+/[\w-]+/quiz/start$", "/courses/<course_slug>/<module_slug>/quiz/start"),
        (r"^/courses/[\w-]+$", "/courses/<course_slug>"),
        (r"^/courses/[\w-]+/[\w-]+/[\w-]+$", "/courses/<course_slug>/<module_slug>/<lesson_slug>"),
        (r"^/courses/[\w-]+/[\w-]+/[\w-]+/complete$",
         "/courses/<course_slug>/<module_slug>/<lesson_slug>/complete"),
        (r"^/quiz-attempts/(\{\w+\}|\d+)$", "/quiz-attempts/<int:attempt_id>"),
        (r"^/quiz-attempts/\{\w+\}/submit$", "/quiz-attempts/<int:attempt_id>/submit"),
        (r"^/quiz-attempts/\{\w+\}/items/\{\w+\}/mark$", "/quiz-attempts/<int:attempt_id>/items/<int:item_id>/mark"),
        (r"^/author/quizzes/(\{\w+\}|\d+)$", "/author/quizzes/<int:quiz_id>"),
        (r"^/author/quizzes/\{\w+\}/(gift|import|attempts|accommodations)$", r"/author/quizzes/<int:quiz_id>/\1"),
        (r"^/author/quizzes/\{\w+\}/questions/new$", "/author/quizzes/<int:quiz_id>/questions/new"),
        (r"^/author/quizzes/\{\w+\}/questions/(\{\w+\}|\d+)$", "/author/quizzes/<int:quiz_id>/questions/<int:question_id>"),
        (r"^/author/quizzes/\{\w+\}/questions/\{\w+\}/retire$",
         "/author/quizzes/<int:quiz_id>/questions/<int:question_id>/retire"),
        (r"^/hours/(practice|supervision)$", "/hours/<any(practice, supervision):kind>"),
        (r"^/hours/\{\w+\}/withdraw$", "/hours/<int:entry_id>/withdraw"),
        (r"^/competencies/requests/\{\w+\}/withdraw$", "/competencies/requests/<int:request_id>/withdraw"),
        (r"^/supervision/hours/\{\w+\}/decide$", "/supervision/hours/<int:entry_id>/decide"),
        (r"^/competencies/[\w.]+/request$", "/competencies/<code>/request"),
        (r"^/stories/\{\w+\}$", "/stories/<int:draft_id>"),
        (r"^/stories/\{\w+\}/(share|delete)$", r"/stories/<int:draft_id>/\1"),
        (r"^/stories/shared/\{\w+\}$", "/stories/shared/<int:draft_id>"),
        (r"^/competencies/requests/\{\w+\}$", "/competencies/requests/<int:request_id>"),
        (r"^/supervision/signoffs/\{\w+\}$", "/supervision/signoffs/<int:request_id>"),
        (r"^/supervision/trainees/\{\w+\}/observe$", "/supervision/trainees/<int:trainee_id>/observe"),
        (r"^/certificates/\{\w+\}/(certificate\.pdf|credential\.jwt)$", r"/certificates/<int:certificate_id>/\1"),
        (r"^/learner-records/issue/\{\w+\}$", "/learner-records/issue/<int:holder_id>"),
        (r"^/learner-records/(\{\w+\}|[\w-]+)$", "/learner-records/<public_id>"),
        (r"^/learner-records/\{\w+\}/(learner-record\.jwt|learner-record\.json|transcript\.pdf|revoke)$",
         r"/learner-records/<public_id>/\1"),
        (r"^/certificates/continuing-education/\{\w+\}/(proof|delete)$",
         r"/certificates/continuing-education/<int:record_id>/\1"),
        (r"^/certification/sign/[\w-]+$", "/certification/sign/<slug>"),
        (r"^/verify/\{\w+\}/(credential\.json|credential\.jwt)$", r"/verify/<code>/\1"),
        (r"^/verify/(\{\w+\}|[\w-]+)$", "/verify/<code>"),
        (r"^/staff/certification/[\w-]+/issue$", "/staff/certification/<slug>/issue"),
        (r"^/staff/certification/[\w-]+/trainees/\{\w+\}$", "/staff/certification/<slug>/trainees/<int:trainee_id>"),
        (r"^/staff/certification/certificates/(\{\w+\}|\d+)$", "/staff/certification/certificates/<int:certificate_id>"),
        (r"^/staff/certification/certificates/(\{\w+\}|\d+)/(revoke|reissue|correct)$",
         r"/staff/certification/certificates/<int:certificate_id>/\2"),
        (r"^/labs/(\{\w+\}|\d+)$", "/labs/<int:lab_id>"),
        (r"^/labs/\{\w+\}/schedule$", "/labs/<int:lab_id>/schedule"),
        (r"^/labs/sessions/\{\w+\}/(book|cancel-place|calendar\.ics|cancel|attendance)$",
         r"/labs/sessions/<int:session_id>/\1"),
        (r"^/certification/[\w-]+/eligibility/education/proof$", "/certification/<track_slug>/eligibility/education/proof"),
        (r"^/certification/[\w-]+/eligibility/[\w-]+$", "/certification/<track_slug>/eligibility/<kind>"),
        (r"^/certification/[\w-]+/statement$", "/certification/<track_slug>/statement"),
        (r"^/supervision/statements/\{\w+\}$", "/supervision/statements/<int:statement_id>"),
        (r"^/staff/certification/eligibility/\{\w+\}/(proof|checked)$",
         r"/staff/certification/eligibility/<int:record_id>/\1"),
        (r"^/staff/certification/[\w-]+/trainees/\{\w+\}/exam$", "/staff/certification/<slug>/trainees/<int:trainee_id>/exam"),
        (r"^/staff/certification/exam-results/(\{\w+\}|\d+)/(correct|evidence)$",
         r"/staff/certification/exam-results/<int:result_id>/\2"),
        (r"^/staff/people/\{\w+\}/qualification$", "/staff/people/<int:user_id>/qualification"),
        (r"^/staff/qualifications/\{\w+\}/withdraw$", "/staff/qualifications/<int:record_id>/withdraw"),
        (r"^/password/reset/[\w-]+$", "/password/reset/<secret>"),
        (r"^/invite/[\w-]+$", "/invite/<secret>"),
        (r"^/notifications/(\{\w+\}|\d+)$", "/notifications/<int:notification_id>"),
    ]
    for pattern, rule in replacements:
        if re.match(pattern, template):
            return re.sub(pattern, rule, template)
    return template
