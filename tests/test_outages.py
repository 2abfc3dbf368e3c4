"""Graceful outages, with real unreachable servers (a closed port): a database that does not
answer gives every page a 503 with Retry-After that needs no database; Redis that does not
answer leaves signing in working; /livez, /readyz and /healthz say which is which."""
import subprocess
import sys
from pathlib import Path

import pytest

from training import create_app
from training.extensions import db

CLOSED = "127.0.0.1:9"  # the discard port: nothing listens on it here


def _app(tmp_path_factory, **config):
    settings = {"TESTING": True, "ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path_factory.mktemp("out")),
                "RATELIMIT_STORAGE_URI": "memory://", "MAIL_SERVER": None, "PASSWORD_HASH_PROFILE": "CHEAPEST"}
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="module")
def no_database(tmp_path_factory):
    app = _app(tmp_path_factory, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@{CLOSED}/nothing"
                                                         "?connect_timeout=2")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_liveness_needs_no_database_and_readiness_says_it_is_down(no_database):
    client = no_database.test_client()
    assert client.get("/livez").get_json() == {"status": "ok"}
    for path in ("/readyz", "/healthz"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert response.get_json() == {"status": "unavailable", "checks": {"database": "down"}}


def test_every_page_answers_a_kind_503_without_the_database(no_database):
    client = no_database.test_client()
    with client.session_transaction() as session:  # someone signed in: loading them needs the database
        session["_user_id"] = "1:abc"
    for path in ("/", "/dashboard", "/courses/", "/verify/abcdefgh"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "30" and response.headers["Cache-Control"] == "no-store"
        assert "The site is unavailable for a moment" in page and "It is not your fault" in page
        assert "Traceback" not in page and "psycopg" not in page


def test_readiness_is_ok_when_everything_answers(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "checks": {"database": "ok"}}


REDIS_DOWN = """
import logging
import sys
logging.basicConfig(level=logging.WARNING)
from training import create_app
app = create_app({"TESTING": True, "ENVIRONMENT": "testing", "INSTANCE_PATH": sys.argv[2],
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_STORAGE_URI": "redis://%s",
                  "WTF_CSRF_ENABLED": False, "MAIL_SERVER": None, "PASSWORD_HASH_PROFILE": "CHEAPEST"})
client = app.test_client()
login = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password wrong"})
ready = client.get("/readyz")
print(login.status_code, ready.status_code, ready.get_json()["checks"])
""" % CLOSED


def test_signing_in_keeps_working_when_redis_does_not_answer(tmp_path, database_url):
    """In its own process: the rate limiter is one object per process, and this one must not
    point the rest of the suite at a Redis that is not there."""
    result = subprocess.run([sys.executable, "-c", REDIS_DOWN, database_url, str(tmp_path)], capture_output=True,
                            text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    # Refused as a wrong password (400), not a 500; ready says Redis is down.
    assert result.stdout.split("\n")[-2] == "400 503 {'database': 'ok', 'redis': 'down'}", result.stdout
    assert result.stderr.lower().count("in-memory") == 1, result.stderr  # said once
