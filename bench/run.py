"""Throughput of a lesson page, a quiz attempt page, the course page, a practice lab's page,
the certification checklist and the public verification page against a trivial route,
under gunicorn.

    .venv/bin/python bench/run.py [--seconds 10] [--workers 2] [--concurrency 8] [--rounds 3] [--lesson-only]

Builds a throwaway SQLite database, imports courses/, seeds the demo accounts, starts
gunicorn on a free local port, signs in as the demo trainee and measures requests per
second for /livez (trivial), a lesson page, an open quiz attempt (10 drawn questions) and
the demo graduate's certificate verification page (anonymous),
then prints each and its ratio to the trivial route. The trivial route and the lesson are
measured in `--rounds` interleaved rounds (a slow moment of the machine falls on both) and the
median round's ratio is the figure; `--lesson-only` stops there. The client keeps the cookies
the server sets, as a browser does.
A script, not a test: numbers depend on the machine; the ratio is what to compare.
Only 127.0.0.1 is ever contacted, and every loop is bounded by time.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = "/courses/peer-support-core/orientation/what-is-peer-support"
QUIZ = "/courses/peer-support-core/orientation/quiz"
COURSE = "/courses/peer-support-core"
LAB = "/labs/1"  # the first lab, with an upcoming demo session
CHECKLIST = "/certification"  # both demo tracks' requirements for the trainee


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env) -> None:
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "training"]
    for args in (["db", "upgrade"], ["courses", "sync"], ["demo", "seed", "--if-empty"]):
        subprocess.run(flask + args, env=env, check=True, capture_output=True)


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free local port with `workers`, once it answers /livez: (process, base URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind",
                               f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning",
                               "training:create_app()"], env=env, cwd=ROOT)
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/livez", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def signed_in_opener(base: str, email: str = "trainee@example.org"):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                   "password": "peer-support-demo"}).encode()
    opener.open(base + "/login", data)
    return jar, opener


def start_attempt(base: str, opener) -> str:
    """Start a quiz attempt as the signed-in trainee; returns the attempt page's path."""
    page = opener.open(base + QUIZ).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = opener.open(base + QUIZ + "/start", urllib.parse.urlencode({"csrf_token": token}).encode())
    return urllib.parse.urlsplit(response.geturl()).path


def verification_path(base: str) -> str:
    """The demo graduate's public verification page, read from their My certificates page."""
    _, opener = signed_in_opener(base, "graduate@example.org")
    page = opener.open(base + "/certificates").read().decode()
    return "/verify/" + re.search(r"/verify/([A-Za-z0-9_-]{32})", page).group(1)


def measure(base: str, path: str, cookies, seconds: float, concurrency: int) -> float:
    """Requests per second for `path`, with `concurrency` keep-alive-free client threads."""
    counts = [0] * concurrency
    deadline = time.monotonic() + seconds
    jar = {c.name: c.value for c in cookies}

    def worker(index):
        while time.monotonic() < deadline:
            cookie_header = "; ".join(f"{name}={value}" for name, value in jar.items())
            request = urllib.request.Request(base + path, headers={"Cookie": cookie_header})
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                assert response.status == 200
                for set_cookie in response.headers.get_all("Set-Cookie") or []:  # as a browser keeps them
                    name, _, rest = set_cookie.partition("=")
                    jar[name] = rest.split(";", 1)[0]
            counts[index] += 1
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3,
                        help="trivial route and lesson page measured this many times, one after the other")
    parser.add_argument("--lesson-only", action="store_true", help="measure only the trivial route and the lesson")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": tmp,
               "TRAINING_ENV": "development", "RATELIMIT_ENABLED": "false"}
        prepare(env)
        server, base = start_server(env, options.workers)
        try:
            cookies, opener = signed_in_opener(base)
            attempt = start_attempt(base, opener)
            measure(base, LESSON, cookies, 1, 2)  # warm up both workers
            measure(base, attempt, cookies, 1, 2)
            # Interleaved rounds, so that a slow moment of the machine falls on both; the median
            # round's ratio is the figure.
            rounds = []
            for _ in range(options.rounds):
                rounds.append((measure(base, "/livez", cookies, options.seconds, options.concurrency),
                               measure(base, LESSON, cookies, options.seconds, options.concurrency)))
            rounds.sort(key=lambda pair: pair[1] / pair[0])
            trivial, lesson = rounds[len(rounds) // 2]
            if options.lesson_only:
                print(f"rounds (trivial, lesson req/s): {[(round(t), round(l)) for t, l in rounds]}")
                print(f"ratio lesson/trivial, median round: {lesson / trivial:.2f}  (goal: at least 0.50)")
                return 0
            quiz = measure(base, attempt, cookies, options.seconds, options.concurrency)
            others = {path: measure(base, path, cookies, options.seconds, options.concurrency)
                      for path in (COURSE, LAB, CHECKLIST, "/dashboard", "/notifications/")}
            for email in ("supervisor@example.org", "staff@example.org"):
                role_cookies, _ = signed_in_opener(base, email)
                others[f"/dashboard ({email.split('@')[0]})"] = measure(base, "/dashboard", role_cookies,
                                                                        options.seconds, options.concurrency)
            verify = verification_path(base)
            measure(base, verify, [], 1, 2)
            verified = measure(base, verify, [], options.seconds, options.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"workers={options.workers} concurrency={options.concurrency} seconds={options.seconds}")
    print(f"trivial route /livez : {trivial:8.1f} req/s")
    print(f"lesson page            : {lesson:8.1f} req/s")
    print(f"quiz attempt page      : {quiz:8.1f} req/s   ({attempt})")
    print(f"ratio lesson/trivial   : {lesson / trivial:8.2f}  (goal: at least 0.50)")
    print(f"verification page      : {verified:8.1f} req/s   (anonymous, one indexed lookup)")
    print(f"ratio attempt/trivial  : {quiz / trivial:8.2f}")
    print(f"ratio verify/trivial   : {verified / trivial:8.2f}")
    for path, rate in others.items():
        print(f"{path:<23}: {rate:8.1f} req/s   ratio {rate / trivial:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
