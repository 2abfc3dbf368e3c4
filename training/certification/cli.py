"""Command-line tools for signed certificates: `flask --app training certificates --help`."""
import click
from flask import Flask

from training.certification.verification import verify_credential
from training.certification.keys import KeyIsConfigured, new_private_pem, rotate_key
from training.extensions import db

MAX_FILE_BYTES = 1_000_000  # a credential is a few kilobytes; anything bigger is not one

certificates = click.Group("certificates", help="Signed certificates: verify a credential file, rotate the "
                                                "signing key, make a key for SIGNING_KEY_FILE.")

MARKS = {True: "ok", False: "FAILED", None: "skipped"}


@certificates.command("verify")
@click.argument("file", type=click.File("rb"))
def verify(file):
    """Check a downloaded credential (.jwt): signature, schema, revocation status and dates.
    Exits with status 1, giving the reasons, when the certificate is not valid."""
    result = verify_credential(file.read(MAX_FILE_BYTES))
    for check in result.checks:
        click.echo(f"{MARKS[check.passed]:>7}  {check.name}: {check.message}")
    if result.ok:
        click.echo("Valid.")
        return
    click.echo("Not valid:", err=True)
    for problem in result.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


@certificates.command("rotate-key")
def rotate_key_command():
    """Retire the current signing key and create a new one. Certificates signed before keep
    verifying: the old public key stays published; its private half is deleted. (With
    SIGNING_KEY_FILE or SIGNING_KEY set, put the new key there instead.)"""
    try:
        key = rotate_key()
    except KeyIsConfigured as refusal:
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo(f"New signing key {key.kid}; earlier keys are retired and stay published for verification.")


@certificates.command("new-key")
def new_key_command():
    """Print a new P-256 private key (ES256) in PEM, for SIGNING_KEY_FILE (keep it secret: store it
    where only the app can read it, for example with mode 600)."""
    click.echo(new_private_pem(), nl=False)


def register(app: Flask) -> None:
    app.cli.add_command(certificates)
