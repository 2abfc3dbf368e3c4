"""Supervisors' qualifications, as program staff record them.

A track can count only the hours verified by a qualified supervisor (IC&RC: "qualified
supervisory staff"). A qualification is a record: a change is a new record, withdrawal is
a fact added to it. The newest record not withdrawn is in force.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from training import audit
from training.certification import stored
from training.certification.records import RecordRefused
from training.extensions import db
from training.models import Role, SupervisorQualification, User


def record_qualification(supervisor: User, *, credential: str, license: str, years_in_role: int | None, by: User,
                         now: datetime) -> SupervisorQualification:
    if not supervisor.has_role(Role.SUPERVISOR):
        raise RecordRefused("Only supervisors hold a supervisory qualification; give them the supervisor role first.")
    if not credential.strip():
        raise RecordRefused("Name the credential, such as Certified Peer Recovery Specialist or LCSW.", "credential")
    if years_in_role is None or not 0 <= years_in_role <= 60:
        raise RecordRefused("Give the years in a supervisory role, from 0 to 60.", "years_in_role")
    record = SupervisorQualification(supervisor_id=supervisor.id, credential=credential.strip(),
                                     license=license.strip(), years_in_role=years_in_role, recorded_by_id=by.id,
                                     recorded_at=now)
    db.session.add(record)
    db.session.flush()
    return record


def withdraw_qualification(record: SupervisorQualification, *, by: User, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise RecordRefused("Say why the qualification is withdrawn; it stays on record.", "reason")
    claimed = db.session.execute(update(SupervisorQualification).where(
        SupervisorQualification.id == record.id, SupervisorQualification.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by_id=by.id, withdrawn_reason=reason.strip())
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise RecordRefused("This qualification was already withdrawn.")
    stored.forget_reviewed_by(record.supervisor_id)
    audit.record("qualification.withdrawn", object_type="supervisor_qualification", object_id=record.id,
                 subject_id=record.supervisor_id, actor=by)
    db.session.refresh(record)


def qualifications_of(supervisor_id: int) -> list[SupervisorQualification]:
    """Every record, newest first; the first one not withdrawn is in force."""
    return list(db.session.scalars(select(SupervisorQualification).where(
        SupervisorQualification.supervisor_id == supervisor_id)
        .options(joinedload(SupervisorQualification.recorded_by)).order_by(SupervisorQualification.id.desc())))


def in_force(records: list[SupervisorQualification]) -> SupervisorQualification | None:
    latest = records[0] if records else None
    return latest if latest is not None and latest.withdrawn_at is None else None
