"""Rules for cohorts, enrolment and supervisor assignment. Callers commit."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from training.extensions import db
from training.models import (AttemptStatus, Cohort, Enrolment, HoursEntry, LivedExperienceStatement, QuizAttempt,
                             Role, SignoffRequest, SignoffStatus, StatementStatus, StoryDraft, SupervisorAssignment,
                             User, UserRole, normalise_email)
from training.staff.search import people_matching


class CohortError(ValueError):
    """A cohort change that cannot be made; the message is safe to show."""


def create_cohort(name: str, starts_on=None, ends_on=None) -> Cohort:
    name = name.strip()
    if db.session.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
        raise CohortError(_("A cohort with this name already exists. Please choose another name."))
    if starts_on and ends_on and ends_on < starts_on:
        raise CohortError(_("The end date is before the start date."))
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def enrol_trainee(cohort: Cohort, trainee: User) -> Enrolment:
    """Enrol a trainee; enrolling twice returns the existing enrolment."""
    if not trainee.has_role(Role.TRAINEE):
        raise CohortError(_("%(name)s is not a trainee.", name=trainee.display_name))
    existing = db.session.scalar(select(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.trainee_id == trainee.id))
    if existing is not None:
        return existing
    enrolment = Enrolment(cohort=cohort, trainee=trainee)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def trainee_to_enrol(cohort: Cohort, text: str) -> User:
    """The trainee `text` names: their email address, or a full name only one trainee has.
    Anything else is refused with a message that names up to five trainees who match, so
    staff never enrol the wrong person by a partial match (two queries at most)."""
    text = text.strip()
    trainee_rows = User.role_rows.any(UserRole.role == Role.TRAINEE)
    exact = db.session.scalars(
        select(User).where(trainee_rows, or_(User.email == normalise_email(text),
                                             func.lower(User.display_name) == text.lower()))
        .order_by(User.id).limit(2)).all()
    by_email = [user for user in exact if user.email == normalise_email(text)]
    if by_email or len(exact) == 1:
        return (by_email or exact)[0]
    if len(exact) > 1:
        raise CohortError(_("More than one trainee is called “%(name)s”. Please type the email address of the one "
                            "you mean.", name=text))
    enrolled = select(Enrolment.id).where(Enrolment.cohort_id == cohort.id, Enrolment.trainee_id == User.id).exists()
    similar = db.session.scalars(select(User).where(trainee_rows, ~enrolled, people_matching(text))
                                 .order_by(User.display_name, User.id).limit(5)).all()
    if not similar:
        raise CohortError(_("No trainee matches “%(text)s”. Please check the spelling, or invite them first.",
                            text=text))
    raise CohortError(_("No trainee has exactly that email address or name. Did you mean %(names)s? Please type "
                        "their email address.", names="; ".join(f"{user.display_name} ({user.email})"
                                                               for user in similar)))


def anyone_to_enrol(cohort: Cohort) -> bool:
    """Whether some trainee is not yet in the cohort (one query)."""
    enrolled = select(Enrolment.id).where(Enrolment.cohort_id == cohort.id, Enrolment.trainee_id == User.id).exists()
    return db.session.scalar(select(select(User.id).where(User.role_rows.any(UserRole.role == Role.TRAINEE),
                                                          ~enrolled).exists())) or False


def assign_supervisor(trainee: User, supervisor: User, *, primary: bool, by: User | None = None
                      ) -> SupervisorAssignment:
    """Assign `supervisor` to `trainee`. A new primary replaces the old primary, who stays
    on as an additional supervisor, so nobody loses access to records mid-review. `by`, the
    staff member doing it, may not be either of them (a supervisor reads a trainee's shared
    story and records: nobody gives that access to themselves)."""
    if by is not None and by.id in (trainee.id, supervisor.id):
        raise CohortError(_("You cannot change your own supervision; please ask another staff member."))
    if not supervisor.has_role(Role.SUPERVISOR):
        raise CohortError(_("%(name)s is not a supervisor.", name=supervisor.display_name))
    if supervisor.id == trainee.id:
        raise CohortError(_("Nobody can supervise themselves."))
    assignments = db.session.scalars(select(SupervisorAssignment).where(
        SupervisorAssignment.trainee_id == trainee.id)).all()
    mine = next((a for a in assignments if a.supervisor_id == supervisor.id), None)
    if primary:
        for other in assignments:
            if other.is_primary and other is not mine:
                other.is_primary = False
        db.session.flush()  # clear the old primary before the unique index sees a new one
    if mine is None:
        mine = SupervisorAssignment(trainee=trainee, supervisor=supervisor, is_primary=primary)
        db.session.add(mine)
    elif primary:
        mine.is_primary = True
    db.session.flush()
    return mine


def unassign_supervisor(assignment: SupervisorAssignment, by: User | None = None) -> None:
    if by is not None and by.id in (assignment.trainee_id, assignment.supervisor_id):
        raise CohortError(_("You cannot change your own supervision; please ask another staff member."))
    db.session.delete(assignment)
    db.session.flush()


@dataclass(frozen=True)
class Waiting:
    """What a trainee has waiting for a supervisor, and who else supervises them."""

    hours: int = 0              # entries not yet verified or rejected
    signoffs: int = 0           # sign-off requests waiting for a response
    essays: int = 0             # quiz attempts with an essay answer to mark
    statements: int = 0         # statements of lived experience to read
    shared_draft: bool = False  # a story draft shared with the supervisors
    others: tuple[User, ...] = ()  # the trainee's other supervisors

    @property
    def anything(self) -> bool:
        return bool(self.hours or self.signoffs or self.essays or self.statements)


def waiting_after_removal(assignment: SupervisorAssignment) -> Waiting:
    """What removing `assignment` leaves behind: the trainee's items waiting for a supervisor
    (they stay, for the other supervisors) and who still supervises them (two queries)."""
    trainee_id = assignment.trainee_id
    counts = [
        select(func.count(HoursEntry.id)).where(HoursEntry.trainee_id == trainee_id, HoursEntry.decided_at.is_(None),
                                                HoursEntry.withdrawn_at.is_(None)),
        select(func.count(SignoffRequest.id)).where(SignoffRequest.trainee_id == trainee_id,
                                                    SignoffRequest.status == SignoffStatus.PENDING),
        select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id == trainee_id,
                                                 QuizAttempt.status == AttemptStatus.AWAITING_REVIEW),
        select(func.count(LivedExperienceStatement.id)).where(
            LivedExperienceStatement.user_id == trainee_id, LivedExperienceStatement.status == StatementStatus.PENDING),
        select(func.count(StoryDraft.id)).where(StoryDraft.author_id == trainee_id, StoryDraft.shared_at.is_not(None)),
    ]
    hours, signoffs, essays, statements, shared = db.session.execute(
        select(*(count.scalar_subquery() for count in counts))).one()
    others = db.session.scalars(
        select(User).join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.id)
        .where(SupervisorAssignment.trainee_id == trainee_id, SupervisorAssignment.id != assignment.id)
        .order_by(User.display_name, User.id)).all()
    return Waiting(hours=hours, signoffs=signoffs, essays=essays, statements=statements, shared_draft=bool(shared),
                   others=tuple(others))


def trainees_of(supervisor: User) -> list[tuple[User, bool]]:
    """The supervisor's trainees with whether they are the primary, by name."""
    rows = db.session.execute(
        select(User, SupervisorAssignment.is_primary)
        .join(SupervisorAssignment, SupervisorAssignment.trainee_id == User.id)
        .where(SupervisorAssignment.supervisor_id == supervisor.id)
        .order_by(User.display_name, User.id)).all()
    return [(user, is_primary) for user, is_primary in rows]
