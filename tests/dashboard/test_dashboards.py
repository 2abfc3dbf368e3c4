"""Each role's dashboard answers "what now?", with right figures, in a fixed number of queries."""
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.courses.progress import complete_lesson
from training.extensions import db
from training.models import (Certificate, HoursEntry, Lesson, MailStatus, Module, OutboxMessage, Role, StoryDraft,
                             StoryFeedback, User, utcnow)
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee
from training.supervision.hours import NewHours, log_hours

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


def page_and_queries(client, url="/dashboard") -> tuple[str, int]:
    count = {"n": 0}

    def counter(*args):
        count["n"] += 1
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    return response.get_data(as_text=True), count["n"]


def log(trainee, number, days_ago=1, minutes=60):
    log_hours(trainee, NewHours("practice", "individual-support", date.today() - timedelta(days=days_ago), minutes,
                                "Community center", False, f"Entry {number}", f"dash-{trainee.id}-{number}"), date.today())


def test_trainee_is_told_the_next_step_and_what_waits(client, make_user):
    sync_library(content_library(FIXTURE))
    trainee = make_user(Role.TRAINEE)
    client.sign_in_as(trainee)
    page, _ = page_and_queries(client)
    first_module = db.session.scalar(select(Module).order_by(Module.position, Module.id))
    lessons = db.session.scalars(select(Lesson).where(Lesson.module_id == first_module.id)
                                 .order_by(Lesson.position)).all()
    assert "Open the lesson" in page and f"/{first_module.slug}/{lessons[0].slug}" in page

    for lesson in lessons:
        complete_lesson(trainee.id, lesson)
    log(trainee, 1, minutes=90)
    log(trainee, 2, minutes=60)
    db.session.commit()
    page, _ = page_and_queries(client)
    assert "Go to the quiz" in page and f"/{first_module.slug}/quiz" in page
    assert "Waiting for your supervisor:" in page and "2.5 hours of practice" in page
    assert "requirements met" in page  # progress on each track, with its denominator


def test_supervisor_sees_what_waits_oldest_first_in_fixed_queries(client, make_user):
    sync_library(content_library(FIXTURE))
    supervisor = make_user(Role.SUPERVISOR)
    busy, quiet = make_user(Role.TRAINEE, display_name="Busy Person"), make_user(Role.TRAINEE, display_name="Quiet Person")
    for trainee in (busy, quiet):
        assign_supervisor(trainee, supervisor, primary=True)
    quiet.last_login_at = utcnow() - timedelta(days=20)
    busy.last_login_at = utcnow() - timedelta(days=1)
    db.session.add(StoryDraft(author_id=quiet.id, title="Draft", body="Text", shared_at=utcnow() - timedelta(days=30)))
    log(busy, 0)
    db.session.commit()
    client.sign_in_as(supervisor)
    page, few = page_and_queries(client)
    assert page.index("Quiet Person: Story draft shared") < page.index("Busy Person: 1 h of practice")
    quiet_section = page[page.index("no activity in 14 days"):page.index("at a glance")]
    assert "Quiet Person" in quiet_section and "Busy Person" not in quiet_section

    for number in range(1, 40):
        log(busy, number, days_ago=1 + number % 20)
    db.session.commit()
    page, many = page_and_queries(client)
    assert "41 items wait for your review" in page and "See all 41 in your review queue" in page
    assert page.count("to verify</a>") == 7  # eight shown: the story draft and the seven oldest hours
    assert many == few


def test_staff_see_the_program_at_a_glance(client, make_user):
    sync_library(content_library(FIXTURE))
    staff = make_user(Role.STAFF)
    cohort = create_cohort("Spring cohort")
    trainee = make_user(Role.TRAINEE)
    enrol_trainee(cohort, trainee)
    lesson = db.session.scalar(select(Lesson).order_by(Lesson.id))
    complete_lesson(trainee.id, lesson)
    invited = User(email="invited@example.org", display_name="Invited Person", password_hash=None)
    db.session.add(invited)
    db.session.add(OutboxMessage(recipient="x@example.org", subject="s", body="b", status=MailStatus.FAILED))
    db.session.commit()
    client.sign_in_as(staff)
    page, _ = page_and_queries(client)
    total = db.session.scalar(select(db.func.count(Lesson.id)))
    assert "Spring cohort" in page and f"{round(100 / total)}% of lessons completed" in page
    assert "1 email could not be sent" in page and "1 person invited" in page and "Invited Person" in page
    assert "No certificate expires in the next 90 days." in page

    db.session.add(Certificate(**_certificate_fields(trainee, expires_on=date.today() + timedelta(days=30))))
    db.session.commit()
    page, before = page_and_queries(client)
    assert "1 certificate expires" in page and "1 certified" in page

    for number in range(3):  # more people, progress and certificates: the same queries
        other = make_user(Role.TRAINEE)
        enrol_trainee(cohort, other)
        complete_lesson(other.id, lesson)
        db.session.add(Certificate(**_certificate_fields(other, expires_on=date.today() + timedelta(days=400))))
    db.session.commit()
    page, filling = page_and_queries(client)  # computes and stores the newcomers' standings
    assert "4 trainees" in page and "4 certified" in page
    page, after = page_and_queries(client)
    assert after == before

    for number in range(6):  # twice as many newcomers: their standings are computed in the same queries
        enrol_trainee(cohort, make_user(Role.TRAINEE))
    db.session.commit()
    assert page_and_queries(client)[1] == filling


def _certificate_fields(holder, **changes) -> dict:
    fields = dict(holder_id=holder.id, track="basic", track_title="Basic", number=f"T-{holder.id}",
                  code=f"code-{holder.id}", issuer_name="Test", legal_name="Name", valid_from=date.today(),
                  pdf=b"%PDF-1.7 test", credential_jwt="e30.e30.c2ln")
    fields.update(changes)
    return fields


def test_times_are_shown_in_each_persons_time_zone(client, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    trainee = make_user(Role.TRAINEE)
    assign_supervisor(trainee, supervisor, primary=True)
    log(trainee, 1)
    db.session.commit()
    client.sign_in_as(supervisor)
    page, _ = page_and_queries(client)
    assert " EST" in page or " EDT" in page  # the organization's zone, named

    refused = client.post("/account/", {"display_name": "Pat", "legal_name": "", "time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 400 and "Please choose a time zone from the list" in refused.get_data(as_text=True)
    assert db.session.get(User, supervisor.id).time_zone is None

    saved = client.post("/account/", {"display_name": "Pat", "legal_name": "", "time_zone": "America/Chicago"})
    assert saved.status_code == 302
    page, _ = page_and_queries(client)
    assert " CST" in page or " CDT" in page


def test_a_decision_since_the_last_visit_is_the_first_thing_a_trainee_reads(client, make_user):
    supervisor = make_user(Role.SUPERVISOR, display_name="Pat Reviewer")
    trainee = make_user(Role.TRAINEE)
    assign_supervisor(trainee, supervisor, primary=True)
    log(trainee, 1, minutes=90)
    db.session.commit()
    entry_id = db.session.scalar(select(HoursEntry.id).where(HoursEntry.trainee_id == trainee.id))
    client.sign_in_as(supervisor)
    decided = client.post(f"/supervision/hours/{entry_id}/decide", {"decision": "rejected",
                                                                    "reason": "Please add the setting."})
    assert decided.status_code == 302
    client.sign_in_as(trainee)
    page, _ = page_and_queries(client)
    news = page[page.index("New for you"):page.index("Your next step")]
    assert "Pat Reviewer rejected your 1.5 hours" in news and "/notifications/" in news


def test_a_shared_draft_waits_in_the_queue_and_the_menu_until_it_has_feedback(client, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    trainee = make_user(Role.TRAINEE, display_name="Sam Author")
    assign_supervisor(trainee, supervisor, primary=True)
    draft = StoryDraft(author_id=trainee.id, title="Why I do this work", body="Text",
                       shared_at=utcnow() - timedelta(hours=2))
    db.session.add(draft)
    db.session.commit()
    client.sign_in_as(supervisor)
    page, _ = page_and_queries(client, "/supervision/queue")
    assert "Sam Author: Why I do this work" in page and "Review queue (1)" in page
    db.session.add(StoryFeedback(draft_id=draft.id, author_id=supervisor.id, body="Thank you.", created_at=utcnow()))
    db.session.commit()
    page, _ = page_and_queries(client, "/supervision/queue")
    assert "No shared story drafts are waiting for feedback." in page and "Review queue (1)" not in page
