"""Command-line tools: `flask --app training --help` lists them."""
import click
from flask import Flask

from training.auth.accounts import AccountError, create_account, find_user_by_email
from training.auth.passwords import MIN_PASSWORD_LENGTH
from training.demo import DEMO_PASSWORD, DEMO_PEOPLE, database_is_empty, graduate_note, seed_demo
from training.extensions import db
from training.models import Role

users = click.Group("users", help="Manage accounts.")
demo = click.Group("demo", help="Demo data for trying the platform.")


@users.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", "display_name", required=True, help="Name shown on the platform.")
@click.option("--legal-name", default="", help="Legal name for certificates.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Role; repeat for several.")
@click.password_option(help="Password (asked for when not given).")
def create_user(email, display_name, legal_name, roles, password):
    """Create an account with one or more roles (e.g. the first staff member)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    try:
        user = create_account(email, display_name, [Role(r) for r in roles],
                              legal_name=legal_name, password=password)
    except AccountError as error:
        raise click.UsageError(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(roles))}")


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no accounts.")
def seed(if_empty):
    """Create demo accounts (all with the password peer-support-demo) and a demo cohort."""
    if not database_is_empty():
        if if_empty:
            click.echo("Database already has accounts; demo data not added.")
            if find_user_by_email(DEMO_PEOPLE[0][0]) is not None:
                click.echo(f"Demo accounts (password: {DEMO_PASSWORD}): "
                           + ", ".join(email for email, *_ in DEMO_PEOPLE))
            return
        raise click.UsageError("the database already has accounts; demo data goes only into an empty one")
    people = seed_demo(work_under_way=True)
    db.session.commit()
    click.echo("Demo accounts (password: %s):" % DEMO_PASSWORD)
    for user in people:
        click.echo(f"  {user.email:<26} {', '.join(sorted(r.value for r in user.roles))}")
    click.echo(graduate_note())


def register_commands(app: Flask) -> None:
    from training.courses.cli import courses
    app.cli.add_command(courses)
    from training.quizzes.cli import quizzes
    app.cli.add_command(quizzes)
    app.cli.add_command(users)
    app.cli.add_command(demo)
