"""Notifying a person: the in-app record, counting repeats, and email as each person chose
(each one as it happens, a daily digest, or none). Plain functions; the caller commits."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import url_for
from sqlalchemy import bindparam, event, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from training.extensions import db, read_rows
from training.mailer import external_url, send_mail
from training.models import EmailPreference, Notification, NotificationKind, User, utcnow

Email = tuple[str | None, str | None]  # (subject, body) of an event's own email; None: the default
TEXT_LENGTH = 300
DIGEST_LINES = 30  # a digest lists this many notifications, then says how many more there are

# The subject of the email for one notification, unless the event gives its own.
SUBJECTS = {
    NotificationKind.HOURS_LOGGED: "Hours to verify",
    NotificationKind.HOURS_VERIFIED: "Your hours are verified",
    NotificationKind.HOURS_REJECTED: "An hours entry needs your attention",
    NotificationKind.SIGNOFF_REQUESTED: "A sign-off request to review",
    NotificationKind.SIGNOFF_APPROVED: "Your sign-off request is approved",
    NotificationKind.SIGNOFF_RETURNED: "Your sign-off request has feedback",
    NotificationKind.STORY_SHARED: "A story draft was shared with you",
    NotificationKind.STORY_FEEDBACK: "Feedback on your story draft",
    NotificationKind.STATEMENT_SENT: "A statement of lived experience to read",
    NotificationKind.STATEMENT_ACCEPTED: "Your statement of lived experience is accepted",
    NotificationKind.STATEMENT_RETURNED: "Your statement of lived experience has feedback",
    NotificationKind.CERTIFICATE_ISSUED: "Your certificate is issued",
    NotificationKind.CERTIFICATE_REVOKED: "Your certificate was revoked",
    NotificationKind.RENEWAL_OPEN: "You can renew your certificate now",
    NotificationKind.LAB_CANCELLED: "A lab session you booked is cancelled",
    NotificationKind.SUPERVISOR_CHANGED: "Your supervisors changed",
    NotificationKind.PERSONAL_DATA_READY: "Your data is ready to download",
    NotificationKind.REPORT_READY: "Your report is ready to download",
}


def notify(recipient: User, kind: NotificationKind, text: str, *, actor: User | None = None, target=None,
           grouped: Callable[[int], str] | None = None, once: bool = False,
           email: Email | None = None, now: datetime | None = None) -> Notification | None:
    """Tell `recipient` what happened, in the app and (if they chose it) by email.

    `text` is a one-line snapshot, never story text or anything else private. `target` is
    the row it is about. With `grouped` (the text for n events), an unread notification of
    the same kind from the same actor is counted up instead of adding one, and no second
    email goes out: a batch of logged hours is one message. With `once`, there is at most
    one notification of this kind about `target` (returns None when there was one).
    `email` is (subject, body) for events with more to say than `text` (None: the default).
    Nobody is notified of their own action.
    """
    if actor is not None and actor.id == recipient.id:
        return None
    now = now or utcnow()
    target_type, target_id = (target.__tablename__, target.id) if target is not None else (None, None)
    if grouped is not None:
        earlier = db.session.scalar(
            select(Notification).where(Notification.user_id == recipient.id, Notification.kind == kind,
                                       Notification.actor_id == (actor.id if actor else None),
                                       Notification.read_at.is_(None))
            .order_by(Notification.id.desc()).limit(1).with_for_update())
        if earlier is not None:
            earlier.count += 1
            earlier.text = grouped(earlier.count)[:TEXT_LENGTH]
            earlier.target_type, earlier.target_id, earlier.updated_at = target_type, target_id, now
            db.session.flush()
            return earlier
    notification = Notification(user_id=recipient.id, kind=kind, actor_id=actor.id if actor else None,
                                target_type=target_type, target_id=target_id, text=text[:TEXT_LENGTH],
                                created_at=now, updated_at=now)
    if once:
        if db.session.scalar(select(Notification.id).where(
                Notification.user_id == recipient.id, Notification.kind == kind,
                Notification.target_type == target_type, Notification.target_id == target_id)) is not None:
            return None
        try:  # a unique index holds it when two runs race (see the model)
            with db.session.begin_nested():
                db.session.add(notification)
        except IntegrityError:
            return None
    else:
        db.session.add(notification)
        db.session.flush()
    if recipient.notification_email == EmailPreference.EACH and recipient.is_active_account:
        _email_one(recipient, notification, email, now)
    return notification


def _email_one(recipient: User, notification: Notification, email: Email | None, now: datetime) -> None:
    subject, body = email or (None, None)
    subject, body = subject or SUBJECTS[notification.kind], body or notification.text + "."
    send_mail(recipient.email, subject,
              f"{body.rstrip()}\n\nOpen it here:\n{external_url('notifications.open', notification_id=notification.id)}"
              f"\n\nYou get an email for each notification. To get one email a day instead, or none, "
              f"change it under My account:\n{external_url('account.profile')}\n")
    notification.emailed_at = now


_UNREAD = select(func.count(Notification.id)).where(Notification.user_id == bindparam("user_id"),
                                                   Notification.read_at.is_(None))
# The same count as a column beside a person (training/access.py reads it with the signed-in person).
UNREAD_OF_USER = (select(func.count(Notification.id))
                  .where(Notification.user_id == User.id, Notification.read_at.is_(None))
                  .correlate(User).scalar_subquery())
WROTE = "wrote"  # session.info: this request has written something since the person was loaded


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread (one query; it runs on every page)."""
    return read_rows(_UNREAD, {"user_id": user.id}).scalar()


def menu_unread(user: User) -> int:
    """The unread count for the menu: the one read with the person at the start of the request,
    unless the request has written anything since (then it is read again)."""
    loaded = getattr(user, "unread_when_loaded", None)
    if loaded is None or db.session.info.get(WROTE):
        return unread_count(user)
    return loaded


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def recent_unread(user: User, limit: int = 5) -> list[tuple[Notification, str]]:
    """The newest unread notifications with the link that opens each (one query), for the dashboard."""
    found = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.updated_at.desc(), Notification.id.desc()).limit(limit))
    return [(notification, url_for("notifications.open", notification_id=notification.id)) for notification in found]


def page_of(user: User, page: int, per_page: int) -> tuple[list[Notification], bool]:
    """One page of the person's notifications, newest first, and whether older ones exist (one query)."""
    found = list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                    .order_by(Notification.updated_at.desc(), Notification.id.desc())
                                    .offset((page - 1) * per_page).limit(per_page + 1)))
    return found[:per_page], len(found) > per_page


def mark_all_read(user: User, now: datetime) -> int:
    """Mark every unread notification of the person read; returns how many."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=now)
        .execution_options(synchronize_session=False)).rowcount


# --- the daily digest -------------------------------------------------------------------

def _waiting_for_digest():
    """Unread notifications not emailed yet, or counted up since they were."""
    return (Notification.read_at.is_(None),
            or_(Notification.emailed_at.is_(None), Notification.updated_at > Notification.emailed_at))


def digest_recipients() -> list[User]:
    """Active people who chose the daily digest and have something new in it (one query)."""
    waiting = select(Notification.id).where(Notification.user_id == User.id, *_waiting_for_digest())
    return list(db.session.scalars(select(User).where(
        User.notification_email == EmailPreference.DIGEST, User.is_active_account.is_(True), waiting.exists())
        .order_by(User.id)))


def send_digest(user: User, now: datetime) -> int:
    """Email `user` one message listing what is new since their last digest; returns how many
    notifications it lists (0: nothing sent). The notifications are claimed by a conditional
    UPDATE first, so two runs at once never send the same ones twice."""
    claimed = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, *_waiting_for_digest())
        .values(emailed_at=now).returning(Notification.id).execution_options(synchronize_session=False)
    ).scalars().all()
    if not claimed:
        return 0
    found = db.session.scalars(select(Notification).where(Notification.id.in_(claimed))
                               .order_by(Notification.updated_at.desc(), Notification.id.desc())).all()
    lines = [f"- {notification.text}" for notification in found[:DIGEST_LINES]]
    if len(found) > DIGEST_LINES:
        lines.append(f"- and {len(found) - DIGEST_LINES} more")
    count = len(found)
    send_mail(user.email, f"Your notifications: {count} new",
              "Here is what is new for you:\n\n" + "\n".join(lines)
              + f"\n\nSee them all and open each one:\n{external_url('notifications.index')}"
              f"\n\nYou get this digest once a day because you chose it. To change that, go to My account:\n"
              f"{external_url('account.profile')}\n")
    return count
