"""Each person's standing on each track, stored, so that lists of thousands (the staff
certification index, the staff dashboard, the progress report's status filter) read a row per
person instead of computing everyone's standing from their records on every view.

A stored row is good while two things are unchanged since it was computed:
- the person's `users.standing_version`, raised in the same transaction as any change to a
  fact behind their standing (`after_flush` below, for the ORM; `forget` for the few updates
  written in SQL, and in `issue_due`, which runs after anything that can complete a requirement);
- the track's content stamp: the track and shared files, and the course's modules, lessons,
  quizzes and labs, as `courses sync` left them.
A missing or outdated row is computed when it is read, and stored. The version is read before
the facts, so a row can be computed from newer facts than its version says (and is then
computed again), never from older ones: concurrent changes cannot leave a wrong row standing.

Only what does not depend on the date is stored (eligibility for a first certificate and the
requirements met). Whether someone holds a certificate, and whether a renewal is due, are read
from the certificates themselves on every view.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from training.certification import facts as facts_module
from training.certification.eligibility import evaluate
from training.extensions import db, upsert_insert
from training.models import (Attestation, CompetencyRating, ContentFile, EligibilityRecord, ExamResult,
                             ExternalTraining, HoursDecision, HoursEntry, Lab, LabAttendance, LabBooking, Lesson,
                             LessonProgress, LivedExperienceStatement, Quiz, QuizAttempt, SupervisorAssignment,
                             SupervisorQualification, TrackStanding, User, utcnow)

CHUNK = 1000  # people computed (and ids listed in one IN) at a time


@dataclass(frozen=True)
class Stored:
    eligible: bool
    met: int
    total: int


def content_stamp(track: dict) -> str:
    """A hash of everything on the content side that a standing depends on (six small queries)."""
    modules = facts_module.course_modules(track)
    module_ids = [module.id for module in modules]
    parts: list = [track, sorted(db.session.execute(select(ContentFile.path, ContentFile.content_hash)).all()),
                   sorted((m.id, m.slug, m.files_hash, str(m.retired_at), json.dumps(m.details, sort_keys=True,
                                                                                    default=str)) for m in modules)]
    if module_ids:
        parts.append(sorted(db.session.execute(select(Lesson.id, Lesson.module_id, Lesson.retired_at)
                                               .where(Lesson.module_id.in_(module_ids))).all()))
        parts.append(sorted(db.session.execute(select(Lab.id, Lab.module_id, Lab.required, Lab.minutes, Lab.domain,
                                                      Lab.retired_at).where(Lab.module_id.in_(module_ids))).all()))
        course_id = modules[0].course_id
        parts.append(sorted(db.session.execute(select(
            Quiz.id, Quiz.module_id, Quiz.kind, Quiz.files_hash, Quiz.updated_at, Quiz.retired_at)
            .where((Quiz.module_id.in_(module_ids)) | (Quiz.course_id == course_id))).all()))
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _good(track: dict, stamp: str, *columns):
    """The track's stored rows that are still good: holder id first, then `columns`."""
    return (select(TrackStanding.holder_id, *columns)
            .join(User, (User.id == TrackStanding.holder_id) & (User.standing_version == TrackStanding.version))
            .where(TrackStanding.track == track["slug"], TrackStanding.content_stamp == stamp))


def standing_rows(track: dict, ids: list[int]) -> dict[int, Stored]:
    """The stored standing of each person in `ids` on `track`, computing (and storing) any that
    are missing or out of date. Reads every good row of the track in one query."""
    if not ids:
        return {}
    stamp = content_stamp(track)
    wanted = set(ids)
    found = {holder_id: Stored(eligible, met, total) for holder_id, eligible, met, total in db.session.execute(
        _good(track, stamp, TrackStanding.eligible, TrackStanding.requirements_met, TrackStanding.requirements_total))
        if holder_id in wanted}
    missing = [holder_id for holder_id in ids if holder_id not in found]
    for start in range(0, len(missing), CHUNK):
        found.update(compute(track, missing[start:start + CHUNK], stamp))
    return found


def refresh_all() -> int:
    """Compute every trainee's missing or outdated standings on every track, a chunk at a time,
    committing each (after a content change, so the first staff page does not wait). Returns
    how many were computed."""
    from training.certification.standing import trainee_ids
    from training.courses.published import tracks
    ids, computed = trainee_ids(), 0
    for track in tracks().values():
        stamp = content_stamp(track)
        good = set(db.session.scalars(_good(track, stamp)))
        missing = [holder_id for holder_id in ids if holder_id not in good]
        for start in range(0, len(missing), CHUNK):
            computed += len(compute(track, missing[start:start + CHUNK], stamp))
            db.session.commit()
    return computed


def compute(track: dict, ids: list[int], stamp: str | None = None) -> dict[int, Stored]:
    """Compute and store the standing of `ids` on `track` (a fixed number of queries)."""
    stamp = stamp or content_stamp(track)
    versions = dict(db.session.execute(select(User.id, User.standing_version).where(User.id.in_(ids))).all())
    modules = facts_module.course_modules(track)
    gathered = facts_module.gather(track, ids, modules)
    current, names = facts_module.current_versions(track), facts_module.names(track, modules)
    result = {}
    for holder_id in ids:
        if holder_id not in versions:
            continue
        eligibility = evaluate(track, gathered[holder_id], current, names)
        result[holder_id] = Stored(eligibility.eligible, eligibility.met_count, len(eligibility.checks))
    _upsert(track["slug"], stamp, versions, result)
    return result


def _upsert(slug: str, stamp: str, versions: dict[int, int], rows: dict[int, Stored]) -> None:
    if not rows:
        return
    now = utcnow()
    values = [{"holder_id": holder_id, "track": slug, "version": versions[holder_id], "content_stamp": stamp,
               "eligible": row.eligible, "requirements_met": row.met, "requirements_total": row.total,
               "computed_at": now} for holder_id, row in rows.items()]
    statement = upsert_insert(TrackStanding)
    statement = statement.on_conflict_do_update(
        index_elements=[TrackStanding.holder_id, TrackStanding.track],
        set_={name: statement.excluded[name] for name in
              ("version", "content_stamp", "eligible", "requirements_met", "requirements_total", "computed_at")})
    db.session.execute(statement, values)


def _raise_versions(who, session: Session | None = None) -> None:
    """Raise the standing_version of the people `who` selects (a list of ids or a subquery)."""
    (session or db.session).execute(update(User).where(User.id.in_(who))
                                    .values(standing_version=User.standing_version + 1)
                                    .execution_options(synchronize_session=False))


def forget(holder_ids: Iterable[int]) -> None:
    """Mark these people's stored standings out of date (call in the transaction that changes them)."""
    ids = sorted(set(holder_ids))
    for start in range(0, len(ids), CHUNK):
        _raise_versions(ids[start:start + CHUNK])


def forget_reviewed_by(supervisor_id: int) -> None:
    """A supervisor's qualification changed: the hours they verified may now count, or not."""
    _raise_versions(select(HoursEntry.trainee_id).join(HoursDecision, HoursDecision.entry_id == HoursEntry.id)
                    .where(HoursDecision.reviewer_id == supervisor_id).distinct().scalar_subquery())


# The ORM side: any new, changed or deleted record of these kinds changes its person's standing.
# (model, the column naming the person; changes that matter, or None for any change)
_PERSON = {
    Attestation: ("user_id", None), EligibilityRecord: ("user_id", None),
    LivedExperienceStatement: ("user_id", None), CompetencyRating: ("trainee_id", None),
    ExamResult: ("trainee_id", None), ExternalTraining: ("trainee_id", None),
    SupervisorAssignment: ("trainee_id", None), QuizAttempt: ("user_id", ("percent", "passed")),
    LessonProgress: ("trainee_id", ("completed_at",)),
}


def _changed(instance, attributes) -> bool:
    if attributes is None:
        return True
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in attributes)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    people: set[int] = set()
    entries: set[int] = set()
    bookings: set[int] = set()
    supervisors: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        kind = type(instance)
        if kind in _PERSON:
            column, attributes = _PERSON[kind]
            if instance in session.new or instance in session.deleted or _changed(instance, attributes):
                people.add(getattr(instance, column))
        elif kind is HoursDecision:
            entries.add(instance.entry_id)
        elif kind is LabAttendance:
            bookings.add(instance.booking_id)
        elif kind is SupervisorQualification:
            supervisors.add(instance.supervisor_id)
    if not (people or entries or bookings or supervisors):
        return
    if entries:
        people.update(session.scalars(select(HoursEntry.trainee_id).where(HoursEntry.id.in_(entries))))
    if bookings:
        people.update(session.scalars(select(LabBooking.trainee_id).where(LabBooking.id.in_(bookings))))
    people.discard(None)
    if people:
        _raise_versions(sorted(people), session)
    for supervisor_id in supervisors:
        forget_reviewed_by(supervisor_id)
