"""Demo accounts for trying the platform on a laptop (never used by `make serve`)."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from training.auth.accounts import create_account
from training.demo_graduate import seed_graduate
from training.extensions import db
from training.labs.booking import NewSession, schedule_session
from training.courses.progress import complete_lesson
from training.models import Certificate, HoursKind, Lab, LabMode, Lesson, Module, Role, StoryDraft, User, utcnow
from training.supervision.hours import NewHours, log_hours
from training.supervision.signoffs import Evidence, request_signoff
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


def seed_demo(*, work_under_way: bool = False) -> list[User]:
    """Create the demo staff member, supervisor, trainees and a cohort. Caller commits.

    `work_under_way` (the `demo seed` command) adds what each dashboard would show a few
    weeks into a cohort; tests that walk a journey from the start leave it out."""
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
    if work_under_way:
        seed_in_progress(people["trainee@example.org"], people["trainee2@example.org"])
        invited = create_account("invited@example.org", "Morgan Invited", [Role.TRAINEE])  # no password yet
        invited.created_at = utcnow() - timedelta(days=10)
        enrol_trainee(cohort, invited)
    return list(people.values())


def seed_in_progress(alex: User, jordan: User) -> None:
    """Work under way, so each dashboard has something to say: Alex has read the first module
    (its quiz is next) and waits for a supervisor on hours and a sign-off; Jordan shared a story draft."""
    now = utcnow()
    first = db.session.scalar(select(Module).where(Module.retired_at.is_(None)).order_by(Module.position, Module.id))
    if first is None:
        return
    for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == first.id, Lesson.retired_at.is_(None))):
        complete_lesson(alex.id, lesson)
    for days_ago, activity, minutes in ((9, "individual-support", 90), (6, "group-facilitation", 120),
                                        (2, "individual-support", 60)):
        log_hours(alex, NewHours(kind=HoursKind.PRACTICE, activity=activity, worked_on=now.date() - timedelta(days=days_ago),
                                 minutes=minutes, setting="Community recovery center (demo)", remote=False,
                                 note="Demo entry.", token=f"demo-alex-{days_ago}"), now.date())
    request_signoff(alex, "C01.2", Evidence(
        happened_on=now.date() - timedelta(days=3), setting="Role-play in the listening lab (demo)",
        method="role-play", what_happened="I practised reflective listening with a partner for ten minutes.",
        reflection="I noticed I wanted to give advice; I asked an open question instead."), now)
    db.session.add(StoryDraft(author_id=jordan.id, title="Why I came to peer work (demo)",
                              purpose="To show a new member that asking for help is possible.",
                              audience="People new to a recovery group.", leave_out="Names and places.",
                              body="A short draft, shared for feedback.", shared_at=now - timedelta(days=1)))


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
