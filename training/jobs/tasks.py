"""The jobs: each takes ids (never objects), locks its row, and does nothing when the work
is done already, so running one twice does it once."""
from __future__ import annotations

import smtplib

from flask import current_app
from huey import Huey
from sqlalchemy import select

from training.jobs import in_app

MAIL_ATTEMPTS = 6          # then the message is marked failed; staff can send it again
MAIL_FIRST_RETRY = 30      # seconds; doubled after each failure (30 s, 1 min, 2, 4, 8 min)


@in_app
def deliver_mail(message_id: int) -> str:
    """Send one outbox message over SMTP; on failure try again later, up to MAIL_ATTEMPTS."""
    from training.extensions import db
    from training.jobs import after_commit
    from training.mailer import redact, send_smtp
    from training.models import MailStatus, OutboxMessage
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update())
    if message is None or message.status not in (MailStatus.QUEUED, MailStatus.RETRYING):
        db.session.rollback()
        return "nothing to do"
    message.attempts += 1
    try:
        send_smtp(current_app.config, message.recipient, message.subject, message.body)
    except (OSError, smtplib.SMTPException) as error:
        message.error = str(error)[:500]
        if message.attempts >= MAIL_ATTEMPTS:
            message.status = MailStatus.FAILED
            current_app.logger.error("mail %s to %s failed for good: %s", message.id, message.recipient, error)
        else:
            message.status = MailStatus.RETRYING
            after_commit("deliver_mail", message.id, delay=MAIL_FIRST_RETRY * 2 ** (message.attempts - 1))
        db.session.commit()
        return "retrying" if message.status == MailStatus.RETRYING else "failed"
    message.status, message.error = MailStatus.SENT, None
    if message.sensitive:
        message.body = redact(message.body)
    db.session.commit()
    return "sent"


@in_app
def render_certificate_pdf(certificate_id: int, verify_url: str) -> str:
    """Render an issued certificate's PDF once (nothing if it is there already)."""
    from training.certification.issuance import ensure_pdf
    return "rendered" if ensure_pdf(certificate_id, verify_url) else "no such certificate"


@in_app
def render_learner_transcript(record_id: int) -> str:
    """Render an issued learner record's PDF transcript once (nothing if it is there already)."""
    from training.certification.issuedrecords import ensure_transcript
    return "rendered" if ensure_transcript(record_id) else "no such record"


@in_app
def refresh_standings() -> str:
    """After a content change: compute the stored certification standings it made outdated, so
    the first staff page after it does not wait (training/certification/stored.py)."""
    from training.certification.stored import refresh_all
    return f"{refresh_all()} computed"


@in_app
def build_export(export_id: int) -> str:
    """Build a report file too large for one request (training/reports/jobs.py)."""
    from training.reports.jobs import build
    return build(export_id)


@in_app
def build_personal_data(download_id: int) -> str:
    """Prepare the ZIP of one person's own data (training/personaldata/downloads.py)."""
    from training.personaldata.downloads import build
    return build(download_id)


@in_app
def send_xapi() -> str:
    """Send the waiting xAPI statements to the learning record store (training/xapi)."""
    from training.xapi import send_waiting
    return send_waiting()


def register(queue: Huey) -> None:
    """Bind the jobs to this queue (each process builds its queue from its configuration)."""
    queue.tasks_by_name = {name: queue.task(name=name)(function) for name, function in (
        ("deliver_mail", deliver_mail), ("render_certificate_pdf", render_certificate_pdf),
        ("render_learner_transcript", render_learner_transcript), ("refresh_standings", refresh_standings),
        ("build_export", build_export), ("build_personal_data", build_personal_data),
        ("send_xapi", send_xapi))}
