"""Seed a realistic program into the database named by DATABASE_URL, to measure lists on.

    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_10k .venv/bin/python bench/program.py 10000

Run it after `flask db upgrade`, `flask courses sync` and `flask demo seed` on that database.
It adds N trainees in cohorts of about 25; 10% of them are assigned to the demo supervisor
(supervisor@example.org) and the rest are spread over 40 more supervisors. Per trainee:
20 hours entries (most decided, a few pending or withdrawn), 2 graded quiz attempts of 10
items, 12 lessons completed, 5 competency ratings; 10% hold a certificate and 2% have a
sign-off request waiting. Rows go in with bulk inserts (executemany), never one ORM object
at a time, so 10,000 trainees take a minute or two.
A script, not a test; the seed is fixed (--seed), so two runs build the same program.
"""
from __future__ import annotations

import argparse
import random
import secrets
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from training import create_app  # noqa: E402
from training.extensions import db  # noqa: E402
from training.models import (AttemptItem, AttemptStatus, Certificate, Cohort, CompetencyRating,  # noqa: E402
                             Decision, Enrolment, HoursDecision, HoursEntry, HoursKind, Lesson, LessonProgress, Quiz,
                             QuizAttempt, QuizQuestion, Role, SignoffEvidence, SignoffRequest, SignoffStatus,
                             SupervisorAssignment, User, UserRole)

PRACTICE = ["individual-support", "group-facilitation", "advocacy-education", "peer-led-workshop"]
SUPERVISION = ["individual", "group"]
COMPETENCIES = ["C01.1", "C01.2", "C02.1", "C02.2", "C03.1", "C03.2", "C04.1", "C04.2"]
BATCH = 5000
NOW = datetime.now(timezone.utc)


def bulk(model, rows: list[dict], returning: bool = False) -> list[int]:
    """Insert `rows` in batches; with `returning`, the new ids in the order of `rows`."""
    table = model.__table__
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        if returning:
            ids += db.session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk).all()
        else:
            db.session.execute(insert(table), chunk)
    return ids


def people(count: int, kind: str, run: str) -> list[dict]:
    return [{"email": f"{kind}{i}.{run}@bench.example.org", "display_name": f"{kind.capitalize()} {i} {run}",
             "legal_name": f"{kind.capitalize()} Person {i}", "password_hash": None, "created_at": NOW}
            for i in range(count)]


def seed(trainee_count: int, rng: random.Random) -> dict[str, int]:
    """Add the program; returns how many rows of each kind went in."""
    run = secrets.token_hex(3)  # lets the script run twice on one database
    demo_supervisor = db.session.scalar(select(User.id).where(User.email == "supervisor@example.org"))
    if demo_supervisor is None:
        raise SystemExit("Run `flask demo seed` on this database first.")
    quizzes = db.session.scalars(select(Quiz.id).where(Quiz.module_id.is_not(None)).order_by(Quiz.id)).all()
    questions: dict[int, list[tuple[int, dict]]] = {quiz_id: [] for quiz_id in quizzes}
    for question_id, quiz_id, data in db.session.execute(
            select(QuizQuestion.id, QuizQuestion.quiz_id, QuizQuestion.data).where(QuizQuestion.quiz_id.in_(quizzes))):
        questions[quiz_id].append((question_id, data))
    lessons = db.session.scalars(select(Lesson.id).order_by(Lesson.id).limit(12)).all()

    supervisors = bulk(User, people(40, "supervisor", run), returning=True)
    trainees = bulk(User, people(trainee_count, "trainee", run), returning=True)
    bulk(UserRole, [{"user_id": s, "role": Role.SUPERVISOR} for s in supervisors]
         + [{"user_id": t, "role": Role.TRAINEE} for t in trainees])
    cohort_ids = bulk(Cohort, [{"name": f"Bench cohort {i + 1} {run}", "created_at": NOW,
                                "starts_on": date(2026, 1, 1) + timedelta(days=i)}
                               for i in range((trainee_count + 24) // 25)], returning=True)
    bulk(Enrolment, [{"cohort_id": cohort_ids[i // 25], "trainee_id": t, "enrolled_at": NOW}
                     for i, t in enumerate(trainees)])
    supervisor_of = {t: demo_supervisor if i % 10 == 0 else supervisors[i % 40] for i, t in enumerate(trainees)}
    bulk(SupervisorAssignment, [{"trainee_id": t, "supervisor_id": s, "is_primary": True, "assigned_at": NOW}
                                for t, s in supervisor_of.items()])

    entries, decided = [], []
    for t in trainees:
        for n in range(20):
            kind = HoursKind.SUPERVISION if n % 5 == 4 else HoursKind.PRACTICE
            roll = rng.random()
            entries.append({"trainee_id": t, "kind": kind,
                            "activity": rng.choice(SUPERVISION if kind == HoursKind.SUPERVISION else PRACTICE),
                            "worked_on": date(2026, 6, 1) + timedelta(days=n * 3), "minutes": rng.choice([60, 90, 120]),
                            "setting": "Community center", "remote": False, "note": "", "submission_token": f"b{n}",
                            "created_at": NOW, "withdrawn_at": NOW if roll > 0.97 else None,
                            "decided_at": NOW if roll < 0.85 else None})  # as the decision listener would
            decided.append(roll if roll <= 0.97 else None)
    entry_ids = bulk(HoursEntry, entries, returning=True)
    decisions = [{"entry_id": entry_id, "reviewer_id": supervisor_of[entry["trainee_id"]], "reason": "",
                  "decision": Decision.REJECTED if roll < 0.05 else Decision.VERIFIED, "created_at": NOW}
                 for entry_id, entry, roll in zip(entry_ids, entries, decided) if roll is not None and roll < 0.85]
    bulk(HoursDecision, decisions)

    attempts, picks = [], []
    for t in trainees:
        for quiz_id in rng.sample(quizzes, 2):
            pool = rng.sample(questions[quiz_id], min(10, len(questions[quiz_id])))
            score = sum(rng.random() < 0.85 for _ in pool)
            waiting = rng.random() < 0.01
            attempts.append({"quiz_id": quiz_id, "user_id": t, "number": 1, "pass_mark": 80, "review": "after_pass",
                             "status": AttemptStatus.AWAITING_REVIEW if waiting else AttemptStatus.GRADED,
                             "started_at": NOW - timedelta(hours=1), "submitted_at": NOW,
                             "graded_at": None if waiting else NOW, "max_score": float(len(pool)),
                             "score": None if waiting else float(score),
                             "percent": None if waiting else 100.0 * score / len(pool),
                             "passed": None if waiting else score * 100 >= 80 * len(pool)})
            picks.append((pool, score))
    attempt_ids = bulk(QuizAttempt, attempts, returning=True)
    items = [{"attempt_id": attempt_id, "position": position + 1, "question_id": question_id, "question": data,
              "shown_order": [], "answer": 0, "points": 1.0 if position < score else 0.0, "max_points": 1.0}
             for attempt_id, (pool, score) in zip(attempt_ids, picks)
             for position, (question_id, data) in enumerate(pool)]
    bulk(AttemptItem, items)

    bulk(LessonProgress,
         [{"trainee_id": t, "lesson_id": lesson_id, "last_viewed_at": NOW, "completed_at": NOW}
          for t in trainees for lesson_id in lessons])
    bulk(CompetencyRating, [{"trainee_id": t, "competency": code, "rater_id": supervisor_of[t], "level": "meets",
                             "comment": "", "method": "direct-observation", "observed_on": date(2026, 9, 1),
                             "supersede_reason": "", "created_at": NOW}
                            for t in trainees for code in rng.sample(COMPETENCIES, 5)])

    holders = trainees[5::10]
    bulk(Certificate, [{"number": f"BEN-{run}-{i:06d}", "code": secrets.token_urlsafe(32),
                        "holder_id": t, "track": "cpss", "kind": "certification",
                        "track_title": "Certified Peer Support Specialist", "issuer_name": "Bench",
                        "legal_name": "Holder",
                        "valid_from": date(2026, 1, 1) + timedelta(days=i % 300),
                        "expires_on": date(2028, 1, 1) + timedelta(days=i % 300), "issued_at": NOW, "summary": {},
                        "contact_hours": {}} for i, t in enumerate(holders)])
    asking = trainees[3::50]
    request_ids = bulk(SignoffRequest, [{"trainee_id": t, "competency": "C01.1", "status": SignoffStatus.PENDING,
                                         "created_at": NOW, "updated_at": NOW} for t in asking], returning=True)
    bulk(SignoffEvidence, [{"request_id": r, "happened_on": date(2026, 10, 1), "setting": "Group",
                            "method": "direct-observation", "what_happened": "Led a check-in.", "reflection": "",
                            "submitted_at": NOW} for r in request_ids])
    return {"trainees": len(trainees), "supervisors": len(supervisors), "hours entries": len(entries),
            "decisions": len(decisions), "attempts": len(attempts), "attempt items": len(items),
            "certificates": len(holders), "sign-off requests": len(request_ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trainees", type=int, help="how many trainees to add, e.g. 2000 or 10000")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        counts = seed(args.trainees, random.Random(args.seed))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # fresh statistics, as a live database would have
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(", ".join(f"{value:,} {name}" for name, value in counts.items()),
              f"in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
