"""Taking a quiz over HTTP: start, save, resume, submit, results, and refusing bad requests."""
from datetime import timedelta

from sqlalchemy import event, func, select

from training.courses.progress import complete_lesson, course_outline
from training.extensions import db
from training.models import (AttemptItem, Course, Lesson, QuizAccommodation, QuizAttempt, utcnow)
from tests.quizzes.conftest import QUIZ_URL, answers, right_answer, set_quiz, start, sync, wrong_answer


def attempt_count(trainee) -> int:
    return db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id == trainee.id))


def reload(attempt) -> QuizAttempt:
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


def test_starting_draws_and_stores_the_questions_without_the_answers(client, people, content):
    sync(content)  # draw 6 of 8, at least one tagged C01.1
    attempt = start(client, people["trainee"])
    drawn_questions = {item.question_id for item in attempt.items}
    assert len(drawn_questions) == 6
    assert any("C01.1" in item.question.get("competencies", []) for item in attempt.items)
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    for item in attempt.items:
        assert f'id="item-{item.position}"' in page
        for option in item.question.get("options", []):
            assert option["feedback"] not in page  # feedback, and with it the key, stays on the server
        assert (item.question.get("explanation") or "<none>") not in page
    assert 'value="0"' in page and "correct" not in page.lower()


def test_starting_twice_resumes_the_same_attempt(client, people, content):
    sync(content)
    first = start(client, people["trainee"])
    second = start(client, people["trainee"])
    assert first.id == second.id and attempt_count(people["trainee"]) == 1


def test_answers_are_saved_and_shown_again_on_return(client, people, every_question):
    attempt = start(client, people["trainee"])
    chosen = answers(attempt)
    response = client.post(f"/quiz-attempts/{attempt.id}", {**chosen, "action": "save"})
    assert response.status_code == 302
    attempt = reload(attempt)
    assert all(item.answer is not None for item in attempt.items)
    assert attempt.status == "in_progress" and attempt.score is None
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert page.count(" checked") + page.count(" selected") >= 4
    assert 'value="10"' in page  # the numerical answer typed before


def test_autosave_answers_in_json(client, people, every_question):
    attempt = start(client, people["trainee"])
    first = attempt.items[0]
    response = client.post(f"/quiz-attempts/{attempt.id}", right_answer(first), headers={"X-Autosave": "1"})
    assert response.status_code == 200 and response.json["saved"] is True
    assert reload(attempt).items[0].answer is not None


def test_submitting_grades_on_the_server_and_passes(client, people, every_question):
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}", {**answers(attempt), "action": "submit"})
    response = client.post(f"/quiz-attempts/{attempt.id}/submit")
    assert response.status_code == 302
    attempt = reload(attempt)
    assert attempt.status == "graded" and attempt.percent == 100 and attempt.passed is True
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "100%" in page and "Passed" in page
    assert "Warmth keeps the relationship" in page  # review after passing shows feedback


def test_partial_credit_and_failing_result(client, people, every_question):
    attempt = start(client, people["trainee"])
    wrong = {item.position for item in attempt.items[:3]}
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong=wrong))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    attempt = reload(attempt)
    expected = sum(item.max_points for item in attempt.items if item.position not in wrong)
    assert attempt.score == expected and attempt.passed is False
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "Not passed this time" in page
    assert "Warmth keeps the relationship" not in page  # review policy: after passing
    assert "appear here once you pass" in page


def test_a_double_submit_grades_once(client, people, every_question):
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt))
    first = client.post(f"/quiz-attempts/{attempt.id}/submit")
    submitted_at = reload(attempt).submitted_at
    second = client.post(f"/quiz-attempts/{attempt.id}/submit")
    assert first.status_code == second.status_code == 302
    assert reload(attempt).submitted_at == submitted_at and attempt_count(people["trainee"]) == 1


def test_answers_sent_after_submission_change_nothing(client, people, every_question):
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    before = [(item.answer, item.points) for item in reload(attempt).items]
    replay = client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong={1, 2, 3}))
    assert replay.status_code == 302
    assert [(item.answer, item.points) for item in reload(attempt).items] == before
    autosave = client.post(f"/quiz-attempts/{attempt.id}", answers(attempt), headers={"X-Autosave": "1"})
    assert autosave.status_code == 409


def test_unanswered_questions_ask_for_confirmation_then_count_as_unanswered(client, people, every_question):
    attempt = start(client, people["trainee"])
    first = attempt.items[0]
    response = client.post(f"/quiz-attempts/{attempt.id}", {**right_answer(first), "action": "submit"})
    assert response.headers["Location"].endswith(f"/quiz-attempts/{attempt.id}/submit")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{len(attempt.items) - 1} questions have no answer yet" in page and "Submit anyway" in page
    assert reload(attempt).status == "in_progress"
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    attempt = reload(attempt)
    assert attempt.status == "graded"
    assert [item.points for item in attempt.items[1:]] == [0.0] * (len(attempt.items) - 1)


def test_a_tampered_option_is_refused_and_nothing_is_saved(client, people, every_question):
    attempt = start(client, people["trainee"])
    single = next(item for item in attempt.items if item.question["type"] == "single")
    fields = {**answers(attempt), f"q{single.position}": "17"}
    response = client.post(f"/quiz-attempts/{attempt.id}", fields)
    assert response.status_code == 400 and "nothing was saved" in response.get_data(as_text=True)
    assert all(item.answer is None for item in reload(attempt).items)


def test_a_question_not_in_the_attempt_is_refused(client, people, every_question):
    attempt = start(client, people["trainee"])
    response = client.post(f"/quiz-attempts/{attempt.id}", {**answers(attempt), "q99": "0"})
    assert response.status_code == 400
    assert all(item.answer is None for item in reload(attempt).items)


def test_someone_elses_attempt_is_not_found(client, people, every_question):
    attempt = start(client, people["trainee"])
    client.sign_in_as(people["other_trainee"])
    assert client.get(f"/quiz-attempts/{attempt.id}").status_code == 404
    assert client.post(f"/quiz-attempts/{attempt.id}", answers(attempt)).status_code == 404
    assert client.post(f"/quiz-attempts/{attempt.id}/submit").status_code == 404
    assert all(item.answer is None for item in reload(attempt).items)


def test_a_number_that_is_not_a_number_is_explained_and_nothing_is_lost(client, people, every_question):
    attempt = start(client, people["trainee"])
    numerical = next(item for item in attempt.items if item.question["type"] == "numerical")
    fields = {**answers(attempt), f"q{numerical.position}": "ten"}
    response = client.post(f"/quiz-attempts/{attempt.id}", fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Please enter a number" in page
    assert 'value="ten"' in page and page.count(" checked") >= 2  # the other answers are still on the page
    assert all(item.answer is None for item in reload(attempt).items)


def test_time_limit_is_enforced_on_the_server(client, people, content):
    set_quiz(content, draw=None, time_limit_minutes=20, essay=False)
    sync(content)
    attempt = start(client, people["trainee"])
    assert attempt.deadline_at is not None
    client.post(f"/quiz-attempts/{attempt.id}", right_answer(attempt.items[0]))
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    late = client.post(f"/quiz-attempts/{attempt.id}", answers(attempt))
    assert late.status_code == 302
    attempt = reload(attempt)
    assert attempt.status == "graded"
    assert attempt.items[0].answer is not None and all(item.answer is None for item in attempt.items[1:])


def test_attempt_limit_cooldown_and_an_accommodation(client, people, content):
    set_quiz(content, draw=None, attempts=1, cooldown_minutes=60, essay=False)
    quiz = sync(content)
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    refused = client.post(f"{QUIZ_URL}/start")
    assert refused.status_code == 302 and refused.headers["Location"].endswith(QUIZ_URL)
    assert attempt_count(people["trainee"]) == 1
    assert "used all your attempts" in client.get(QUIZ_URL).get_data(as_text=True)
    db.session.add(QuizAccommodation(quiz_id=quiz.id, user_id=people["trainee"].id, extra_attempts=1,
                                     reason="Agreed adjustment", granted_by_id=people["staff"].id))
    db.session.commit()
    client.post(f"{QUIZ_URL}/start")
    assert attempt_count(people["trainee"]) == 1  # the cool-down still applies
    assert "break between attempts" in client.get(QUIZ_URL).get_data(as_text=True)
    db.session.add(QuizAccommodation(quiz_id=quiz.id, user_id=people["trainee"].id, extra_attempts=1,
                                     waive_cooldown=True, reason="Plus no break", granted_by_id=people["staff"].id))
    db.session.commit()
    client.post(f"{QUIZ_URL}/start")
    assert attempt_count(people["trainee"]) == 2


def test_staff_grant_an_accommodation_with_a_reason(client, people, every_question):
    client.sign_in_as(people["staff"])
    url = f"/author/quizzes/{every_question.id}/accommodations"
    missing = client.post(url, {"email": people["trainee"].email, "extra_attempts": "0", "extra_minutes": "0",
                                "reason": " "})
    assert missing.status_code == 400 and "record the reason" in missing.get_data(as_text=True)
    unknown = client.post(url, {"email": "nobody@example.org", "extra_attempts": "1", "extra_minutes": "0",
                                "reason": "Test"})
    assert unknown.status_code == 400 and "no trainee with this email" in unknown.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAccommodation.id))) == 0
    done = client.post(url, {"email": people["trainee"].email.upper(), "extra_attempts": "2",
                             "extra_minutes": "15", "reason": "Agreed in the learning plan"})
    assert done.status_code == 302
    granted = db.session.scalar(select(QuizAccommodation))
    assert (granted.extra_attempts, granted.extra_minutes, granted.granted_by_id) == (2, 15, people["staff"].id)


def test_essays_wait_for_a_supervisor_then_the_result_updates(client, people, content):
    set_quiz(content, draw=None)
    sync(content)
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    attempt = reload(attempt)
    assert attempt.status == "awaiting_review" and attempt.passed is None
    assert "Awaiting review" in client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    essay = next(item for item in attempt.items if item.question["type"] == "essay")
    url = f"/quiz-attempts/{attempt.id}/items/{essay.id}/mark"
    assert client.post(url, {"points": "1"}).status_code == 403  # a trainee marks nothing
    client.sign_in_as(people["other_supervisor"])
    assert client.post(url, {"points": "1"}).status_code == 404
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
    assert "Names the tension" in page  # the marking guide, for the marker only
    client.post(url, {"points": "5"})
    assert reload(attempt).status == "awaiting_review"  # more than the question is worth: refused
    client.post(url, {"points": "1", "comment": "Thoughtful."})
    attempt = reload(attempt)
    assert attempt.status == "graded" and attempt.passed is True
    assert attempt.items[essay.position - 1].marked_by_id == people["supervisor"].id


def test_a_module_is_complete_with_its_lessons_its_quiz_and_its_required_lab(client, people, every_question,
                                                                            attend_lab):
    trainee = people["trainee"]
    course = db.session.scalar(select(Course))
    for lesson in db.session.scalars(select(Lesson).join(Lesson.module).where(Lesson.module_id ==
                                                                             every_question.module_id)):
        complete_lesson(trainee.id, lesson)
    db.session.commit()
    def state():
        db.session.expire_all()  # the requests ran in their own sessions
        return next(m for m in course_outline(course, trainee.id, apply_locks=True).modules
                    if m.module.id == every_question.module_id)
    assert state().lessons_complete and not state().complete
    attempt = start(client, trainee)
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong={1, 2, 3, 4}))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    assert not state().complete
    second = start(client, trainee)
    client.post(f"/quiz-attempts/{second.id}", answers(second))
    client.post(f"/quiz-attempts/{second.id}/submit")
    assert state().quiz_passed and state().quiz_result.id == second.id
    assert not state().complete and [lab.slug for lab in state().labs_to_attend] == ["boundaries-practice"]
    attend_lab(trainee, "boundaries-practice")
    assert state().complete
    assert "Module complete" in client.get("/courses/core").get_data(as_text=True)


def test_results_are_seen_by_staff_and_own_supervisors_only(client, people, every_question):
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}", answers(attempt, wrong={1}))
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    for who, status in (("supervisor", 200), ("staff", 200), ("other_supervisor", 404), ("other_trainee", 404)):
        client.sign_in_as(people[who])
        response = client.get(f"/quiz-attempts/{attempt.id}")
        assert response.status_code == status, who
    client.sign_in_as(people["staff"])
    page = client.get(f"/author/quizzes/{every_question.id}/attempts").get_data(as_text=True)
    assert people["trainee"].display_name in page
    client.sign_in_as(people["supervisor"])
    page = client.get(f"/supervision/trainees/{people['trainee'].id}").get_data(as_text=True)
    assert "Attempt 1" in page


def test_nobody_else_sees_the_questions_or_answers_of_an_attempt_in_progress(client, people, every_question):
    attempt = start(client, people["trainee"])
    prompt = attempt.items[0].question["prompt"]
    for who in ("supervisor", "staff"):
        client.sign_in_as(people[who])
        page = client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)
        assert "still in progress" in page and "show here once it is submitted" in page
        assert prompt not in page and "Correct answer" not in page and "correct answer" not in page
    client.sign_in_as(people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    client.sign_in_as(people["supervisor"])
    assert prompt in client.get(f"/quiz-attempts/{attempt.id}").get_data(as_text=True)


def test_the_attempt_page_uses_a_fixed_number_of_queries(client, people, content):
    def queries_for_attempt_page(draw):
        db.session.query(QuizAttempt).delete()
        set_quiz(content, draw=draw, essay=True)
        sync(content)
        attempt = start(client, people["trainee"])
        count = {"n": 0}

        def counter(*args):
            count["n"] += 1
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert client.get(f"/quiz-attempts/{attempt.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        db.session.execute(AttemptItem.__table__.delete())
        db.session.execute(QuizAttempt.__table__.delete())
        db.session.commit()
        return count["n"]
    assert queries_for_attempt_page(2) == queries_for_attempt_page(8)


def test_the_quiz_page_commits_only_when_an_attempt_ran_out_of_time(client, people, every_question):
    """Reading the quiz page writes nothing, so nothing loaded is read again after a commit."""
    attempt = start(client, people["trainee"])
    client.post(f"/quiz-attempts/{attempt.id}/submit")
    client.get(QUIZ_URL)  # warm caches
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(QUIZ_URL).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    reloads = [s for s in statements if "WHERE users.id = " in s and "users.session_key" in s]
    assert len(reloads) <= 1, statements  # the person is loaded once, not again after a commit
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in statements)
    # The attempt's size comes from the question sizes kept per content revision: no question's
    # text is loaded to count them.
    assert not any("quiz_questions.data" in s for s in statements), statements
