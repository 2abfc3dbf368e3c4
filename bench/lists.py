"""Queries, time and size of each list page, in-process, on the database named by DATABASE_URL.

    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_10k .venv/bin/python bench/lists.py [--repeat 3]

Seed the database first (flask db upgrade, courses sync, demo seed, then bench/program.py).
Each page is fetched with the Flask test client, signed in as the demo staff member or the
demo supervisor; the first fetch warms caches and is not counted, then the best of
--repeat fetches is shown. Queries are counted with a SQLAlchemy event listener. The
supervisor's menu count (training/supervision/queue.py waiting_count) is timed on its own.
A script, not a test: the numbers depend on the machine; compare runs on one machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from training import create_app  # noqa: E402
from training.extensions import db  # noqa: E402
from training.models import Cohort, Enrolment, Quiz, QuizAttempt, User  # noqa: E402


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def pages() -> list[tuple[str, str, str]]:
    """(what, who, path) for each page the issue measures."""
    quiz_id = db.session.scalar(select(QuizAttempt.quiz_id).group_by(QuizAttempt.quiz_id)
                                .order_by(db.func.count().desc()).limit(1)) or db.session.scalar(select(Quiz.id))
    cohort_id = db.session.scalar(select(Cohort.id).join(Enrolment).order_by(Cohort.id.desc()).limit(1))
    return [
        ("staff certification index", "staff", "/staff/certification/"),
        ("bank attempts", "staff", f"/author/quizzes/{quiz_id}/attempts"),
        ("supervisor overview", "supervisor", "/supervision/trainees"),
        ("staff people", "staff", "/staff/people"),
        ("bank questions (statistics)", "staff", f"/author/quizzes/{quiz_id}"),
        ("staff cohort", "staff", f"/staff/cohorts/{cohort_id}"),
        ("supervisor review queue", "supervisor", "/supervision/queue"),
        ("staff dashboard", "staff", "/dashboard"),
        ("supervisor dashboard", "supervisor", "/dashboard"),
    ]


def measure(app, client, path: str, counter: QueryCounter, repeat: int) -> tuple[int, float, int, int, float]:
    """(queries, best ms, bytes, status, first ms) of GET `path`; the first fetch warms caches
    (and stores any certification standings not stored yet), so it is shown on its own."""
    started = time.perf_counter()
    client.get(path)
    first = (time.perf_counter() - started) * 1000
    best, queries, size, status = float("inf"), 0, 0, 0
    for _ in range(repeat):
        counter.count = 0
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed < best:
            best, queries, size, status = elapsed, counter.count, len(response.data), response.status_code
    return queries, best, size, status, first


def menu_count(app, counter: QueryCounter, repeat: int) -> tuple[int, float]:
    from training.supervision.queue import waiting_count
    with app.app_context():
        supervisor = db.session.scalar(select(User).where(User.email == "supervisor@example.org"))
        waiting_count(supervisor)
        best = float("inf")
        for _ in range(repeat):
            counter.count = 0
            started = time.perf_counter()
            waiting_count(supervisor)
            best = min(best, (time.perf_counter() - started) * 1000)
        return counter.count, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    counter = QueryCounter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter)
        trainees = db.session.scalar(select(db.func.count()).select_from(Enrolment))
        targets = pages()
        who = {role: db.session.scalar(select(User).where(User.email == f"{role}@example.org")).get_id()
               for role in ("staff", "supervisor")}
    clients = {}
    for role, user_id in who.items():
        clients[role] = app.test_client()
        with clients[role].session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    print(f"{trainees:,} enrolled trainees; best of {args.repeat}")
    print(f"| {'Page':<30} | {'queries':>7} | {'ms':>8} | {'bytes':>10} | status | first ms |")
    print(f"|{'-' * 32}|{'-' * 9}|{'-' * 10}|{'-' * 12}|--------|----------|")
    for what, role, path in targets:
        queries, ms, size, status, first = measure(app, clients[role], path, counter, args.repeat)
        print(f"| {what:<30} | {queries:>7} | {ms:>8,.0f} | {size:>10,} | {status:>6} | {first:>8,.0f} |",
              flush=True)
    queries, ms = menu_count(app, counter, args.repeat)
    print(f"| {'menu queue count (supervisor)':<30} | {queries:>7} | {ms:>8,.1f} | {'':>10} |        |          |")


if __name__ == "__main__":
    main()
