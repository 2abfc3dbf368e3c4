"""The one way the platform sends mail.

With MAIL_SERVER set, messages go out over SMTP. Without it, the platform works offline:
each message is kept in the outbox table (staff can read it) and written to the log.
Either way the outbox keeps a record; the caller commits.
"""
from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

from flask import current_app, has_request_context, url_for

from training.extensions import db
from training.models import MailStatus, OutboxMessage


def external_url(endpoint: str, **values) -> str:
    """A full URL for links in emails and credentials: BASE_URL when set, else the current
    request's host, else (a command with no request) the local development address."""
    base = current_app.config["BASE_URL"]
    if not base and not has_request_context():
        base = f"http://127.0.0.1:{current_app.config['PORT']}"
    if base and not has_request_context():
        with current_app.test_request_context("/"):
            return base.rstrip("/") + url_for(endpoint, **values)
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def organization_url() -> str:
    """The issuing organization's home page: ORGANIZATION_URL, or this site's home page."""
    return current_app.config.get("ORGANIZATION_URL") or external_url("dashboard.index")


def signature() -> str:
    """The closing lines of every email: who sends it, and where to find them."""
    config = current_app.config
    return "\n".join(line for line in (config["ORGANIZATION_NAME"], config.get("ORGANIZATION_URL")) if line)


REMOVED = "[link removed from this copy once the message was sent]"
# The sign-in links messages carry (invitations, password resets): kept until sent, never after.
SIGN_IN_LINK = re.compile(r"\S+/(?:invite|password/reset)/[A-Za-z0-9_\-]+")


def redact(body: str) -> str:
    return SIGN_IN_LINK.sub(REMOVED, body)


def send_mail(recipient: str, subject: str, body: str, *, secret: str | None = None) -> OutboxMessage:
    """Record one plain-text message in the outbox and have it sent.

    With MAIL_SERVER set, the message is queued and a background job sends it once the
    caller's transaction commits, trying again with growing pauses when the server does not
    take it (training/jobs/tasks.py); a slow mail server never holds up a page. Without it,
    the message is kept in the outbox and written to the log (development).

    `secret` is a sign-in link the message carries (an invitation, a password reset): staff
    cannot read such messages in the outbox, so the outbox is no way into someone's account,
    and once the message is sent the outbox copy keeps everything but the link. (Without a
    mail server, the stored copy is the mailbox and keeps it.)
    """
    from training.jobs import after_commit
    config = current_app.config
    body = f"{body.rstrip()}\n\n-- \n{signature()}\n"
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, sensitive=secret is not None,
                            status=MailStatus.QUEUED if config["MAIL_SERVER"] else MailStatus.STORED)
    db.session.add(message)
    db.session.flush()
    if config["MAIL_SERVER"]:
        after_commit("deliver_mail", message.id)
    else:
        current_app.logger.info("mail stored in outbox (no MAIL_SERVER)\nTo: %s\nSubject: %s\n\n%s",
                                recipient, subject, body)
    return message


def retry(message: OutboxMessage) -> bool:
    """Staff: send a failed message again (a fresh set of attempts). False if it is not failed."""
    from training.jobs import after_commit
    if message.status != MailStatus.FAILED or not current_app.config["MAIL_SERVER"]:
        return False
    message.status, message.attempts = MailStatus.QUEUED, 0
    db.session.flush()
    after_commit("deliver_mail", message.id)
    return True


def send_smtp(config, recipient: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
