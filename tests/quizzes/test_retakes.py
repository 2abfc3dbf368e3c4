"""A retake draws the questions the trainee did not meet last time first, so retaking is not
memorising: in the drawing itself (seeded), through start_attempt and over HTTP."""
import random

import pytest
from sqlalchemy import select

from tests.quizzes.conftest import QUIZ_FILE, QUIZ_URL, set_quiz, set_quiz_draw_by_competency, start, sync
from training.extensions import db
from training.models import Quiz, QuizAttempt, QuizQuestion, utcnow
from training.quizzes.attempts import CannotStart, start_attempt, submit_attempt
from training.quizzes.drawing import draw_questions

SEEDS = range(100)
QUIZ_SIZE = 8  # questions in the fixture quiz


def sync_module_quiz(content) -> Quiz:
    """Sync the content and return the boundaries module's quiz (the course also has a final exam)."""
    sync(content)
    return db.session.scalar(select(Quiz).where(Quiz.path == QUIZ_FILE))


def single(question_id: str, competencies=("C01.1",)) -> dict:
    return {"id": question_id, "type": "single", "prompt": f"{question_id}?", "competencies": list(competencies),
            "options": [{"text": "right", "correct": True}, {"text": "wrong"}]}


def pool_of(size: int, *, tagged: int = 0) -> list[tuple[int, dict]]:
    """`size` questions with ids 1..size; the first `tagged` of them carry C02.1."""
    return [(n, single(f"q{n}", ["C02.1"] if n <= tagged else ["C01.1"])) for n in range(1, size + 1)]


def ids(drawn) -> set[int]:
    return {question_id for question_id, _ in drawn}


def retake(pool, settings, seed) -> tuple[set[int], set[int]]:
    """The questions of a first attempt and of the retake that follows it."""
    first = ids(draw_questions(pool, settings, random.Random(seed)))
    second = draw_questions(pool, settings, random.Random(seed + 1000), avoid=first)
    assert len(second) == len(ids(second)) == settings["draw"]
    return first, ids(second)


# --- the drawing ---------------------------------------------------------------------------------

def test_a_pool_twice_the_draw_gives_a_retake_no_question_seen_last_time():
    for seed in SEEDS:
        first, second = retake(pool_of(20), {"draw": 10}, seed)
        assert first.isdisjoint(second), seed


def test_a_smaller_pool_repeats_only_what_it_must():
    for seed in SEEDS:
        first, second = retake(pool_of(15), {"draw": 10}, seed)
        assert len(first & second) == 5, seed
        assert set(range(1, 16)) - first <= second, seed  # every question not met last time is drawn


def test_without_avoiding_a_retake_would_repeat_questions():
    # The guarantee above is not luck: two independent draws of 10 from 20 nearly always overlap.
    overlapping = sum(1 for seed in SEEDS if ids(draw_questions(pool_of(20), {"draw": 10}, random.Random(seed)))
                      & ids(draw_questions(pool_of(20), {"draw": 10}, random.Random(seed + 1000))))
    assert overlapping > 90


def test_the_retake_is_still_random():
    seen = ids(draw_questions(pool_of(30), {"draw": 10}, random.Random(0)))
    retakes = {frozenset(ids(draw_questions(pool_of(30), {"draw": 10}, random.Random(seed), avoid=seen)))
               for seed in range(1, 21)}
    assert len(retakes) > 1 and all(seen.isdisjoint(drawn) for drawn in retakes)


def test_draw_by_competency_takes_unseen_tagged_questions_first():
    settings, tagged = {"draw": 10, "draw_by_competency": {"C02.1": 2}}, {1, 2, 3, 4}
    repeats = set()
    for seed in SEEDS:
        first, second = retake(pool_of(20, tagged=4), settings, seed)
        assert len(second & tagged) >= 2, seed
        unseen_tagged = tagged - first
        # A tagged question met last time comes back only when fewer than two tagged ones are unseen.
        assert len(first & second) == max(2 - len(unseen_tagged), 0), seed
        assert first & second <= tagged and min(len(unseen_tagged), 2) == len(second & unseen_tagged), seed
        repeats.add(len(first & second))
    assert repeats == {0, 1, 2}  # the first attempt drew two, three or all four tagged questions


def test_draw_by_competency_wins_over_avoiding_seen_questions():
    settings = {"draw": 10, "draw_by_competency": {"C02.1": 2}}
    for seed in SEEDS:
        first, second = retake(pool_of(20, tagged=2), settings, seed)
        assert {1, 2} <= first and {1, 2} <= second, seed
        assert first & second == {1, 2}, seed  # the rest are all questions not met last time


def test_with_no_draw_every_question_is_used_whatever_was_seen():
    pool = pool_of(5)
    assert draw_questions(pool, {"draw": None}, random.Random(0), avoid={1, 2, 3}) == pool


# --- start_attempt -----------------------------------------------------------------------------------

def attempt_questions(attempt: QuizAttempt) -> set[int]:
    return {item.question_id for item in attempt.items}


def attempts_in_a_row(quiz, trainee, count: int, seed: int) -> list[set[int]]:
    """Start and submit `count` attempts, one after the other; the questions of each."""
    drawn = []
    for number in range(count):
        attempt = start_attempt(quiz, trainee, utcnow(), random.Random(seed * 10 + number))
        assert attempt.number == number + 1
        drawn.append(attempt_questions(attempt))
        submit_attempt(attempt, utcnow())
        db.session.commit()
    return drawn


@pytest.mark.parametrize("seed", range(5))
def test_start_attempt_draws_a_retake_from_questions_not_met_last_time(content, make_user, seed):
    set_quiz(content, draw=4, cooldown_minutes=0, attempts=3)
    set_quiz_draw_by_competency(content)
    quiz = sync_module_quiz(content)
    first, second, third = attempts_in_a_row(quiz, make_user(), 3, seed)
    assert len(first) == len(second) == len(third) == 4
    assert first.isdisjoint(second) and second.isdisjoint(third)
    assert third == first  # only the last attempt is avoided: four unseen questions left, the first four


@pytest.mark.parametrize("seed", range(5))
def test_start_attempt_repeats_only_what_the_pool_forces(content, make_user, seed):
    set_quiz(content, draw=6, cooldown_minutes=0)
    set_quiz_draw_by_competency(content)
    quiz = sync_module_quiz(content)
    first, second = attempts_in_a_row(quiz, make_user(), 2, seed)
    assert len(first & second) == 4 and len(first | second) == QUIZ_SIZE


@pytest.mark.parametrize("seed", range(5))
def test_start_attempt_keeps_the_competency_the_quiz_asks_for(content, make_user, seed):
    set_quiz(content, draw=4, cooldown_minutes=0)  # draw_by_competency: {C01.1: 1}; only gift-card has C01.1
    quiz = sync_module_quiz(content)
    first, second = attempts_in_a_row(quiz, make_user(), 2, seed)
    gift_card = db.session.scalar(select(QuizQuestion.id).where(QuizQuestion.key == "gift-card"))
    assert first & second == {gift_card}


def test_the_break_between_attempts_holds_without_an_accommodation(content, make_user):
    set_quiz(content, draw=4)  # cooldown_minutes: 60
    quiz = sync_module_quiz(content)
    trainee = make_user()
    submit_attempt(start_attempt(quiz, trainee, utcnow(), random.Random(0)), utcnow())
    db.session.commit()
    with pytest.raises(CannotStart, match="break between attempts"):
        start_attempt(quiz, trainee, utcnow(), random.Random(1))


# --- over HTTP, with the break waived by an accommodation ----------------------------------------

def test_a_retake_over_http_after_staff_waive_the_break(client, content, people):
    set_quiz(content, draw=4)  # cooldown_minutes: 60
    set_quiz_draw_by_competency(content)
    quiz = sync_module_quiz(content)
    trainee = people["trainee"]
    first = start(client, trainee)
    submitted = client.post(f"/quiz-attempts/{first.id}/submit")
    assert submitted.status_code == 302
    refused = client.post(f"{QUIZ_URL}/start")
    assert "break between attempts" in client.get(refused.headers["Location"]).get_data(as_text=True)

    client.sign_in_as(people["staff"])
    granted = client.post(f"/author/quizzes/{quiz.id}/accommodations",
                          {"email": trainee.email, "extra_attempts": "0", "extra_minutes": "0",
                           "waive_cooldown": "y", "reason": "Agreed adjustment"})
    assert granted.status_code == 302

    second = start(client, trainee)
    assert second.number == 2
    assert attempt_questions(first).isdisjoint(attempt_questions(second))
