"""Demo accounts for trying the platform on a laptop (never used by `make serve`)."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from training.auth.accounts import create_account
from training.demo_graduate import seed_graduate
from training.extensions import db
from training.labs.booking import NewSession, schedule_session
from training.models import Certificate, Lab, LabMode, Role, User, utcnow
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee

DEMO_PASSWORD = "peer-support-demo"
DEMO_PEOPLE = [
    ("staff@example.org", "Sam Staff", "Samantha Okafor", [Role.STAFF]),
    ("supervisor@example.org", "Pat Supervisor", "Patricia Nguyen", [Role.SUPERVISOR]),
    ("trainee@example.org", "Alex Trainee", "Alexander Rivera", [Role.TRAINEE]),
    ("trainee2@example.org", "Jordan Trainee", "Jordan Blackfeather", [Role.TRAINEE]),
    ("graduate@example.org", "Riley Graduate", "Riley Santos-Whitaker", [Role.TRAINEE]),
]


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo() -> list[User]:
    """Create the demo staff member, supervisor, two trainees and a cohort. Caller commits."""
    people = {email: create_account(email, display, roles, legal_name=legal, password=DEMO_PASSWORD)
              for email, display, legal, roles in DEMO_PEOPLE}
    cohort = create_cohort("Demo cohort")
    supervisor = people["supervisor@example.org"]
    for email in ("trainee@example.org", "trainee2@example.org", "graduate@example.org"):
        enrol_trainee(cohort, people[email])
        assign_supervisor(people[email], supervisor, primary=True)
    db.session.flush()
    seed_graduate(people["graduate@example.org"], supervisor, people["staff@example.org"])
    schedule_demo_labs(supervisor, people["staff@example.org"])
    return list(people.values())


def schedule_demo_labs(facilitator: User, staff: User) -> None:
    """A session of every lab in the coming weeks, so demo trainees can book a place."""
    now = utcnow()
    labs = db.session.scalars(select(Lab).where(Lab.retired_at.is_(None)).order_by(Lab.id)).all()
    for number, lab in enumerate(labs):
        day = (now + timedelta(days=7 + 3 * number)).date()
        online = number % 2 == 1
        schedule_session(NewSession(
            lab=lab, starts_local=datetime.combine(day, time(18, 0)), time_zone="America/New_York",
            minutes=lab.minutes, mode=LabMode.ONLINE if online else LabMode.IN_PERSON,
            location="" if online else "Community recovery center, 210 Main Street, Room 2 (demo)",
            link="https://meet.example.org/peer-lab-demo" if online else "", facilitator=facilitator, capacity=12),
            by=staff, now=now)


def graduate_note() -> str:
    """What the demo graduate holds, for the seed command's output."""
    certificates = db.session.scalars(select(Certificate).join(User, User.id == Certificate.holder_id)
                                      .where(User.email == "graduate@example.org").order_by(Certificate.id)).all()
    if not certificates:
        return ("The demo graduate has no certificate yet: no credential track is synced. "
                "Run `courses sync` before `demo seed`.")
    held = "; ".join(f"holds {c.number} ({'certificate of completion' if c.kind == 'completion' else 'certification'}:"
                     f" {c.track_title})" for c in certificates)
    return f"graduate@example.org {held}."
