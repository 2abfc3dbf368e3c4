"""Exams: results staff record (kept, corrected only by a new record with a reason) and the
course's final exam, opened in person by a proctor and read by nobody until it is graded."""
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from training.certification.exams import record_exam_result
from training.certification.records import Proof, RecordRefused
from training.certification.standing import standing_for
from training.extensions import db
from training.models import ExamResult, Quiz, QuizAttempt, QuizKind, Role, utcnow
from training.quizzes.attempts import CannotStart, start_attempt, submit_attempt
from training.staff.cohorts import assign_supervisor

PDF = b"%PDF-1.7\n%demo\n"


def exam_check(track, person):
    return next(c for c in standing_for(track, person.id).eligibility.checks if c.group == "exam")


def record(track, person, by, **overrides):
    values = dict(taken_on=date.today() - timedelta(days=3), passed=True, score=Decimal("82"), evidence=None,
                  by=by, now=utcnow())
    values.update(overrides)
    return record_exam_result(person, track, **values)


# --- external results -------------------------------------------------------------------

def test_a_recorded_pass_meets_the_exam_requirement_and_says_so(track, people, make_user):
    person = make_user(Role.TRAINEE)
    check = exam_check(track, person)
    assert (check.met, check.label) == (False, "Exam passed: Peer Recovery exam")
    assert check.missing == ("You take this exam outside this platform. Send your score report to program staff: "
                             "they record your result here.",)
    record(track, person, people["staff"], passed=False, score=Decimal("61"))
    record(track, person, people["staff"], taken_on=date.today() - timedelta(days=1))
    db.session.commit()
    check = exam_check(track, person)
    assert check.met and check.note.startswith("Passed on") and "score 82" in check.note


@pytest.mark.parametrize("overrides,field,message", [
    ({"taken_on": None}, "taken_on", "Enter the date the exam was taken"),
    ({"taken_on": "tomorrow"}, "taken_on", "The date is in the future"),  # resolved when the test runs
    ({"passed": None}, "passed", "Choose whether the exam was passed"),
    ({"score": Decimal("-1")}, "score", "from 0 to 1000"),
    ({"evidence": Proof("notes.txt", b"plain text")}, None, "PDF, PNG or JPEG"),
])
def test_a_result_with_a_problem_names_the_field_and_stores_nothing(track, people, make_user, overrides, field,
                                                                   message):
    person = make_user(Role.TRAINEE)
    # "tomorrow" at collection time can be today by the time a long run reaches this test.
    overrides = {name: utcnow().date() + timedelta(days=1) if value == "tomorrow" else value
                 for name, value in overrides.items()}
    with pytest.raises(RecordRefused, match=message) as refused:
        record(track, person, people["staff"], **overrides)
    db.session.rollback()
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(ExamResult.id))) == 0


def test_a_correction_is_a_new_record_with_a_reason_and_the_first_one_stays(track, people, make_user):
    person = make_user(Role.TRAINEE)
    wrong = record(track, person, people["staff"], passed=True)
    db.session.commit()
    with pytest.raises(RecordRefused, match="Say why"):
        record(track, person, people["staff"], passed=False, corrects=wrong)
    db.session.rollback()
    record(track, person, people["staff"], passed=False, corrects=wrong, reason="Typed the wrong candidate's result")
    db.session.commit()
    assert not exam_check(track, person).met  # the pass was corrected away
    db.session.refresh(wrong)
    assert wrong.passed is True  # never edited
    with pytest.raises(RecordRefused, match="corrected by someone else"):
        record(track, person, people["staff"], passed=True, corrects=wrong, reason="Twice")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ExamResult.id))) == 2


def test_staff_record_and_correct_through_the_pages_and_nothing_is_lost_on_an_error(client, login_as, track, people,
                                                                                   make_user):
    person = make_user(Role.TRAINEE)
    login_as(people["staff"])
    url = f"/staff/certification/basic/trainees/{person.id}/exam"
    response = client.post(url, {"taken_on": "", "passed": "pass", "score": "77.5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Please enter the date" in page and 'value="77.5"' in page
    assert db.session.scalar(select(func.count(ExamResult.id))) == 0
    response = client.post(url, {"taken_on": "2026-11-02", "passed": "pass", "score": "77.5",
                                 "evidence": (io.BytesIO(PDF), "score-report.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    result = db.session.scalar(select(ExamResult))
    assert (result.passed, result.score, result.evidence_name) == (True, 77.5, "score-report.pdf")
    page = client.get(url).get_data(as_text=True)
    assert "Passed" in page and "Correct this result" in page
    assert client.get(f"/staff/certification/exam-results/{result.id}/evidence").data == PDF
    response = client.post(f"/staff/certification/exam-results/{result.id}/correct",
                           {"taken_on": "2026-11-02", "passed": "fail"})
    assert response.status_code == 422 and "Say why" in response.get_data(as_text=True)
    client.post(f"/staff/certification/exam-results/{result.id}/correct",
                {"taken_on": "2026-11-02", "passed": "fail", "reason": "The board sent a corrected score report"})
    page = client.get(url).get_data(as_text=True)
    assert "Corrected by a later record" in page and "The board sent a corrected score report" in page


# --- the course's final exam ----------------------------------------------------------------

@pytest.fixture()
def board(db, track):
    from training.courses.published import tracks
    return tracks()["board"]


@pytest.fixture()
def exam(board):
    return db.session.scalar(select(Quiz).where(Quiz.kind == QuizKind.EXAM))


def open_exam(client, proctor, password="correct horse battery"):
    return client.post("/courses/core/exam/start", {"email": proctor.email, "password": password})


def test_a_final_exam_needs_a_proctor_who_is_kept_on_the_attempt(client, login_as, exam, people, make_user):
    trainee = login_as(Role.TRAINEE)
    assign_supervisor(trainee, people["supervisor"], primary=True)
    db.session.commit()
    with pytest.raises(CannotStart, match="proctor"):
        start_attempt(exam, trainee, utcnow())
    stranger = make_user(Role.SUPERVISOR)  # a supervisor, but not this trainee's
    for proctor, password in ((people["staff"], "wrong password"), (stranger, "correct horse battery"),
                              (trainee, "correct horse battery")):
        response = open_exam(client, proctor, password)
        assert response.status_code == 422 and "That did not work" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0
    response = open_exam(client, people["supervisor"])
    assert response.status_code == 302
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.proctor_id == people["supervisor"].id and attempt.review == "never"
    from training.models import AuditEvent
    opened = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exam.opened"))
    assert (opened.actor_id, opened.subject_id, opened.object_id) == (people["supervisor"].id, trainee.id,
                                                                      str(attempt.id))


def test_nobody_reads_an_exam_until_it_is_graded_and_trainees_never_see_the_questions(app, client, login_as, exam,
                                                                                     people):
    trainee = login_as(Role.TRAINEE)
    open_exam(client, people["staff"])
    attempt = db.session.scalar(select(QuizAttempt))
    first_prompt = attempt.items[0].question["prompt"]
    assert first_prompt in client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)  # while taking it
    staff_view = type(client)(app)
    staff_view.sign_in_as(people["staff"])
    page = staff_view.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "still in progress" in page and first_prompt not in page
    submit_attempt(attempt, utcnow())
    db.session.commit()
    assert first_prompt in staff_view.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)  # graded now
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "Exam questions are not shown after the exam" in page and first_prompt not in page
    assert f"{attempt.percent:.0f}%" in page


def test_the_exam_waits_between_attempts_and_a_pass_meets_the_requirement(client, login_as, exam, board, people):
    trainee = login_as(Role.TRAINEE)
    open_exam(client, people["staff"])
    attempt = db.session.scalar(select(QuizAttempt))
    submit_attempt(attempt, utcnow())  # nothing answered: not passed
    db.session.commit()
    check = next(c for c in standing_for(board, trainee.id).eligibility.checks if c.group == "exam")
    assert not check.met and "proctor" in check.missing[0]
    response = open_exam(client, people["staff"])
    assert response.status_code == 302 and db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    assert "You can take it again after" in client.get("/courses/core/exam").get_data(as_text=True)
    db.session.add(QuizAttempt(quiz_id=exam.id, user_id=trainee.id, number=2, status="graded", pass_mark=60,
                               review="never", score=4, max_score=5, percent=80.0, passed=True,
                               submitted_at=utcnow(), proctor_id=people["staff"].id))
    db.session.commit()
    check = next(c for c in standing_for(board, trainee.id).eligibility.checks if c.group == "exam")
    assert check.met and "80%" in check.note
