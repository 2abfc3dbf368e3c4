"""The tamper-evident audit log: every consequential action, in the same transaction as the
action, chained by hashes.

Most events come from the records themselves: a listener sees each new or removed row of the
kinds below as it is flushed (a decision on hours, a rating, a certificate, a role...), so no
view can forget to record one. What happens without a new row (signing in, a failed sign-in,
a revocation written in SQL, an export) is recorded with `record()`. Events wait in the
session until it commits; just before the commit they take the lock on the chain's head
(the last lock the transaction takes, so it cannot deadlock with the action's own locks),
get the next sequence number, and each hash covers the event and the previous hash. A
rollback drops them with the action. `verify()` walks the chain.

Events hold names, numbers and codes, never what someone wrote (no story, statement,
evidence or feedback text).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from training.extensions import db, upsert_insert
from training.models import (Attestation, AuditEvent, AuditHead, Certificate, CompetencyRating, EligibilityRecord,
                             ExamResult, ExternalTraining, HoursDecision, HoursEntry, LabAttendance, LabBooking,
                             LessonVersion, SignoffRequest, SignoffResponse, SigningKey, StoryDraft, StoryRead,
                             SupervisorAssignment, SupervisorQualification, User, UserRole, utcnow)

GENESIS = "0" * 64
PENDING = "audit_pending"
FIELDS = ("seq", "occurred_at", "actor_id", "actor_email", "action", "object_type", "object_id", "subject_id",
          "address", "details", "prev_hash")


def _actor() -> tuple[int | None, str]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, ""


def record(action: str, *, object_type: str = "", object_id=None, subject_id: int | None = None,
           details: dict | None = None, actor: User | None = None, session: Session | None = None) -> None:
    """Add an event to the current transaction; it is written when the transaction commits."""
    session = session or db.session()
    actor_id, actor_email = (actor.id, actor.email) if actor is not None else _actor()
    session.info.setdefault(PENDING, []).append({
        "occurred_at": utcnow(), "actor_id": actor_id, "actor_email": actor_email, "action": action,
        "object_type": object_type, "object_id": "" if object_id is None else str(object_id),
        "subject_id": subject_id, "address": (request.remote_addr or "")[:45] if has_request_context() else "",
        "details": details or {}})


def event_hash(values: dict) -> str:
    """The hash of one event: every field but the hash itself, and the previous event's hash."""
    canonical = {name: values[name] for name in FIELDS}
    canonical["occurred_at"] = _moment(canonical["occurred_at"])
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _moment(value) -> str:
    """A time as the hash sees it (UTC, to the microsecond), however the database returns it."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return str(value)


def _locked_head(session: Session):
    return session.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
                           .with_for_update()).first()


def _write(session: Session) -> None:
    pending = session.info.pop(PENDING, [])
    if not pending:
        return
    head = _locked_head(session)
    if head is None:  # a database made without the migration (which makes the head): make it now
        session.execute(upsert_insert(AuditHead, session).values(id=1, last_seq=0, last_hash=GENESIS)
                        .on_conflict_do_nothing(index_elements=[AuditHead.id]))
        head = _locked_head(session)
    seq, previous = head
    rows = []
    for values in pending:
        seq += 1
        values = {**values, "seq": seq, "prev_hash": previous}
        values["hash"] = previous = event_hash(values)
        rows.append(values)
    session.execute(insert(AuditEvent), rows)
    session.execute(AuditHead.__table__.update().where(AuditHead.id == 1).values(last_seq=seq, last_hash=previous))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint: the outer commit writes
        return
    session.flush()
    _write(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    """The whole transaction ended: committed (its events were written) or rolled back (they
    go with it). A savepoint ending keeps them."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# What each kind of new (or removed) row records: (action, object type, object id, subject id, details).
def _created(instance, session: Session):
    kind = type(instance)
    if kind is HoursDecision:
        trainee_id = session.scalar(select(HoursEntry.trainee_id).where(HoursEntry.id == instance.entry_id))
        return f"hours.{instance.decision}", "hours_entry", instance.entry_id, trainee_id, {}
    if kind is CompetencyRating:
        return ("competency.rating_corrected" if instance.supersedes_id else "competency.rated", "competency_rating",
                instance.id, instance.trainee_id, {"competency": instance.competency, "level": instance.level})
    if kind is SignoffResponse:
        trainee_id = session.scalar(select(SignoffRequest.trainee_id).where(SignoffRequest.id == instance.request_id))
        return (f"signoff.{instance.outcome}", "signoff_request", instance.request_id, trainee_id, {})
    if kind is StoryRead:
        author_id = session.scalar(select(StoryDraft.author_id).where(StoryDraft.id == instance.draft_id))
        return "story.read", "story_draft", instance.draft_id, author_id, {}
    if kind is ExamResult:
        return ("exam.recorded", "exam_result", instance.id, instance.trainee_id,
                {"track": instance.track, "passed": bool(instance.passed)})
    if kind is Attestation:
        return ("attestation.signed", "attestation", instance.id, instance.user_id,
                {"document": instance.document, "version": instance.version})
    if kind is EligibilityRecord:
        return ("eligibility.attested", "eligibility_record", instance.id, instance.user_id,
                {"kind": instance.kind, "region": instance.region})
    if kind is Certificate:
        return ("certificate.issued", "certificate", instance.id, instance.holder_id,
                {"number": instance.number, "track": instance.track, "cycle": instance.cycle,
                 "edition": instance.edition})
    if kind is SupervisorAssignment:
        return ("supervisor.assigned", "supervisor_assignment", instance.id, instance.trainee_id,
                {"supervisor_id": instance.supervisor_id, "primary": bool(instance.is_primary)})
    if kind is UserRole:
        return "role.granted", "user", instance.user_id, instance.user_id, {"role": str(instance.role.value)}
    if kind is User:
        return "account.created", "user", instance.id, instance.id, {}
    if kind is SupervisorQualification:
        return ("qualification.recorded", "supervisor_qualification", instance.id, instance.supervisor_id,
                {"years_in_role": instance.years_in_role})
    if kind is SigningKey:
        return "key.created", "signing_key", instance.kid, None, {}
    if kind is LessonVersion:
        return ("content.published", "lesson", instance.lesson_id, None,
                {"version": instance.number, "origin": instance.origin})
    if kind is ExternalTraining:
        return ("training.recorded", "external_training", instance.id, instance.trainee_id,
                {"domain": instance.domain, "minutes": instance.minutes})
    if kind is LabAttendance:
        trainee_id = session.scalar(select(LabBooking.trainee_id).where(LabBooking.id == instance.booking_id))
        return ("lab.attendance", "lab_booking", instance.booking_id, trainee_id,
                {"status": str(instance.status), "minutes": instance.minutes})
    return None


def _removed(instance):
    if isinstance(instance, SupervisorAssignment):
        return ("supervisor.removed", "supervisor_assignment", instance.id, instance.trainee_id,
                {"supervisor_id": instance.supervisor_id})
    if isinstance(instance, UserRole):
        return "role.removed", "user", instance.user_id, instance.user_id, {"role": str(instance.role.value)}
    return None


def _changed(instance):
    if isinstance(instance, User) and inspect(instance).attrs.is_active_account.history.has_changes():
        return ("account.reactivated" if instance.is_active_account else "account.deactivated", "user", instance.id,
                instance.id, {})
    if isinstance(instance, StoryDraft) and inspect(instance).attrs.shared_at.history.has_changes():
        return ("story.shared" if instance.shared_at else "story.unshared", "story_draft", instance.id,
                instance.author_id, {})
    return None


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    found = [_created(instance, session) for instance in session.new]
    found += [_removed(instance) for instance in session.deleted]
    found += [_changed(instance) for instance in session.dirty]
    for item in found:
        if item is not None:
            action, object_type, object_id, subject_id, details = item
            record(action, object_type=object_type, object_id=object_id, subject_id=subject_id,
                   details={key: value for key, value in details.items() if value is not None}, session=session)


@dataclass(frozen=True)
class Broken:
    seq: int
    why: str


def verify(batch: int = 5000) -> tuple[int, Broken | None]:
    """Walk the chain: (events checked, the first broken event or None). An event is broken
    when its hash does not match its contents, it does not point at the previous event's hash,
    or events are missing (a gap in the sequence, or fewer than the head says)."""
    head = db.session.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    previous, expected, checked = GENESIS, 1, 0
    columns = [getattr(AuditEvent, name) for name in FIELDS] + [AuditEvent.hash]
    last = 0
    while True:
        rows = db.session.execute(select(*columns).where(AuditEvent.seq > last).order_by(AuditEvent.seq)
                                  .limit(batch)).all()
        if not rows:
            break
        for row in rows:
            values = dict(zip([*FIELDS, "hash"], row))
            if values["seq"] != expected:
                return checked, Broken(expected, f"event {expected} is missing (the next one is {values['seq']})")
            if values["prev_hash"] != previous:
                return checked, Broken(values["seq"], "it does not follow the event before it (removed or changed)")
            if event_hash(values) != values["hash"]:
                return checked, Broken(values["seq"], "its contents do not match its hash (changed after writing)")
            previous, expected, checked, last = values["hash"], expected + 1, checked + 1, values["seq"]
    if head is not None and (head.last_seq != checked or head.last_hash != previous):
        return checked, Broken(checked + 1, f"the log ends at event {checked} but {head.last_seq} were written "
                                            "(events were removed from the end)")
    return checked, None
