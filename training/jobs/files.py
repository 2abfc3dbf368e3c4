"""The body of a job that builds a file for someone (a large report, a person's own data):
build it once, and if building fails, say so on the row instead of leaving them waiting."""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from training.extensions import db
from training.models import utcnow


def build_file(model: type, row_id: int, make: Callable[[object], tuple[bytes, str]]) -> str:
    """Lock the row; if it is still queued, store make(row) = (content, filename) and mark it
    ready, or failed with the error. Returns what happened."""
    row = db.session.scalar(select(model).where(model.id == row_id).options(undefer(model.content)).with_for_update())
    if row is None or row.status != "queued":
        db.session.rollback()
        return "nothing to do"
    try:
        content, filename = make(row)
    except Exception as error:  # noqa: BLE001 (any failure: the requester is told, not left waiting)
        db.session.rollback()
        db.session.execute(update(model).where(model.id == row_id).values(
            status="failed", error=f"{type(error).__name__}: {error}"[:500], finished_at=utcnow()))
        db.session.commit()
        current_app.logger.exception("%s %s failed", model.__tablename__, row_id)
        return "failed"
    row.content, row.filename = content, filename
    row.status, row.finished_at = "ready", utcnow()
    db.session.commit()
    return "ready"
