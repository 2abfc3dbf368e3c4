"""Renewal reminders: telling holders that their certificate's renewal window has opened."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from training.certification.standing import standings
from training.courses.published import tracks
from training.extensions import db
from training.models import Certificate, User
from training.notifications.events import renewal_window_opened


def remind_renewals(now: datetime) -> int:
    """Everyone whose certificate in force has its renewal window open (and has not expired)
    hears once per certificate; returns how many were told now. Standings are read in a
    fixed number of queries per track, however many holders."""
    today, told = now.date(), 0
    for track in tracks().values():
        if not track.get("renewal"):
            continue
        holder_ids = list(db.session.scalars(select(Certificate.holder_id).distinct().where(
            Certificate.track == track.get("slug"), Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None), Certificate.expires_on > today)))
        holders = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(holder_ids)))}
        for standing in standings(track, holder_ids).values():
            current = standing.current
            if (standing.renewal_open(today) and current.expires_on > today
                    and renewal_window_opened(current, holders[current.holder_id])):
                told += 1
    return told
