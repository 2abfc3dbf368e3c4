"""`flask --app training quizzes ...`: GIFT import and export of a module's questions."""
import click
from sqlalchemy import select

from training.extensions import db
from training.models import Course, Module, Quiz
from training.quizzes.bank import QuestionProblems, active_pool, import_questions, judgement
from training.quizzes.gift import GiftError, parse_gift, read_gift, write_gift
from training.quizzes.questiondata import question_from_data

quizzes = click.Group("quizzes", help="Import and export quiz questions in Moodle's GIFT format.")
module_option = click.option("--module", "module_slug", required=True, help="The module's short name (its folder).")
course_option = click.option("--course", "course_slug", default=None,
                             help="The course's short name, when several courses have a module of that name.")


def _quiz_of(module_slug: str, course_slug: str | None) -> Quiz:
    query = (select(Quiz).join(Module, Module.id == Quiz.module_id).join(Course, Course.id == Module.course_id)
             .where(Module.slug == module_slug, Quiz.retired_at.is_(None)))
    if course_slug:
        query = query.where(Course.slug == course_slug)
    found = db.session.scalars(query).all()
    if not found:
        raise click.UsageError(f"no module '{module_slug}' with a quiz"
                               f"{' in course ' + repr(course_slug) if course_slug else ''}; "
                               "check the name, or run `flask --app training courses sync` first")
    if len(found) > 1:
        courses = ", ".join(sorted(quiz.module.course.slug for quiz in found))
        raise click.UsageError(f"several courses have a module '{module_slug}' ({courses}); add --course")
    return found[0]


@quizzes.command("import-gift")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@module_option
@course_option
@click.option("--skip-invalid", is_flag=True,
              help="Import the questions that have no problem and list the others with their reasons.")
def import_gift(file, module_slug, course_slug, skip_invalid):
    """Add the questions of a GIFT FILE to a module's quiz (a question whose title matches
    an existing id replaces it). If any question has a problem, nothing is imported and
    each problem is printed with the question's number, unless --skip-invalid. After an
    import, what the judgement checks find in the pool is printed as warnings (see
    courses/README.md)."""
    quiz = _quiz_of(module_slug, course_slug)
    skipped: list[str] = []
    try:
        if skip_invalid:
            questions, unread = read_gift(file.read())
            skipped = [str(problem) for problem in unread]
            report = import_questions(quiz, questions, author=None, skip_invalid=True)
            skipped += report.skipped
        else:
            report = import_questions(quiz, parse_gift(file.read()), author=None)
    except GiftError as error:
        problems = [str(problem) for problem in error.problems]
    except QuestionProblems as refused:
        problems = refused.problems
    else:
        db.session.commit()
        click.echo(f"Imported into {quiz.path}: {report.summary()}.")
        for problem in skipped:
            click.echo(f"skipped: {problem}", err=True)
        if skipped:
            click.echo(f"{len(skipped)} problem(s): those questions were not imported.", err=True)
        for warning in judgement(quiz)[1]:
            click.echo(f"warning: {warning}", err=True)
        return
    db.session.rollback()
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"{len(problems)} problem(s) found; nothing was imported.", err=True)
    raise SystemExit(1)


@quizzes.command("export-gift")
@module_option
@course_option
def export_gift(module_slug, course_slug):
    """Print a module's questions in use as GIFT on standard output."""
    quiz = _quiz_of(module_slug, course_slug)
    click.echo(write_gift([question_from_data(data) for _, data in active_pool(quiz)]), nl=False)
