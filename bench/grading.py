"""How long grading a 100-question attempt takes, against a trivial request in the same run.

    .venv/bin/python bench/grading.py [--repeat 50]

Builds a throwaway SQLite database with one quiz of 100 questions of every automatically
marked type, then, for each repeat, starts an attempt, answers every question and times:
- the marking alone (the pure functions, no database), and
- the whole submission as the app does it (claim the attempt, mark, store, commit),
and, as the yardstick, a request to /healthz through the test client. Prints medians and
the 95th percentile. A script, not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_questions(count: int) -> list[dict]:
    kinds = [
        lambda n: {"id": f"q{n}", "type": "single", "prompt": f"Question {n}?", "options": [
            {"text": "Right", "correct": True, "feedback": "Yes."}, {"text": "Wrong", "feedback": "No."},
            {"text": "Also wrong", "feedback": "No."}, {"text": "Still wrong", "feedback": "No."}]},
        lambda n: {"id": f"q{n}", "type": "multiple", "prompt": f"Question {n}?", "options": [
            {"text": "A", "correct": True, "weight": 50}, {"text": "B", "correct": True, "weight": 50},
            {"text": "C", "weight": -50}]},
        lambda n: {"id": f"q{n}", "type": "true_false", "prompt": f"Statement {n}.", "answer": True},
        lambda n: {"id": f"q{n}", "type": "short", "prompt": f"Question {n}?", "answers": ["nine eight eight", "988"]},
        lambda n: {"id": f"q{n}", "type": "matching", "prompt": f"Match {n}.", "pairs": [
            {"left": "Warm line", "right": "Before a crisis"}, {"left": "Crisis line", "right": "During a crisis"},
            {"left": "Peer group", "right": "Mutual support"}]},
        lambda n: {"id": f"q{n}", "type": "numerical", "prompt": f"How many {n}?", "answer": 25, "tolerance": 1},
    ]
    return [kinds[n % len(kinds)](n) for n in range(count)]


def answer_for(item):
    data = item.question
    kind = data["type"]
    if kind == "single":
        return 0
    if kind == "multiple":
        return [0, 2]
    if kind == "true_false":
        return True
    if kind == "short":
        return " Nine  EIGHT eight "
    if kind == "matching":
        return {"0": 0, "1": 2, "2": 1}
    return 24.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--questions", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", INSTANCE_PATH=tmp,
                          TRAINING_ENV="development", RATELIMIT_ENABLED="false")
        from training import create_app
        from training.extensions import db
        from training.models import Course, Module, Quiz, QuizQuestion, Role, utcnow
        from training.auth.accounts import create_account
        from training.quizzes.attempts import start_attempt, submit_attempt
        from training.quizzes.grading import answer_fraction, attempt_score

        app = create_app()
        with app.app_context():
            db.create_all()
            course = Course(slug="bench", title="Bench", source="", files_hash="")
            module = Module(course=course, slug="bench", title="Bench", source="", files_hash="")
            quiz = Quiz(module=module, path="bench/bench/quiz.yml", source="", files_hash="", settings={
                "pass_mark": 80, "attempts": 0, "cooldown_minutes": 0, "draw": None, "draw_by_competency": {},
                "shuffle_options": True, "time_limit_minutes": None, "review": "after_pass", "counts": "highest"})
            db.session.add(quiz)
            db.session.flush()
            for position, data in enumerate(make_questions(options.questions)):
                db.session.add(QuizQuestion(quiz_id=quiz.id, key=data["id"], position=position, data=data))
            trainee = create_account("bench@example.org", "Bench", [Role.TRAINEE], password="bench-password-1")
            db.session.commit()
            client = app.test_client()
            pure, whole, trivial = [], [], []
            for _ in range(options.repeat):
                attempt = start_attempt(quiz, trainee, utcnow())
                for item in attempt.items:
                    item.answer = answer_for(item)
                db.session.commit()
                items = [(item.question, item.answer, item.max_points) for item in attempt.items]
                started = time.perf_counter()
                marks = [(None if (f := answer_fraction(q, a)) is None else f * m, m) for q, a, m in items]
                attempt_score(marks, 80)
                pure.append(time.perf_counter() - started)
                started = time.perf_counter()
                submit_attempt(attempt, utcnow())
                db.session.commit()
                whole.append(time.perf_counter() - started)
                started = time.perf_counter()
                client.get("/healthz")
                trivial.append(time.perf_counter() - started)
            assert attempt.percent is not None and len(attempt.items) == options.questions

    def show(label, values):
        values = sorted(values)
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"{label:<44} median {statistics.median(values) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms")
    print(f"{options.questions} questions, {options.repeat} attempts, SQLite")
    show("trivial request (/healthz, test client)", trivial)
    show("marking only (pure functions)", pure)
    show("whole submission (mark, store, commit)", whole)
    print(f"ratio submission/trivial: {statistics.median(whole) / statistics.median(trivial):.1f}  "
          "(goal: submission well under 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
