"""Files a job builds for someone (a large report, a person's own data): the job's body builds
it once, and says so on the row if building fails instead of leaving them waiting; the
download hands it only to the person it was built for."""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, current_app, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from training.extensions import db
from training.models import NotificationKind, User, utcnow
from training.notifications.events import file_ready


def build_file(model: type, row_id: int, make: Callable[[object], tuple[bytes, str]], *, owner: str,
               ready: NotificationKind, kept_days: int) -> str:
    """Lock the row; if it is still queued, store make(row) = (content, filename), mark it ready
    and tell the person in row.<owner> (a `ready` notification, in the same transaction), or
    mark it failed with the error. Returns what happened."""
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
    file_ready(db.session.get(User, getattr(row, owner)), ready, filename, kept_days)
    db.session.commit()
    return "ready"


def send_built_file(model: type, row_id: int, owner: str, back: str, mimetype: Callable[[object], str]) -> Response:
    """The signed-in person's built file as an attachment: 404 unless row.<owner> is them (nothing
    to enumerate); back to its list, with a word, while it is not ready."""
    row = db.session.scalar(select(model).where(model.id == row_id).options(undefer(model.content)))
    if row is None or getattr(row, owner) != current_user.id:
        abort(404)
    if row.status != "ready":
        flash(_("That file is not ready yet. Reload this page in a minute."), "info")
        return redirect(back)
    return Response(row.content, mimetype=mimetype(row), headers={
        "Content-Disposition": f'attachment; filename="{row.filename}"', "Cache-Control": "no-store"})
