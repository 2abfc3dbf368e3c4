"""xAPI: what trainees do, as statements for a learning record store (LRS).

Lesson completed, quiz attempted, passed and failed (with the scaled score), lab attended,
competency rated, hours verified, certificate issued and revoked. Each statement is written in
the same transaction as what it reports (a flush listener sees the change), so a rolled-back
action reports nothing. When XAPI_ENDPOINT is set, a job sends the waiting statements after the
commit (with XAPI_USERNAME and XAPI_PASSWORD as HTTP Basic); while the store does not take
them, the job tries again later (30 s, doubling up to an hour) and nothing is lost. Statements
are kept after sending: staff export any period as JSON.

People are named by an `account` (homePage BASE_URL, name the person's stable holder id),
never by their email. Activities are addresses under BASE_URL. Verbs are ADL's
(http://adlnet.gov/expapi/verbs/...) where ADL has one; "earned" is the xAPI registry's
(http://id.tincanapi.com/verb/earned) and "revoked" has no registered verb, so it is ours,
under BASE_URL.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from training.models import (Certificate, CompetencyRating, Course, HoursDecision, HoursEntry, Lab, LabAttendance,
                             LabBooking, LabSession, LessonProgress, LessonVersion, Module, Quiz, QuizAttempt, User,
                             XapiStatement, utcnow)
from training.models.labs import AttendanceStatus
from training.models.supervision import Decision

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "completed": ADL + "completed", "attempted": ADL + "attempted", "passed": ADL + "passed",
    "failed": ADL + "failed", "attended": ADL + "attended", "scored": ADL + "scored",
    "earned": "http://id.tincanapi.com/verb/earned",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson", "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "lab": "http://adlnet.gov/expapi/activities/meeting", "competency": "http://adlnet.gov/expapi/activities/objective",
    "hours": "http://adlnet.gov/expapi/activities/performance", "certificate": "http://adlnet.gov/expapi/activities/course",
}
VERSION = "1.0.3"
BATCH = 200               # statements per request to the store
FIRST_RETRY = 30          # seconds; doubled after each failure, up to MAX_RETRY
MAX_RETRY = 3600
PENDING = "xapi_pending"  # session.info: statements to write at the end of this flush


def enabled() -> bool:
    return bool(current_app.config.get("XAPI_ENDPOINT"))


def _base() -> str:
    """The site's address: BASE_URL, or (development, unset) the local address. Never the
    request's host, so a person's account and the activities are the same in every statement."""
    return (current_app.config.get("BASE_URL") or f"http://127.0.0.1:{current_app.config['PORT']}").rstrip("/")


def _verb(name: str) -> dict:
    iri = VERBS.get(name) or f"{_base()}/xapi/verbs/{name}"
    return {"id": iri, "display": {"en-US": name}}


def _activity(kind: str, key, name: str) -> dict:
    return {"objectType": "Activity", "id": f"{_base()}/xapi/activities/{kind}/{key}",
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en-US": name}}}


def _timestamp(moment: datetime | None) -> str:
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(person: User, verb: str, activity: dict, *, result: dict | None = None,
              moment: datetime | None = None) -> dict:
    """One statement about `person` (named by account, never by email)."""
    made = {"id": str(uuid.uuid4()), "version": VERSION,
            "actor": {"objectType": "Agent", "account": {"homePage": _base(), "name": person.holder_uuid}},
            "verb": _verb(verb), "object": activity, "timestamp": _timestamp(moment)}
    if result:
        made["result"] = result
    return made


# --- what happened, seen at each flush -------------------------------------------------------

def _added(session: Session, instance, attribute: str) -> bool:
    """True when `attribute` went from empty to a value in this flush (or the row is new with one)."""
    if instance in session.new:
        return getattr(instance, attribute) is not None
    history = inspect(instance).attrs[attribute].history
    return bool(history.added) and history.added[0] is not None and not any(
        value is not None for value in history.deleted)


def _statements_for(session: Session, instance) -> list[tuple[int, str, dict]]:
    """(person id, verb, statement) for a change that is one of the reported events."""
    get = session.get
    if isinstance(instance, LessonProgress) and _added(session, instance, "completed_at"):
        version = get(LessonVersion, instance.completed_version_id) if instance.completed_version_id else None
        title = version.title if version else f"Lesson {instance.lesson_id}"
        return [(instance.trainee_id, "completed", statement(
            get(User, instance.trainee_id), "completed", _activity("lesson", instance.lesson_id, title),
            result={"completion": True}, moment=instance.completed_at))]
    if isinstance(instance, QuizAttempt):
        started, marked = instance in session.new, _added(session, instance, "percent")
        if not (started or marked):  # an answer saved, or anything else: nothing to report
            return []
        activity = _activity("quiz", instance.quiz_id, _quiz_name(session, instance.quiz_id))
        person = get(User, instance.user_id)
        if started:
            return [(instance.user_id, "attempted", statement(person, "attempted", activity))]
        verb = "passed" if instance.passed else "failed"
        return [(instance.user_id, verb, statement(person, verb, activity, result={
            "score": {"scaled": round(float(instance.percent) / 100, 4)}, "success": bool(instance.passed),
            "completion": True}))]
    if isinstance(instance, LabAttendance) and instance in session.new and instance.status == AttendanceStatus.PRESENT:
        booking = get(LabBooking, instance.booking_id)
        lab = get(Lab, get(LabSession, booking.session_id).lab_id)
        return [(booking.trainee_id, "attended", statement(
            get(User, booking.trainee_id), "attended", _activity("lab", lab.id, lab.title),
            result={"completion": True, "duration": f"PT{instance.minutes}M"}, moment=instance.recorded_at))]
    if isinstance(instance, CompetencyRating) and instance in session.new:
        return [(instance.trainee_id, "scored", statement(
            get(User, instance.trainee_id), "scored", _activity("competency", instance.competency, instance.competency),
            result={"response": instance.level}))]
    if isinstance(instance, HoursDecision) and instance in session.new and instance.decision == Decision.VERIFIED:
        entry = get(HoursEntry, instance.entry_id)
        return [(entry.trainee_id, "completed", statement(
            get(User, entry.trainee_id), "completed", _activity("hours", entry.kind, f"Verified {entry.kind} hours"),
            result={"completion": True, "duration": f"PT{entry.minutes}M"}, moment=instance.created_at))]
    if isinstance(instance, Certificate):
        activity = _activity("certificate", instance.track, instance.track_title)
        if instance in session.new:
            return [(instance.holder_id, "earned", statement(get(User, instance.holder_id), "earned", activity,
                                                             result={"completion": True, "success": True}))]
        if _added(session, instance, "revoked_at"):
            return [(instance.holder_id, "revoked", statement(get(User, instance.holder_id), "revoked", activity,
                                                              moment=instance.revoked_at))]
    return []


def _quiz_name(session: Session, quiz_id: int) -> str:
    quiz = session.get(Quiz, quiz_id)
    if quiz is not None and quiz.module_id is not None:
        return f"{session.get(Module, quiz.module_id).title}: module quiz"
    if quiz is not None and quiz.course_id is not None:
        return f"{session.get(Course, quiz.course_id).title}: final exam"
    return f"Quiz {quiz_id}"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if not has_app_context():
        return
    rows = []
    for instance in (*session.new, *session.dirty):
        for person_id, verb, made in _statements_for(session, instance):
            rows.append({"statement_id": made["id"], "verb": verb, "actor_id": person_id, "statement": made,
                         "created_at": utcnow(), "attempts": 0})
    if not rows:
        return
    session.execute(insert(XapiStatement), rows)
    if enabled() and not session.info.get(PENDING):
        from training.jobs import after_commit
        session.info[PENDING] = True
        after_commit("send_xapi", session=session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# --- sending ----------------------------------------------------------------------------------

class StoreUnavailable(Exception):
    pass


def post(statements: list[dict]) -> None:
    """POST statements to the store; raises StoreUnavailable with the reason if it does not take them."""
    config = current_app.config
    request = urllib.request.Request(config["XAPI_ENDPOINT"].rstrip("/") + "/statements", method="POST",
                                     data=json.dumps(statements).encode("utf-8"),
                                     headers={"Content-Type": "application/json", "X-Experience-API-Version": VERSION})
    if config.get("XAPI_USERNAME"):
        secret = f"{config['XAPI_USERNAME']}:{config.get('XAPI_PASSWORD') or ''}".encode("utf-8")
        request.add_header("Authorization", "Basic " + base64.b64encode(secret).decode("ascii"))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status not in (200, 204):
                raise StoreUnavailable(f"the store answered {response.status}")
    except urllib.error.HTTPError as error:
        error.close()
        raise StoreUnavailable(f"the store answered {error.code}") from None
    except (OSError, ValueError) as error:
        raise StoreUnavailable(str(error)[:300]) from None


def send_waiting() -> str:
    """Send the waiting statements, oldest first, a batch at a time; on failure, note why and
    try again later. Rows are locked, so two workers never send the same batch."""
    from training.extensions import db
    from training.jobs import after_commit
    if not enabled():
        return "no store configured"
    rows = db.session.scalars(select(XapiStatement).where(XapiStatement.sent_at.is_(None))
                              .order_by(XapiStatement.id).limit(BATCH).with_for_update(skip_locked=True)).all()
    if not rows:
        db.session.rollback()
        return "nothing to send"
    try:
        post([row.statement for row in rows])
    except StoreUnavailable as problem:
        attempts = max(row.attempts for row in rows) + 1
        for row in rows:
            row.attempts, row.last_error = row.attempts + 1, str(problem)
        after_commit("send_xapi", delay=min(MAX_RETRY, FIRST_RETRY * 2 ** (attempts - 1)))
        db.session.commit()
        current_app.logger.warning("xAPI store unavailable (%s); %d statements wait", problem, len(rows))
        return "waiting"
    now = utcnow()
    for row in rows:
        row.sent_at, row.last_error = now, None
    if len(rows) == BATCH:
        after_commit("send_xapi")  # more may wait
    db.session.commit()
    return f"sent {len(rows)}"
