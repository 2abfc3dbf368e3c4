"""What each event tells whom. One function per event, called from the view or rule that
records it; each only adds and flushes (the caller commits).

The texts name people, dates, competency codes and certificate numbers, never what someone
wrote: no story text, statement, feedback or reason for a rejection reaches a notification
or an email (the person opens the page to read it).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from training.courses.published import framework
from training.extensions import db
from training.mailer import external_url
from training.models import (Certificate, Decision, HoursDecision, HoursEntry, LabBooking, LabSession,
                             LivedExperienceStatement, NotificationKind, SignoffRequest, SignoffResponse,
                             SignoffStatus, StatementStatus, StoryDraft, SupervisorAssignment, User)
from training.notifications.delivery import SUBJECTS, notify
from training.supervision.hours import ACTIVITY_LABELS


def day(value: date) -> str:
    """A date as people in the US write it: May 3, 2026."""
    return f"{value:%B} {value.day}, {value.year}"


def assigned_supervisors(trainee_id: int) -> list[User]:
    """Everyone assigned to supervise the trainee, never the trainee themselves (one query)."""
    return list(db.session.scalars(
        select(User).join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.id)
        .where(SupervisorAssignment.trainee_id == trainee_id, User.id != trainee_id).order_by(User.id)))


def _hours(entry: HoursEntry) -> str:
    activity = ACTIVITY_LABELS.get(entry.activity, entry.activity).lower()
    return f"{entry.minutes / 60:g} hours of {activity} on {day(entry.worked_on)}"


def hours_logged(entry: HoursEntry) -> None:
    """A trainee logged hours: each supervisor hears once per batch (counted up while unread)."""
    trainee = entry.trainee
    text = f"{trainee.display_name} logged {_hours(entry)}"
    for supervisor in assigned_supervisors(trainee.id):
        notify(supervisor, NotificationKind.HOURS_LOGGED, text, actor=trainee,
               grouped=lambda count: f"{trainee.display_name} logged {count} hours entries",
               email=("Hours to verify", f"{text}.\n\nVerify or reject the entry in your review queue."))


def hours_decided(entry: HoursEntry, decision: HoursDecision) -> None:
    """A supervisor verified or rejected an entry; several decisions in a row are one notification."""
    reviewer = decision.reviewer
    name = reviewer.display_name
    if decision.decision == Decision.VERIFIED:
        notify(entry.trainee, NotificationKind.HOURS_VERIFIED, f"{name} verified your {_hours(entry)}",
               actor=reviewer, target=entry, grouped=lambda count: f"{name} verified {count} of your hours entries")
    else:
        notify(entry.trainee, NotificationKind.HOURS_REJECTED,
               f"{name} rejected your {_hours(entry)}; the reason is under My hours", actor=reviewer,
               target=entry, grouped=lambda count: f"{name} rejected {count} of your hours entries; the reasons "
                                                   "are under My hours")


def signoff_sent(request: SignoffRequest, subject: str, text: str) -> None:
    """A trainee asked for a sign-off, or sent revised evidence: each supervisor is told."""
    for supervisor in assigned_supervisors(request.trainee_id):
        notify(supervisor, NotificationKind.SIGNOFF_REQUESTED, text.rstrip("."), actor=request.trainee,
               target=request, email=(subject, text))


def signoff_answered(request: SignoffRequest, response: SignoffResponse) -> None:
    """A supervisor approved a sign-off request or returned it with feedback."""
    reviewer = response.reviewer
    competency = framework().competency(request.competency)
    named = f"{request.competency} {competency.title}" if competency else request.competency
    if response.outcome == SignoffStatus.APPROVED:
        notify(request.trainee, NotificationKind.SIGNOFF_APPROVED,
               f"{reviewer.display_name} approved your sign-off request for {named}", actor=reviewer, target=request)
    else:
        notify(request.trainee, NotificationKind.SIGNOFF_RETURNED,
               f"{reviewer.display_name} returned your sign-off request for {named} with feedback", actor=reviewer,
               target=request)


def story_shared(draft: StoryDraft) -> None:
    """A trainee shared a story draft: their supervisors are told (never its title or text)."""
    for supervisor in assigned_supervisors(draft.author_id):
        notify(supervisor, NotificationKind.STORY_SHARED, f"{draft.author.display_name} shared a story draft with you",
               actor=draft.author, target=draft)


def story_feedback(draft: StoryDraft, by: User) -> None:
    """A supervisor gave feedback on a shared draft: its author is told."""
    notify(draft.author, NotificationKind.STORY_FEEDBACK, f"{by.display_name} gave feedback on your story draft",
           actor=by, target=draft)


def statement_sent(statement: LivedExperienceStatement, author: User) -> None:
    """A trainee sent their statement of lived experience: their supervisors are told."""
    for supervisor in assigned_supervisors(author.id):
        notify(supervisor, NotificationKind.STATEMENT_SENT,
               f"{author.display_name} sent their statement of lived experience for you to read", actor=author,
               target=statement,
               email=(None, f"{author.display_name} sent their statement of lived experience for you to read and "
                            "accept, or return with feedback."))


def statement_reviewed(statement: LivedExperienceStatement, by: User) -> None:
    """A supervisor accepted or returned a statement of lived experience."""
    author = statement.user
    if statement.status == StatementStatus.ACCEPTED:
        notify(author, NotificationKind.STATEMENT_ACCEPTED,
               f"{by.display_name} accepted your statement of lived experience", actor=by, target=statement)
    else:
        notify(author, NotificationKind.STATEMENT_RETURNED,
               f"{by.display_name} returned your statement of lived experience with feedback", actor=by,
               target=statement)


def certificate_issued(certificate: Certificate) -> None:
    """A certificate was issued (by staff or automatically): the holder's notification carries
    the one email about it."""
    renewal = f" (renewal, valid from {day(certificate.valid_from)})" if certificate.cycle > 1 else ""
    text = f"Your {certificate.track_title} certificate {certificate.number} is issued{renewal}"
    notify(certificate.holder, NotificationKind.CERTIFICATE_ISSUED, text, actor=certificate.issued_by,
           target=certificate,
           email=(f"Your certificate {certificate.number} is issued",
                  f"Congratulations. {text}.\n\nDownload it and copy its verification link under My certificates:\n"
                  f"{external_url('certification.mine')}"))


def certificate_revoked(certificate: Certificate, *, by: User, reason: str) -> None:
    """Staff revoked a certificate. The reason is public (the verification page shows it), so
    the email may carry it."""
    text = f"Your {certificate.track_title} certificate {certificate.number} was revoked"
    notify(certificate.holder, NotificationKind.CERTIFICATE_REVOKED, text, actor=by, target=certificate,
           email=(f"Your certificate {certificate.number} was revoked",
                  f"{text}. Its verification page now says so.\n\nReason given: {reason.strip()}\n\n"
                  "If you have questions, please contact program staff."))


def renewal_window_opened(certificate: Certificate, holder: User) -> bool:
    """The renewal window of the holder's certificate is open: told once per certificate.
    Returns whether they were told now."""
    text = (f"You can renew your {certificate.track_title} certificate {certificate.number} now; "
            f"it expires on {day(certificate.expires_on)}")
    return notify(holder, NotificationKind.RENEWAL_OPEN, text, target=certificate, once=True,
                  email=(None, f"{text}. Under My certificates you can see what renewal asks for and log "
                               "continuing education.")) is not None


def lab_cancelled(session: LabSession, bookings: list[LabBooking], *, when: str) -> None:
    """Staff cancelled a lab session: everyone booked is told, with the reason and what to do."""
    title = session.lab.title
    for booking in bookings:
        notify(booking.trainee, NotificationKind.LAB_CANCELLED, f"The {title} session on {when} is cancelled",
               target=session,
               email=(f"Cancelled: {title}, {when}",
                      f"The {title} session on {when} is cancelled.\n\nReason: {session.cancel_reason}\n\n"
                      f"Please book another session:\n{external_url('labs.lab', lab_id=session.lab_id)}"))


def supervisor_changed(trainee: User, supervisor: User, *, added: bool, by: User) -> None:
    """Staff assigned a supervisor to the trainee or removed one: the trainee is told, since a
    supervisor can read what they share and decide on their records."""
    text = (f"{supervisor.display_name} now supervises you (assigned by {by.display_name})" if added else
            f"{supervisor.display_name} no longer supervises you (removed by {by.display_name})")
    notify(trainee, NotificationKind.SUPERVISOR_CHANGED, text, actor=by)


FILES_READY = {  # kind: (what the file is, the page it is saved from, that page's name)
    NotificationKind.PERSONAL_DATA_READY: ("data download", "personaldata.mine", "Download my data"),
    NotificationKind.REPORT_READY: ("report", "reports.exports_list", "Exports"),
}


def file_ready(person: User, kind: NotificationKind, filename: str, kept_days: int) -> None:
    """A file a job prepared for `person` (their own data, a large report) is ready: they need
    not keep reloading the page."""
    what, endpoint, page = FILES_READY[kind]
    text = f"Your {what} {filename} is ready. It is kept for {kept_days} days"
    notify(person, kind, text, email=(SUBJECTS[kind], f"{text}; after that you can ask for a new one.\n\n"
                                                      f"Sign in and save it from {page}:\n{external_url(endpoint)}"))
