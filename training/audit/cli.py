"""`flask --app training audit verify`: walk the audit log's hash chain."""
import click
from flask import Flask

from training.audit import verify

audit = click.Group("audit", help="The tamper-evident audit log.")


@audit.command("verify")
def verify_command():
    """Check every event against its hash and the one before it. Exits with status 1, naming
    the first broken event, if any event was changed or removed."""
    checked, broken = verify()
    if broken is not None:
        click.echo(f"Broken at event {broken.seq}: {broken.why}. {checked:,} events before it are intact.", err=True)
        raise SystemExit(1)
    click.echo(f"The audit log is intact: {checked:,} events, each chained to the one before.")


def register(app: Flask) -> None:
    app.cli.add_command(audit)
