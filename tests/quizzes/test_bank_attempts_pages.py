"""Staff see a quiz's attempts 50 a page, newest first, with the same queries on every page."""
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select

from tests.conftest import content_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Quiz, QuizAttempt, Role, User, utcnow

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"


def fetch(client, url) -> tuple[int, str]:
    count = {"n": 0}

    def counter(*args):
        count["n"] += 1
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count["n"], page


def add_attempts(quiz, first: int, last: int) -> None:
    start = utcnow()
    for number in range(first, last):
        trainee = User(email=f"taker{number}@example.org", display_name=f"Taker {number:02d}")
        trainee.grant(Role.TRAINEE)
        db.session.add(trainee)
        db.session.flush()
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", pass_mark=80,
                                   review="after_pass", score=9, max_score=10, percent=90.0, passed=True,
                                   started_at=start + timedelta(minutes=number)))
    db.session.commit()


def test_bank_attempts_are_paginated_newest_first(client, login_as):
    sync_library(content_library(FIXTURE))
    login_as(Role.STAFF)
    quiz = db.session.scalar(select(Quiz).order_by(Quiz.id))
    url = f"/author/quizzes/{quiz.id}/attempts"
    assert "Nobody has taken this quiz yet." in client.get(url).get_data(as_text=True)
    add_attempts(quiz, 0, 1)
    one, _ = fetch(client, url)
    add_attempts(quiz, 1, 53)
    many, page = fetch(client, url)
    assert many == one
    assert page.count("Attempt 1</a>") == 50 and "Taker 52" in page and "Taker 03" in page and "Taker 02" not in page
    assert "Page 1 of 2 (53 attempts)" in page and f'href="{url}?page=2"' in page
    older = client.get(f"{url}?page=2").get_data(as_text=True)
    assert older.count("Attempt 1</a>") == 3 and "Taker 00" in older and "Taker 52" not in older
    beyond = client.get(f"{url}?page=9").get_data(as_text=True)
    assert "There is no page 9." in beyond and "Nobody has taken" not in beyond
    assert "Page 1 of 2" in client.get(f"{url}?page=x").get_data(as_text=True)
