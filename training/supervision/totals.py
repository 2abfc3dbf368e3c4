"""Hours totals for many trainees at once, as SQL aggregates (never entry by entry).

An entry counts when its newest decision (the highest id) verifies it and the trainee did
not withdraw it; an entry waits while it has no decision and was not withdrawn
(`HoursEntry.decided_at` is None).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from training.extensions import among, db
from training.models import Decision, HoursDecision, HoursEntry


def verified_minutes(ids) -> list[tuple[int, str, str, int, int]]:
    """(trainee id, kind, activity, verifier id, minutes) for the verified hours of the trainees
    in `ids` (a list or a subquery), in one query."""
    newest = _newest_decisions(ids)
    return [tuple(row) for row in db.session.execute(
        select(HoursEntry.trainee_id, HoursEntry.kind, HoursEntry.activity, HoursDecision.reviewer_id,
               func.sum(HoursEntry.minutes))
        .join(HoursDecision, HoursDecision.entry_id == HoursEntry.id).join(newest, newest.c.id == HoursDecision.id)
        .where(among(HoursEntry.trainee_id, ids), HoursEntry.withdrawn_at.is_(None),
               HoursDecision.decision == Decision.VERIFIED)
        .group_by(HoursEntry.trainee_id, HoursEntry.kind, HoursEntry.activity, HoursDecision.reviewer_id))]


def _newest_decisions(ids):
    """The id of each entry's newest decision, for the entries of the trainees in `ids` (a subquery)."""
    return (select(func.max(HoursDecision.id).label("id")).join(HoursEntry, HoursEntry.id == HoursDecision.entry_id)
            .where(among(HoursEntry.trainee_id, ids)).group_by(HoursDecision.entry_id).subquery())


def last_verified(trainee_id: int) -> dict[str, datetime]:
    """When the trainee's hours of each kind that count were last verified: the moment the
    newest of those decisions was made (one query)."""
    newest = _newest_decisions([trainee_id])
    return dict(db.session.execute(
        select(HoursEntry.kind, func.max(HoursDecision.created_at))
        .join(HoursDecision, HoursDecision.entry_id == HoursEntry.id).join(newest, newest.c.id == HoursDecision.id)
        .where(HoursEntry.trainee_id == trainee_id, HoursEntry.withdrawn_at.is_(None),
               HoursDecision.decision == Decision.VERIFIED)
        .group_by(HoursEntry.kind)).all())


def waiting_entries(ids) -> dict[int, int]:
    """How many entries of each trainee in `ids` wait for a decision, in one query."""
    return dict(db.session.execute(
        select(HoursEntry.trainee_id, func.count(HoursEntry.id))
        .where(among(HoursEntry.trainee_id, ids), HoursEntry.decided_at.is_(None), HoursEntry.withdrawn_at.is_(None))
        .group_by(HoursEntry.trainee_id)).all())
