"""All models, importable from one place (Alembic and tests need them registered)."""
from training.models.accounts import AccountToken, MailStatus, OutboxMessage, ReportExport, TokenPurpose
from training.models.audit import AuditEvent, AuditHead
from training.models.base import utcnow
from training.models.certificates import (Attestation, Certificate, CertificateCounter, ContinuingEducation,
                                          ExternalTraining, SigningKey, TrackStanding)
from training.models.courses import (ContentFile, ContentRevision, Course, Lesson, LessonDraft, LessonProgress,
                                     LessonVersion, Module)
from training.models.eligibility import (EligibilityRecord, ExamResult, LivedExperienceStatement, StatementStatus,
                                         SupervisorQualification)
from training.models.notifications import EmailPreference, Notification, NotificationKind
from training.models.learnerrecords import IssuedLearnerRecord
from training.models.personaldata import PersonalDataExport
from training.models.statuslist import StatusListEntry
from training.models.labs import AttendanceStatus, Lab, LabAttendance, LabBooking, LabMode, LabSession
from training.models.quizzes import (AttemptItem, AttemptStatus, Quiz, QuizAccommodation, QuizAttempt, QuizKind,
                                     QuizQuestion)
from training.models.supervision import (EVIDENCE_METHODS, CompetencyRating, Decision, HoursDecision, HoursEntry,
                                         HoursKind, SignoffEvidence, SignoffRequest, SignoffResponse,
                                         SignoffStatus)
from training.models.stories import StoryDraft, StoryFeedback, StoryRead
from training.models.cohorts import Cohort, Enrolment, SupervisorAssignment
from training.models.users import Role, User, UserRole, normalise_email
from training.models.xapi import XapiStatement

__all__ = [
    "AuditEvent", "AuditHead", "ReportExport",
    "EligibilityRecord", "ExamResult", "LivedExperienceStatement", "StatementStatus", "SupervisorQualification",
    "AttendanceStatus", "Lab", "LabAttendance", "LabBooking", "LabMode", "LabSession", "QuizKind",
    "Attestation", "Certificate", "CertificateCounter", "ContinuingEducation", "ExternalTraining", "SigningKey", "TrackStanding",
    "AccountToken", "StoryDraft", "StoryFeedback", "StoryRead", "CompetencyRating", "EVIDENCE_METHODS", "SignoffEvidence", "SignoffRequest",
    "SignoffResponse", "SignoffStatus", "Decision", "HoursDecision", "HoursEntry", "HoursKind", "AttemptItem", "AttemptStatus", "Quiz", "QuizAccommodation", "QuizAttempt", "QuizQuestion", "Cohort", "ContentFile", "ContentRevision", "Course", "Lesson", "LessonDraft", "LessonProgress",
    "LessonVersion", "Module", "Enrolment", "MailStatus", "OutboxMessage", "Role",
    "SupervisorAssignment", "TokenPurpose", "User", "UserRole", "normalise_email", "utcnow",
    "EmailPreference", "Notification", "NotificationKind", "PersonalDataExport", "XapiStatement",
    "IssuedLearnerRecord", "StatusListEntry",
]
