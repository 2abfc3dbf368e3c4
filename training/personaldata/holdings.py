"""What the platform holds about one person, kind by kind, and what happens to each kind
when staff erase that person's data at their request.

One list, HOLDINGS, serves the download (every row of every kind, as JSON, with the
original files), the erasure's confirmation page (how many rows of each kind go, are
cleared or stay) and the erasure itself. A test checks that every table naming a person
is either held here or listed in NOT_THEIRS with the reason, so a new kind of record
cannot be left out of either by accident.

What a row "about a person" is: the person is its subject (the trainee of an hours entry,
the holder of a certificate), or it belongs to a record of theirs (the decisions on their
hours, the feedback on their draft). What someone did to other people's records (a
supervisor's decision on another trainee's hours) belongs to those people's records.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, or_, select

from training.models import (Attestation, AttemptItem, AuditEvent, Certificate, CompetencyRating, ContinuingEducation,
                             EligibilityRecord, Enrolment, ExamResult, ExternalTraining, HoursDecision, HoursEntry,
                             IssuedLearnerRecord,
                             LabAttendance, LabBooking, LessonProgress, LivedExperienceStatement, Notification,
                             OutboxMessage, PersonalDataExport, QuizAccommodation, QuizAttempt, ReportExport,
                             SignoffEvidence, SignoffRequest, SignoffResponse, StoryDraft, StoryFeedback, StoryRead,
                             SupervisorAssignment, SupervisorQualification, TrackStanding, User, UserRole,
                             XapiStatement, AccountToken)

KEEP, CLEAR, DELETE = "keep", "clear", "delete"


@dataclass(frozen=True)
class Holding:
    """One kind of record: which rows are about the person, and what erasure does to them."""
    name: str                                   # the file in the download: <name>.json
    title: str                                  # what staff see on the erasure's confirmation
    model: type
    about: Callable[[User], ColumnElement[bool]]
    description: str                            # one line for the download's README
    on_erasure: str = KEEP                      # KEEP, CLEAR (the columns below) or DELETE
    cleared: dict[str, object] = field(default_factory=dict)  # column: the value it gets
    why_kept: str = ""                          # KEEP and CLEAR: why the row itself stays
    secret: tuple[str, ...] = ()                # columns never written out (they open accounts)
    # binary columns written as files of their own: column -> the file's name, from the row
    files: dict[str, Callable[[dict], str]] = field(default_factory=dict)


def _mine(column) -> Callable[[User], ColumnElement[bool]]:
    return lambda person: column == person.id


def _of_mine(column, parent_id, parent_owner) -> Callable[[User], ColumnElement[bool]]:
    """Rows that belong to one of the person's own records (decisions on their hours...)."""
    return lambda person: column.in_(select(parent_id).where(parent_owner == person.id))


def _proof_cleared(prefix: str) -> dict[str, object]:
    return {prefix: None, f"{prefix}_name": "", f"{prefix}_type": "", f"{prefix}_size": 0}


def _proof_name(row: dict) -> str:
    return row["proof_name"]


RECORD_OF_TRAINING = "it is part of the training record that certificates and a board's audit rest on"

HOLDINGS: list[Holding] = [
    Holding("account", "Account", User, _mine(User.id), "Your account: names, email, time zone, notification choice.",
            secret=("password_hash", "session_key")),
    Holding("roles", "Roles", UserRole, _mine(UserRole.user_id), "Your roles on the platform.", on_erasure=DELETE),
    Holding("sign-in-links", "Invitation and password-reset links", AccountToken, _mine(AccountToken.user_id),
            "Invitation and password-reset links sent to you (the links themselves are never stored).",
            on_erasure=DELETE, secret=("token_hash",)),
    Holding("cohorts", "Cohort enrollments",
            Enrolment, _mine(Enrolment.trainee_id), "The cohorts you were enrolled in.",
            why_kept="it is the cohort's own record of who trained in it"),
    Holding("supervisors", "Supervisor assignments", SupervisorAssignment,
            lambda person: or_(SupervisorAssignment.trainee_id == person.id,
                               SupervisorAssignment.supervisor_id == person.id),
            "Who supervises you, and whom you supervise.", on_erasure=DELETE),
    Holding("supervisor-qualifications", "Supervisory qualifications",
            SupervisorQualification, _mine(SupervisorQualification.supervisor_id),
            "Your qualification as a supervisor, as staff recorded it.",
            why_kept="it backs the hours they verified for others"),
    Holding("lessons", "Lesson progress", LessonProgress, _mine(LessonProgress.trainee_id),
            "Each lesson you opened and completed, and when.", why_kept=RECORD_OF_TRAINING),
    Holding("quiz-attempts", "Quiz and exam attempts",
            QuizAttempt, _mine(QuizAttempt.user_id), "Your quiz and exam attempts and scores.",
            why_kept=RECORD_OF_TRAINING),
    Holding("quiz-answers", "Quiz answers and marks",
            AttemptItem, _of_mine(AttemptItem.attempt_id, QuizAttempt.id, QuizAttempt.user_id),
            "Each question of each attempt, your answer and its mark.", on_erasure=CLEAR,
            cleared={"marker_comment": None}, why_kept=RECORD_OF_TRAINING),
    Holding("quiz-accommodations", "Quiz accommodations", QuizAccommodation, _mine(QuizAccommodation.user_id),
            "Extra time or attempts granted to you, with the reason.", on_erasure=CLEAR, cleared={"reason": ""},
            why_kept="it explains the attempts it allowed"),
    Holding("hours", "Practice and supervision hours",
            HoursEntry, _mine(HoursEntry.trainee_id), "The practice and supervision hours you logged.",
            on_erasure=CLEAR, cleared={"setting": "", "note": ""}, why_kept=RECORD_OF_TRAINING,
            secret=("submission_token",)),
    Holding("hours-decisions", "Supervisors' decisions on hours",
            HoursDecision, _of_mine(HoursDecision.entry_id, HoursEntry.id, HoursEntry.trainee_id),
            "Your supervisors' decisions on your hours.", on_erasure=CLEAR, cleared={"reason": ""},
            why_kept=RECORD_OF_TRAINING),
    Holding("sign-off-requests", "Sign-off requests", SignoffRequest, _mine(SignoffRequest.trainee_id),
            "The competencies you asked to have signed off.", why_kept=RECORD_OF_TRAINING),
    Holding("sign-off-evidence", "Sign-off evidence", SignoffEvidence,
            _of_mine(SignoffEvidence.request_id, SignoffRequest.id, SignoffRequest.trainee_id),
            "The evidence you gave for each sign-off.", on_erasure=CLEAR,
            cleared={"setting": "", "what_happened": "", "reflection": "", "story_draft_id": None},
            why_kept=RECORD_OF_TRAINING),
    Holding("sign-off-responses", "Supervisors' answers to sign-off evidence", SignoffResponse,
            _of_mine(SignoffResponse.request_id, SignoffRequest.id, SignoffRequest.trainee_id),
            "Your supervisors' answers to your evidence.", on_erasure=CLEAR, cleared={"comment": ""},
            why_kept=RECORD_OF_TRAINING),
    Holding("competency-ratings", "Competency ratings", CompetencyRating, _mine(CompetencyRating.trainee_id),
            "Each competency rating you received, with its rubric level.", on_erasure=CLEAR,
            cleared={"comment": ""}, why_kept=RECORD_OF_TRAINING),
    Holding("lab-bookings", "Lab bookings", LabBooking, _mine(LabBooking.trainee_id), "The practice labs you booked.",
            why_kept=RECORD_OF_TRAINING),
    Holding("lab-attendance", "Lab attendance",
            LabAttendance, _of_mine(LabAttendance.booking_id, LabBooking.id, LabBooking.trainee_id),
            "Your attendance at each lab, as the facilitator recorded it.", why_kept=RECORD_OF_TRAINING),
    Holding("story-drafts", "Recovery story drafts",
            StoryDraft, _mine(StoryDraft.author_id), "Your recovery story drafts.",
            on_erasure=DELETE),
    Holding("story-feedback", "Feedback on story drafts",
            StoryFeedback, _of_mine(StoryFeedback.draft_id, StoryDraft.id, StoryDraft.author_id),
            "Feedback your supervisors wrote on your shared drafts.", on_erasure=DELETE),
    Holding("story-reads", "Read log of shared story drafts",
            StoryRead, _of_mine(StoryRead.draft_id, StoryDraft.id, StoryDraft.author_id),
            "Who opened your shared drafts, and when.", on_erasure=DELETE),
    Holding("eligibility", "Eligibility attestations and proofs", EligibilityRecord, _mine(EligibilityRecord.user_id),
            "Your attestations of education, jurisdiction and lived experience, with any proof you uploaded.",
            on_erasure=CLEAR, cleared=_proof_cleared("proof"), why_kept=RECORD_OF_TRAINING,
            files={"proof": _proof_name}),
    Holding("lived-experience-statements", "Statements of lived experience",
            LivedExperienceStatement, _mine(LivedExperienceStatement.user_id),
            "Your written statements of lived experience and the feedback on them.", on_erasure=CLEAR,
            cleared={"text": "", "feedback": ""}, why_kept="its date and outcome back a certificate"),
    Holding("ethics-signatures", "Code of ethics signatures", Attestation, _mine(Attestation.user_id),
            "Each version of the code of ethics you signed, with the name you typed.", why_kept=RECORD_OF_TRAINING),
    Holding("exam-results", "Exam results and evidence", ExamResult, _mine(ExamResult.trainee_id),
            "Exams you took outside the platform, as staff recorded them, with the evidence file.",
            on_erasure=CLEAR, cleared=_proof_cleared("evidence"), why_kept=RECORD_OF_TRAINING,
            files={"evidence": lambda row: row["evidence_name"]}),
    Holding("external-training", "Outside training", ExternalTraining, _mine(ExternalTraining.trainee_id),
            "Training you did elsewhere that staff counted toward your hours.", on_erasure=CLEAR,
            cleared={"note": ""}, why_kept=RECORD_OF_TRAINING),
    Holding("certificates", "Certificates", Certificate, _mine(Certificate.holder_id),
            "Your certificates: each one's details, its PDF and its signed credential.",
            why_kept="a certificate keeps verifying with the status it had, so whoever holds a copy can still "
                     "check it; it keeps the name it was issued in",
            files={"pdf": lambda row: f"certificate-{row['number']}.pdf"}),
    Holding("learner-records", "Learner records issued", IssuedLearnerRecord, _mine(IssuedLearnerRecord.holder_id),
            "The learner records issued to you: each one's signed credential and its transcript.",
            why_kept="a learner record keeps verifying with the status it had, like a certificate, so whoever "
                     "was given its link can still check it; it keeps the name it was issued in",
            files={"transcript_pdf": lambda row: f"learner-record-{row['public_id']}.pdf"}),
    Holding("continuing-education", "Continuing education and proofs",
            ContinuingEducation, _mine(ContinuingEducation.holder_id),
            "The continuing education you logged toward renewal, with your proof.", on_erasure=CLEAR,
            cleared=_proof_cleared("proof"), why_kept=RECORD_OF_TRAINING, files={"proof": _proof_name}),
    Holding("standings", "Certification standings", TrackStanding, _mine(TrackStanding.holder_id),
            "Your standing on each certification track, as last worked out.", on_erasure=DELETE),
    Holding("notifications", "Notifications",
            Notification, _mine(Notification.user_id), "Your notifications.", on_erasure=DELETE),
    Holding("emails", "Emails sent", OutboxMessage, lambda person: OutboxMessage.recipient == person.email,
            "Emails the platform sent you (sign-in links removed).", on_erasure=DELETE),
    Holding("learning-records", "Learning records (xAPI)", XapiStatement, _mine(XapiStatement.actor_id),
            "Learning records (xAPI) sent to the program's learning record store; they name you only by "
            "your holder number.",
            why_kept="they name the person only by a number the platform no longer links to a name"),
    Holding("audit-log", "Audit log entries", AuditEvent,
            lambda person: or_(AuditEvent.subject_id == person.id, AuditEvent.actor_id == person.id),
            "The audit log's entries about you or by you.",
            why_kept="the audit log is append-only, so that any change to it shows; its entries hold names "
                     "and numbers, never what anyone wrote"),
    Holding("data-downloads", "Data downloads", PersonalDataExport, _mine(PersonalDataExport.user_id),
            "The downloads of your data you asked for (their files are not repeated here).", on_erasure=DELETE,
            secret=("content",)),
    Holding("report-files", "Report files", ReportExport, _mine(ReportExport.requested_by_id),
            "Staff only: the large report files you asked for (their files are not repeated here).",
            on_erasure=DELETE, secret=("content",)),
]

# Tables that name a person but hold no record about them, with the reason.
NOT_THEIRS = {
    "lesson_versions": "course content a staff member wrote belongs to the program",
    "lesson_drafts": "unpublished course content a staff member wrote belongs to the program",
    "quiz_questions": "questions a staff member wrote belong to the program",
    "lab_sessions": "a session's facilitator and creator are staff at work, not the record's subject",
}


def rows_about(holding: Holding, person: User):
    """The query for this kind's rows about the person (every column, files included)."""
    table = holding.model.__table__
    return select(table).where(holding.about(person)).order_by(*table.primary_key.columns)
