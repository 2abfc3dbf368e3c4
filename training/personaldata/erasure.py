"""Erasing a person's data at their request, by staff, after a confirmation that shows
what will go.

The person's row stays, nameless and unable to sign in, so that the records certificates
and audits rest on (verified hours, ratings, exam results, the certificates themselves)
keep a holder: a certificate keeps verifying with the status it had. What the person wrote
or uploaded is cleared, what exists only for them (story drafts, notifications, sign-in
links, downloads) is deleted, and one audit event records how many rows of each kind went.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from training import audit
from training.extensions import db
from training.models import AttemptItem, EmailPreference, QuizAttempt, User, utcnow
from training.models.users import new_session_key
from training.personaldata.holdings import CLEAR, DELETE, HOLDINGS, KEEP, Holding

ERASED_NAME = "Erased person"
WRITTEN_ANSWERS = ("essay",)  # question types whose answers are the person's own writing


class ErasureRefused(Exception):
    """Why this erasure cannot be done (shown to the staff member)."""


@dataclass(frozen=True)
class Line:
    holding: Holding
    rows: int


@dataclass(frozen=True)
class Plan:
    """What erasing the person would do, kind by kind (only kinds with rows)."""
    deleted: list[Line]
    cleared: list[Line]
    kept: list[Line]


def plan(person: User) -> Plan:
    """Count the person's rows of every kind, in one query."""
    counts = [select(func.count()).select_from(holding.model).where(holding.about(person)).scalar_subquery()
              .label(holding.name.replace("-", "_")) for holding in HOLDINGS]
    row = db.session.execute(select(*counts)).one()
    lines = [Line(holding, rows) for holding, rows in zip(HOLDINGS, row) if rows]
    return Plan(deleted=[line for line in lines if line.holding.on_erasure == DELETE],
                cleared=[line for line in lines if line.holding.on_erasure == CLEAR],
                kept=[line for line in lines if line.holding.on_erasure == KEEP and line.holding.model is not User])


def erase(person: User, *, by: User, reference: str) -> dict[str, int]:
    """Erase the person's data in the caller's transaction; returns rows per kind. The caller
    commits (or rolls back: then nothing at all has changed)."""
    if person.id == by.id:
        raise ErasureRefused(_("You cannot erase your own data; please ask another staff member."))
    if person.erased_at is not None:
        raise ErasureRefused(_("This person's data was already erased."))
    done = {}
    for holding in reversed(HOLDINGS):  # children before the records they belong to
        if holding.on_erasure == DELETE:
            done[holding.name] = db.session.execute(delete(holding.model).where(holding.about(person))
                                                    .execution_options(synchronize_session=False)).rowcount
        elif holding.on_erasure == CLEAR:
            done[holding.name] = db.session.execute(update(holding.model).where(holding.about(person))
                                                    .values(holding.cleared)
                                                    .execution_options(synchronize_session=False)).rowcount
    done["written-answers"] = _clear_written_answers(person)
    _make_nameless(person)
    changed = {name: rows for name, rows in done.items() if rows}
    audit.record("personal_data.erased", object_type="user", object_id=person.id, subject_id=person.id,
                 actor=by, details={"reference": reference, "rows": changed})
    db.session.flush()
    db.session.expire_all()  # the bulk statements left loaded objects stale
    return done


def _clear_written_answers(person: User) -> int:
    """Essay answers are the person's own words: they go; choices and marks stay."""
    items = db.session.execute(select(AttemptItem.id, AttemptItem.question).join(QuizAttempt)
                               .where(QuizAttempt.user_id == person.id)).all()
    written = [item.id for item in items if (item.question or {}).get("type") in WRITTEN_ANSWERS]
    if written:
        db.session.execute(update(AttemptItem).where(AttemptItem.id.in_(written)).values(answer=None)
                           .execution_options(synchronize_session=False))
    return len(written)


def _make_nameless(person: User) -> None:
    """The account stays as a holder of records, with no name, address or way to sign in."""
    person.email = f"erased-{person.id}@erased.invalid"
    person.display_name, person.legal_name = ERASED_NAME, ""
    person.password_hash, person.session_key = None, new_session_key()
    person.is_active_account, person.time_zone, person.last_login_at = False, None, None
    person.notification_email = EmailPreference.OFF
    person.erased_at = utcnow()
    person.standing_version += 1
