"""`flask --app training courses ...`: check, sync and export course content files."""
from pathlib import Path

import click
from flask import current_app

from training.courses.export import export_library
from training.courses.files import check_library
from training.courses.operations import database_files, sync_library
from training.extensions import db

courses = click.Group("courses", help="Check, import and export course content files.")


def _content_dir(path):
    return Path(path or current_app.config["COURSES_DIR"])


def _report_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) found.", err=True)


@courses.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check(path):
    """Check every content file under PATH (default COURSES_DIR); print each problem as
    file:line: message and exit with status 1 if there is any."""
    root = _content_dir(path)
    library, problems = check_library(root)
    if problems:
        _report_problems(problems)
        raise SystemExit(1)
    lessons = sum(len(m.lessons) for c in library.courses.values() for m in c.modules)
    click.echo(f"{root}: no problems ({len(library.courses)} course(s), {lessons} lesson(s), "
               f"{len(library.tracks)} track(s), {len(library.documents)} document(s)).")


@courses.command("sync")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def sync(path):
    """Import content from PATH (default COURSES_DIR) into the database. Unchanged files
    create nothing; a changed lesson becomes a new version; a removed lesson is retired.
    If any file has a problem, nothing is imported."""
    root = _content_dir(path)
    library, problems = check_library(root)
    if problems:
        _report_problems(problems)
        click.echo("Nothing was imported. Fix the problems above and sync again.", err=True)
        raise SystemExit(1)
    report = sync_library(library)
    db.session.commit()
    click.echo(f"Synced {root}: {report.summary()}")


@courses.command("export")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def export(path):
    """Write the published content to PATH (default COURSES_DIR) in the same file format,
    so edits made in the browser can be reviewed with git diff."""
    root = _content_dir(path)
    written = export_library(database_files(), root)
    click.echo(f"Wrote {len(written)} file(s) to {root}.")
