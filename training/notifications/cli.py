"""Daily notification jobs for cron: `flask --app training notifications --help`."""
import click
from flask import Flask

from training.extensions import db
from training.models import utcnow
from training.notifications.delivery import digest_recipients, send_digest
from training.notifications.renewals import remind_renewals

notifications = click.Group("notifications", help="Daily notification jobs: the email digest and renewal reminders.")


@notifications.command("send-digest")
def send_digest_command():
    """Email everyone who chose the daily digest one message listing what is new since their
    last one. Run it once a day; running it again sends nothing new."""
    now, sent = utcnow(), 0
    for person in digest_recipients():
        if send_digest(person, now):
            sent += 1
        db.session.commit()  # each person's digest stands on its own
    click.echo(f"Sent {sent} {'digest' if sent == 1 else 'digests'}.")


@notifications.command("renewal-reminders")
def renewal_reminders_command():
    """Tell holders whose certificate's renewal window has opened (once per certificate). Run
    it once a day."""
    told = remind_renewals(utcnow())
    db.session.commit()
    click.echo(f"Told {told} {'holder' if told == 1 else 'holders'} that their renewal window is open.")


def register(app: Flask) -> None:
    app.cli.add_command(notifications)
