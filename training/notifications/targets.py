"""Where a notification leads, worked out when it is opened: what it was about may have been
deleted (a story draft), withdrawn (a request) or stopped being shared since. Then the
person is told so, and where to go instead, rather than landing on "not found"."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from training.access import can_review
from training.courses.published import tracks
from training.extensions import db
from training.models import (Certificate, HoursEntry, LabSession, LivedExperienceStatement, Notification,
                             NotificationKind, SignoffRequest, StoryDraft, User)

Kind = NotificationKind
MODELS = {model.__tablename__: model for model in (Certificate, HoursEntry, LabSession, LivedExperienceStatement,
                                                   SignoffRequest, StoryDraft)}

# What to call each kind of target on the page that says it is gone.
GONE = {
    "hours_entries": "That hours entry is no longer in the log: it was withdrawn.",
    "signoff_requests": "That sign-off request was withdrawn, so there is nothing to look at.",
    "story_drafts": "That story draft was deleted, or is no longer shared with you. Its author decides who reads it.",
    "lived_experience_statements": "That statement of lived experience is no longer available.",
    "certificates": "That certificate is no longer on record.",
    "lab_sessions": "That lab session is no longer on the schedule.",
}
NOT_YOURS = "You no longer have access to it: you may no longer be one of this trainee's supervisors."

# Where to go instead, by kind: (endpoint, link text).
NEXT = {
    Kind.HOURS_LOGGED: ("supervision.queue", "Go to your review queue"),
    Kind.HOURS_VERIFIED: ("hours.log", "Go to My hours"),
    Kind.HOURS_REJECTED: ("hours.log", "Go to My hours"),
    Kind.SIGNOFF_REQUESTED: ("supervision.queue", "Go to your review queue"),
    Kind.SIGNOFF_APPROVED: ("competencies.index", "Go to Competencies"),
    Kind.SIGNOFF_RETURNED: ("competencies.index", "Go to Competencies"),
    Kind.STORY_SHARED: ("supervision.queue", "Go to your review queue"),
    Kind.STORY_FEEDBACK: ("stories.index", "Go to My story"),
    Kind.STATEMENT_SENT: ("supervision.queue", "Go to your review queue"),
    Kind.STATEMENT_ACCEPTED: ("certification.index", "Go to Certification"),
    Kind.STATEMENT_RETURNED: ("certification.index", "Go to Certification"),
    Kind.CERTIFICATE_ISSUED: ("certification.mine", "Go to My certificates"),
    Kind.CERTIFICATE_REVOKED: ("certification.mine", "Go to My certificates"),
    Kind.RENEWAL_OPEN: ("certification.mine", "Go to My certificates"),
    Kind.LAB_CANCELLED: ("labs.index", "Go to Labs"),
    Kind.SUPERVISOR_CHANGED: ("dashboard.home", "Go to your dashboard"),
    Kind.PERSONAL_DATA_READY: ("personaldata.mine", "Go to Download my data"),
    Kind.REPORT_READY: ("reports.exports_list", "Go to Exports"),
}


@dataclass(frozen=True)
class Destination:
    url: str | None          # where to send the person; None: it is gone
    reason: str = ""         # why it is gone
    next_url: str = ""       # where to go instead
    next_label: str = ""


def _withdrawn(target) -> bool:
    """A request or entry its author took back (kept on record, no longer to act on)."""
    return getattr(target, "withdrawn_at", None) is not None or getattr(target, "status", None) == "withdrawn"


def _statement_page() -> str:
    slug = next((slug for slug, track in tracks().items()
                 if any(item.get("kind") == "statement" for item in track.get("eligibility") or [])), None)
    return url_for("eligibility.statement", track_slug=slug) if slug else url_for("certification.index")


def _link(kind: Kind, target, user: User) -> str | None:
    """The page for the recipient, or None when it is no longer theirs to see."""
    if kind in (Kind.HOURS_VERIFIED, Kind.HOURS_REJECTED):
        return url_for("hours.log") + f"#entry-{target.id}"
    if kind == Kind.SIGNOFF_REQUESTED:
        return url_for("supervision.signoff", request_id=target.id) if can_review(user, target.trainee) else None
    if kind in (Kind.SIGNOFF_APPROVED, Kind.SIGNOFF_RETURNED):
        return url_for("competencies.view_request", request_id=target.id)
    if kind == Kind.STORY_SHARED:
        shared = target.shared_at is not None and can_review(user, target.author)
        return url_for("stories.shared", draft_id=target.id) if shared else None
    if kind == Kind.STORY_FEEDBACK:
        return url_for("stories.edit", draft_id=target.id)
    if kind == Kind.STATEMENT_SENT:
        return url_for("eligibility.review", statement_id=target.id) if can_review(user, target.user) else None
    if kind in (Kind.STATEMENT_ACCEPTED, Kind.STATEMENT_RETURNED):
        return _statement_page()
    if kind == Kind.LAB_CANCELLED:
        return url_for("labs.lab", lab_id=target.lab_id)
    return url_for(NEXT[kind][0])


def destination(notification: Notification, user: User) -> Destination:
    """Where opening `notification` takes `user` (its recipient)."""
    endpoint, label = NEXT[notification.kind]
    if notification.target_type is None:
        return Destination(url_for(endpoint))
    model = MODELS.get(notification.target_type)
    target = db.session.get(model, notification.target_id) if model is not None else None
    gone = GONE.get(notification.target_type, "What this notification was about is no longer here.")
    if target is None or _withdrawn(target):
        return Destination(None, gone, url_for(endpoint), label)
    url = _link(notification.kind, target, user)
    if url is None:
        return Destination(None, gone if notification.kind == Kind.STORY_SHARED else NOT_YOURS, url_for(endpoint),
                           label)
    return Destination(url)
