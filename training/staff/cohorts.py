"""Rules for cohorts, enrolment and supervisor assignment. Callers commit."""
from __future__ import annotations

from sqlalchemy import select

from training.extensions import db
from training.models import Cohort, Enrolment, Role, SupervisorAssignment, User


class CohortError(ValueError):
    """A cohort change that cannot be made; the message is safe to show."""


def create_cohort(name: str, starts_on=None, ends_on=None) -> Cohort:
    name = name.strip()
    if db.session.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
        raise CohortError("A cohort with this name already exists. Please choose another name.")
    if starts_on and ends_on and ends_on < starts_on:
        raise CohortError("The end date is before the start date.")
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def enrol_trainee(cohort: Cohort, trainee: User) -> Enrolment:
    """Enrol a trainee; enrolling twice returns the existing enrolment."""
    if not trainee.has_role(Role.TRAINEE):
        raise CohortError(f"{trainee.display_name} is not a trainee.")
    existing = db.session.scalar(select(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.trainee_id == trainee.id))
    if existing is not None:
        return existing
    enrolment = Enrolment(cohort=cohort, trainee=trainee)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def assign_supervisor(trainee: User, supervisor: User, *, primary: bool) -> SupervisorAssignment:
    """Assign `supervisor` to `trainee`. A new primary replaces the old primary, who stays
    on as an additional supervisor, so nobody loses access to records mid-review."""
    if not supervisor.has_role(Role.SUPERVISOR):
        raise CohortError(f"{supervisor.display_name} is not a supervisor.")
    if supervisor.id == trainee.id:
        raise CohortError("Nobody can supervise themselves.")
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


def unassign_supervisor(assignment: SupervisorAssignment) -> None:
    db.session.delete(assignment)
    db.session.flush()


def trainees_of(supervisor: User) -> list[tuple[User, bool]]:
    """The supervisor's trainees with whether they are the primary, by name."""
    rows = db.session.execute(
        select(User, SupervisorAssignment.is_primary)
        .join(SupervisorAssignment, SupervisorAssignment.trainee_id == User.id)
        .where(SupervisorAssignment.supervisor_id == supervisor.id)
        .order_by(User.display_name, User.id)).all()
    return [(user, is_primary) for user, is_primary in rows]
