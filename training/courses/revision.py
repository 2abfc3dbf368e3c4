"""The content revision: one number that changes whenever what readers see changes.

Any flush that adds, changes or removes a course, module, lesson, lesson version, quiz,
question, lab or shared content file sets it to a new random number in the same transaction,
so a cache kept per revision can never serve content older than the database holds once that
transaction has committed. Random rather than counted: a process that outlives its database
(a test run making a database per test, a restored backup) never meets the same number for
other content. Read the revision before the content it keys: content read afterwards is at
least as new as the revision (a cache may hold newer content under an older number, never
the reverse).
"""
from __future__ import annotations

import secrets

from flask import has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from training.extensions import read_rows, upsert_insert
from training.jobs import after_commit
from training.models import ContentFile, ContentRevision, Course, Lab, Lesson, LessonVersion, Module, Quiz, QuizQuestion

CONTENT = (ContentFile, Course, Module, Lesson, LessonVersion, Quiz, QuizQuestion, Lab)
_CURRENT = select(ContentRevision.value).where(ContentRevision.id == 1)


def current() -> int:
    """The content revision now (0 in a database that has never had content)."""
    return read_rows(_CURRENT).scalar() or 0


def _touches_content(session: Session) -> bool:
    changed = (*session.new, *session.deleted,
               *(instance for instance in session.dirty if session.is_modified(instance)))
    return any(isinstance(instance, CONTENT) for instance in changed)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if _touches_content(session):
        value = secrets.randbits(62)
        statement = upsert_insert(ContentRevision, session).values(id=1, value=value)
        session.execute(statement.on_conflict_do_update(index_elements=[ContentRevision.id], set_={"value": value}))
        if has_app_context():  # the stored standings rest on the content: bring them up to date in the background
            after_commit("refresh_standings", session=session, once=True)
