"""`flask --app training courses ...`: check, sync and export course content files."""
import time
from pathlib import Path

import click
from flask import current_app

from training import audit
from training.certification import stored
from training.courses.contacthours import hours_text
from training.courses.export import export_library
from training.courses.files import check_library, check_library_report
from training.courses.quizchecks import quiz_figures
from training.quizzes.questiondata import question_data
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
    file:line: message and exit with status 1 if there is any. Warnings (a small quiz pool,
    questions that ask nearly the same thing) are printed too but refuse nothing. With no
    problems, print each module's contact hours and each quiz's figures."""
    root = _content_dir(path)
    library, problems, warnings = check_library_report(root)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if problems:
        _report_problems(problems)
        raise SystemExit(1)
    for course in library.courses.values():
        _report_course(course)
    lessons = sum(len(m.lessons) for c in library.courses.values() for m in c.modules)
    click.echo(f"{root}: no problems ({len(library.courses)} course(s), {lessons} lesson(s), "
               f"{len(library.tracks)} track(s), {len(library.documents)} document(s), {len(warnings)} warning(s)).")


def _report_course(course) -> None:
    """Each module's contact hours as computed from its parts, and each quiz's figures."""
    click.echo(f"{course.slug}:")
    for module in course.modules:
        labs = "".join(f"; lab {lab.slug} {hours_text(lab.minutes)} ({lab.domain}"
                       f"{', required' if lab.required else ''})" for lab in module.labs)
        claimed = sum(module.contact_hours.values())
        click.echo(f"  {module.slug}: lessons {hours_text(module.lesson_minutes)} + quiz "
                   f"{hours_text(module.quiz_minutes)} = {hours_text(module.self_paced_minutes)} self-paced, "
                   f"{claimed:g} h claimed{labs}")
        if module.quiz:
            figures = quiz_figures([question_data(q) for q in module.quiz.questions], module.quiz.draw)
            click.echo(f"    quiz: {figures.summary()}")
    if course.final_exam:
        figures = quiz_figures([question_data(q) for q in course.final_exam.questions], course.final_exam.draw)
        click.echo(f"  final exam: {figures.summary()}")


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
    audit.record("content.synced", object_type="content", object_id=str(root)[-64:],
                 details={"summary": report.summary()[:300]})
    db.session.commit()
    click.echo(f"Synced {root}: {report.summary()}")
    started = time.perf_counter()
    computed = stored.refresh_all()
    if computed:
        click.echo(f"Brought {computed:,} certification standings up to date in {time.perf_counter() - started:.1f} s.")


@courses.command("export")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def export(path):
    """Write the published content to PATH (default COURSES_DIR) in the same file format,
    so edits made in the browser can be reviewed with git diff."""
    root = _content_dir(path)
    written = export_library(database_files(), root)
    click.echo(f"Wrote {len(written)} file(s) to {root}.")
