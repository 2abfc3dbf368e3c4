"""The supervisor's overview: right numbers, and the same number of queries for 1 trainee or 5."""
from datetime import date
from pathlib import Path

from sqlalchemy import event, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import (CompetencyRating, HoursDecision, HoursEntry, Quiz, QuizAttempt, Role, SupervisorAssignment,
                             User, utcnow)
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import NewHours, decide, log_hours
from training.supervision.queue import waiting_count

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


def busy_trainee(make_user, supervisor, number):
    trainee = make_user(Role.TRAINEE)
    assign_supervisor(trainee, supervisor, primary=True)
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                               review="after_pass", score=9, max_score=10, percent=90.0, passed=True))
    db.session.add(CompetencyRating(trainee_id=trainee.id, competency="C01.1", rater_id=supervisor.id,
                                    level="meets", method="role-play", observed_on=date.today()))
    entry, _ = log_hours(trainee, NewHours("practice", "individual-support", date.today(), 90, "Centre", False,
                                           "", f"t{number}"), date.today())
    db.session.flush()
    decide(entry, supervisor, "verified", "", utcnow())
    log_hours(trainee, NewHours("supervision", "group", date.today(), 60, "Office", False, "", f"s{number}"),
              date.today())
    db.session.commit()
    return trainee


def queries_for_overview(client) -> tuple[int, str]:
    count = {"n": 0}

    def counter(*args):
        count["n"] += 1
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        page = client.get("/supervision/trainees").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count["n"], page


def test_overview_numbers_and_a_fixed_number_of_queries(client, make_user):
    sync_library(content_library(FIXTURE))
    supervisor = make_user(Role.SUPERVISOR)
    first = busy_trainee(make_user, supervisor, 0)
    client.sign_in_as(supervisor)
    one, page = queries_for_overview(client)
    assert first.display_name in page
    assert "<td>1 of 1</td>" in page and "<td>1.5</td>" in page  # quiz passed; verified practice only
    for number in range(1, 5):
        busy_trainee(make_user, supervisor, number)
    five, page = queries_for_overview(client)
    assert one == five
    assert page.count("<td>1 of 1</td>") == 5


def test_the_overview_is_paginated_by_name_with_the_same_queries_on_every_page(client, make_user):
    """A supervisor of many trainees sees 50 a page; the query count does not grow with the pages."""
    sync_library(content_library(FIXTURE))
    supervisor = make_user(Role.SUPERVISOR)
    busy_trainee(make_user, supervisor, 0)  # "Trainee 2": hours verified, one entry waiting
    client.sign_in_as(supervisor)
    one, _ = queries_for_overview(client)
    for number in range(52):
        trainee = User(email=f"many{number}@example.org", display_name=f"Zed {number:02d}")
        trainee.grant(Role.TRAINEE)
        db.session.add(trainee)
        db.session.flush()
        db.session.add(SupervisorAssignment(trainee_id=trainee.id, supervisor_id=supervisor.id, is_primary=True))
    db.session.commit()
    first_count, first = queries_for_overview(client)
    assert first.count("/supervision/trainees/") == 50 and "Trainee 2" in first and "Zed 49" not in first
    assert "Page 1 of 2 (53 trainees)" in first and 'href="/supervision/trainees?page=2"' in first
    assert "<td>1.5</td>" in first and '<a href="/supervision/queue">1</a>' in first
    second = client.get("/supervision/trainees?page=2")
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and page.count("/supervision/trainees/") == 3 and "Zed 49" in page
    assert 'href="/supervision/trainees?page=1"' in page and "Trainee 2" not in page
    assert first_count == one
    beyond = client.get("/supervision/trainees?page=7").get_data(as_text=True)
    assert "There is no page 7." in beyond and "No trainees are assigned" not in beyond
    for bad in ("abc", "-3", "99999999999999"):
        response = client.get(f"/supervision/trainees?page={bad}")
        assert response.status_code == 200 and "Page 1 of 2" in response.get_data(as_text=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Showing 20 of your 53 trainees, by name." in dashboard



def test_every_decision_stamps_its_entry_so_the_menu_count_needs_no_join(client, make_user):
    """`decided_at` follows the newest decision, however it is recorded (the view's rule or a
    HoursDecision added directly), and the supervisor's count reads only waiting entries."""
    supervisor = make_user(Role.SUPERVISOR)
    trainee = make_user(Role.TRAINEE)
    assign_supervisor(trainee, supervisor, primary=True)
    entries = [log_hours(trainee, NewHours("practice", "individual-support", date.today(), 60 + number, "Centre",
                                           False, "", f"w{number}"), date.today())[0] for number in range(3)]
    db.session.commit()
    assert waiting_count(supervisor) == 3 and all(entry.decided_at is None for entry in entries)
    first = decide(entries[0], supervisor, "verified", "", utcnow())
    db.session.add(HoursDecision(entry_id=entries[1].id, reviewer_id=supervisor.id, decision="rejected", reason="x"))
    db.session.commit()
    assert waiting_count(supervisor) == 1
    stamps = dict(db.session.execute(select(HoursEntry.id, HoursEntry.decided_at)).all())
    assert stamps[entries[0].id] == first.created_at and stamps[entries[1].id] is not None
    assert stamps[entries[2].id] is None
    later = decide(entries[0], supervisor, "rejected", "Dates overlap another entry.", utcnow())
    db.session.commit()
    assert db.session.get(HoursEntry, entries[0].id).decided_at == later.created_at
