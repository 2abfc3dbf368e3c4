"""The supervisor's overview: right numbers, and the same number of queries for 1 trainee or 5."""
from datetime import date
from pathlib import Path

from sqlalchemy import event, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import CompetencyRating, Quiz, QuizAttempt, Role, utcnow
from training.staff.cohorts import assign_supervisor
from training.supervision.hours import NewHours, decide, log_hours

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
