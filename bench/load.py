"""A 50-user load run: each simulated trainee signs in, opens the dashboard and a lesson,
starts (or reopens) a quiz attempt and saves an answer, and logs practice hours, all at once.

    .venv/bin/python bench/load.py [--users 50] [--workers 4] [--rounds 2] [--database URL]

Builds a fresh PostgreSQL database (or the SQLite file given with --database sqlite:///...),
imports courses/, seeds the demo accounts and the load accounts, starts gunicorn on a free
local port with --workers, releases every user at the same moment, and prints per step the
requests, errors and p50/p95/p99 in ms (sign-in separately: its goal is p95 under 2 s with
0 errors on the 2-core machine with 4 workers). Rate limits are off (one address, 50 people).
A script, not a test: only 127.0.0.1 is contacted, and every user does a bounded number of
steps (--rounds).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import COURSE, LESSON, QUIZ, ROOT, prepare, start_server  # noqa: E402

PASSWORD = "load test passphrase"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def seed_users(env: dict, count: int) -> None:
    code = f"""
from training import create_app
from training.auth.accounts import create_account, find_user_by_email
from training.extensions import db
from training.models import Role
app = create_app()
with app.app_context():
    for n in range({count}):
        email = f"load{{n:02d}}@example.org"
        if find_user_by_email(email) is None:
            create_account(email, f"Load Trainee {{n}}", [Role.TRAINEE], legal_name=f"Load Trainee {{n}}",
                           password={PASSWORD!r})
    db.session.commit()
"""
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], env=env, check=True, cwd=ROOT)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Each step is one request: a redirect after a form is not followed (and not timed)."""

    def redirect_request(self, *args, **kwargs):
        return None


class User:
    def __init__(self, base: str, email: str, timings: dict, errors: dict):
        self.base, self.email, self.timings, self.errors = base, email, timings, errors
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def request(self, step: str, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            text, status = error.read().decode("utf-8", "replace"), error.code
            if 300 <= status < 400:  # the answer to a form: the next step follows it
                text = error.headers.get("Location", "")
        except OSError as error:
            text, status = str(error), 0
        self.timings[step].append((time.perf_counter() - started) * 1000)
        if status >= 400 or status == 0:
            self.errors[step].append(f"{status} {path}")
        return text

    def token(self, page: str) -> str:
        found = TOKEN.search(page)
        return found.group(1) if found else ""

    def journey(self, barrier: threading.Barrier, rounds: int) -> None:
        page = self.request("sign-in page", "/login")
        barrier.wait()
        page = self.request("sign in", "/login", {"csrf_token": self.token(page), "email": self.email,
                                                  "password": PASSWORD})
        for round_number in range(rounds):
            self.request("dashboard", "/dashboard")
            self.request("course", COURSE)
            lesson = self.request("lesson", LESSON)
            overview = self.request("quiz page", QUIZ)
            started = self.request("start attempt", QUIZ + "/start", {"csrf_token": self.token(overview)})
            attempt = self.request("attempt page", urllib.parse.urlsplit(started).path or QUIZ)
            action = re.search(r'<form[^>]*action="(/quiz-attempts/\d+)"', attempt)
            choice = re.search(r'name="(q\d+)"[^>]*value="([^"]+)"', attempt)
            if action and choice:
                self.request("save answer", action.group(1), {"csrf_token": self.token(attempt),
                                                               choice.group(1): choice.group(2)})
            hours = self.request("hours page", "/hours/")
            day = (date.today() - timedelta(days=1 + round_number)).isoformat()
            self.request("log hours", "/hours/practice", {
                "csrf_token": self.token(hours), "practice-activity": "individual-support",
                "practice-worked_on": day, "practice-hours": "1.5", "practice-mode": "in_person",
                "practice-setting": "Drop-in centre", "practice-note": f"Load round {round_number}",
                "practice-token": uuid.uuid4().hex})
            del lesson


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", help="default: a fresh PostgreSQL database on 127.0.0.1, dropped afterwards")
    options = parser.parse_args()
    name = f"load_{uuid.uuid4().hex[:8]}"
    url = options.database or f"postgresql://postgres@127.0.0.1/{name}"
    if options.database is None:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    instance = Path(f"/tmp/{name}")
    instance.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(instance), "TRAINING_ENV": "development",
           "RATELIMIT_ENABLED": "false"}
    try:
        prepare(env)
        seed_users(env, options.users)
        server, base = start_server(env, options.workers)
        try:
            timings, errors = defaultdict(list), defaultdict(list)
            users = [User(base, f"load{n:02d}@example.org", timings, errors) for n in range(options.users)]
            barrier = threading.Barrier(options.users)
            threads = [threading.Thread(target=user.journey, args=(barrier, options.rounds)) for user in users]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        if options.database is None:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)
    total = sum(len(values) for values in timings.values())
    print(f"{options.users} users, {options.workers} gunicorn workers, {options.rounds} rounds: {total} requests "
          f"in {elapsed:.1f} s, {sum(len(e) for e in errors.values())} errors")
    print(f"| {'Step':<16} | requests | errors |    p50 |    p95 |    p99 |")
    print(f"|{'-' * 18}|----------|--------|--------|--------|--------|")
    for step, values in timings.items():
        print(f"| {step:<16} | {len(values):>8} | {len(errors[step]):>6} | {statistics.median(values):>6.0f} | "
              f"{percentile(values, 0.95):>6.0f} | {percentile(values, 0.99):>6.0f} |")
    for step, found in errors.items():
        if found:
            print(f"{step}: {found[:3]}")
    return 1 if any(errors.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
