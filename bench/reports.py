"""Queries and time of each staff report page and export, in-process, on the database named by DATABASE_URL.

    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_10k .venv/bin/python bench/reports.py [--repeat 3]

Seed the database first (see bench/program.py). Each page is fetched with the Flask test client
signed in as the demo staff member; the first fetch warms caches and is not counted, then the
best of --repeat fetches is shown (exports: the whole body read; a progress export of more than
2,000 trainees is a job, so its page answers with a redirect and the job is timed on its own). Goals: pages under 1 s,
exports under 5 s, cost growing linearly with the number of trainees.
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
from training.models import Cohort, Enrolment, User  # noqa: E402


def targets(cohort_id: int) -> list[tuple[str, str]]:
    pages = [("progress", "/staff/reports/progress"), ("progress, one cohort", f"/staff/reports/progress?cohort={cohort_id}"),
             ("progress, by practice hours", "/staff/reports/progress?sort=practice&order=desc&page=40"),
             ("modules", "/staff/reports/modules"), ("certificates", "/staff/reports/certificates")]
    exports = [(f"{what} {kind}", f"{path}{'&' if '?' in path else '?'}format={kind}")
               for what, path in (("progress", "/staff/reports/progress"), ("modules", "/staff/reports/modules"),
                                  ("certificates", "/staff/reports/certificates")) for kind in ("csv", "xlsx")]
    return pages + exports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    count = {"n": 0}

    def counter(*_args):
        count["n"] += 1
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter)
        trainees = db.session.scalar(select(db.func.count()).select_from(Enrolment))
        cohort_id = db.session.scalar(select(Cohort.id).join(Enrolment).order_by(Cohort.id.desc()).limit(1))
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org")).get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = staff, True
    print(f"{trainees:,} enrolled trainees; best of {args.repeat}")
    print(f"| {'Report':<32} | {'queries':>7} | {'ms':>8} | {'bytes':>10} | status |")
    print(f"|{'-' * 34}|{'-' * 9}|{'-' * 10}|{'-' * 12}|--------|")
    for what, path in targets(cohort_id):
        client.get(path).get_data()  # warm-up
        best = None
        for _ in range(args.repeat):
            count["n"] = 0
            started = time.perf_counter()
            response = client.get(path)
            size = len(response.get_data())
            elapsed = (time.perf_counter() - started) * 1000
            if best is None or elapsed < best[1]:
                best = (count["n"], elapsed, size, response.status_code)
        print(f"| {what:<32} | {best[0]:>7} | {best[1]:>8,.0f} | {best[2]:>10,} | {best[3]:>6} |", flush=True)
    for file_format in ("csv", "xlsx"):  # the job that builds a large progress export, as a worker runs it
        with app.app_context():
            from training.reports import jobs as report_jobs
            from training.reports.progress import ProgressFilters, default_track
            person = db.session.get(User, int(staff.split(":")[0]))
            filters = ProgressFilters(track=default_track())
            export = report_jobs.request_export(person, filters, file_format, report_jobs.progress_rows(filters))
            db.session.commit()
            count["n"] = 0
            started = time.perf_counter()
            report_jobs.build(export.id)
            elapsed = (time.perf_counter() - started) * 1000
            size = len(db.session.get(type(export), export.id).content or b"")
        print(f"| {'progress ' + file_format + ' (job)':<32} | {count['n']:>7} | {elapsed:>8,.0f} | {size:>10,} |"
              f"        |", flush=True)


if __name__ == "__main__":
    main()
