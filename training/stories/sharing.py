"""Sharing a story draft with the author's supervisors: one shared draft at a time. Plain
functions; the caller commits."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from training.extensions import db
from training.models import StoryDraft
from training.notifications.events import story_shared


def set_sharing(draft: StoryDraft, sharing: bool, now: datetime) -> bool:
    """Share `draft` with its author's supervisors (any other shared draft of theirs becomes
    private), or make it private again. True when this changed anything; sharing a draft
    that is already shared changes nothing and tells nobody again."""
    if not sharing:
        changed = draft.shared_at is not None
        draft.shared_at = None
        return changed
    if draft.shared_at is not None:
        return False
    for other in db.session.scalars(select(StoryDraft).where(StoryDraft.author_id == draft.author_id,
                                                              StoryDraft.shared_at.is_not(None))):
        other.shared_at = None  # one shared draft at a time
    draft.shared_at = now
    db.session.flush()
    story_shared(draft)
    return True
