"""Demo accounts for trying the platform on a laptop (never used by `make serve`)."""
from sqlalchemy import func, select

from training.auth.accounts import create_account
from training.extensions import db
from training.models import Role, User
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee

DEMO_PASSWORD = "peer-support-demo"
DEMO_PEOPLE = [
    ("staff@example.org", "Sam Staff", "Samantha Okafor", [Role.STAFF]),
    ("supervisor@example.org", "Pat Supervisor", "Patricia Nguyen", [Role.SUPERVISOR]),
    ("trainee@example.org", "Alex Trainee", "Alexander Rivera", [Role.TRAINEE]),
    ("trainee2@example.org", "Jordan Trainee", "Jordan Blackfeather", [Role.TRAINEE]),
]


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo() -> list[User]:
    """Create the demo staff member, supervisor, two trainees and a cohort. Caller commits."""
    people = {email: create_account(email, display, roles, legal_name=legal, password=DEMO_PASSWORD)
              for email, display, legal, roles in DEMO_PEOPLE}
    cohort = create_cohort("Demo cohort")
    supervisor = people["supervisor@example.org"]
    for email in ("trainee@example.org", "trainee2@example.org"):
        enrol_trainee(cohort, people[email])
        assign_supervisor(people[email], supervisor, primary=True)
    return list(people.values())
