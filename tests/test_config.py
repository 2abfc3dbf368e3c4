"""Settings come from the environment; malformed ones stop start-up naming the variable."""
import multiprocessing

import pytest

from training.config import ConfigError, load_config


@pytest.mark.parametrize("env,variable", [
    ({"PORT": "fifty"}, "PORT"),
    ({"ORGANIZATION_TIME_ZONE": "Mars/Olympus_Mons"}, "ORGANIZATION_TIME_ZONE"),
    ({"PORT": "70000"}, "PORT"),
    ({"MAIL_PORT": "x"}, "MAIL_PORT"),
    ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS"),
    ({"DATABASE_URL": "not a url at all"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
    ({"RATELIMIT_STORAGE_URI": "memcached://x"}, "RATELIMIT_STORAGE_URI"),
    ({"TRAINING_ENV": "prod"}, "TRAINING_ENV"),
    ({"TRAINING_ENV": "production"}, "SECRET_KEY"),
    ({"TRAINING_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"TRAINING_ENV": "production", "SECRET_KEY": "k" * 40}, "BASE_URL"),
    ({"BASE_URL": "training.example.org"}, "BASE_URL"),
    ({"TRAINING_ENV": "production", "SECRET_KEY": "k" * 40, "BASE_URL": "https://t.example"}, "ORGANIZATION_NAME"),
    ({"TRAINING_ENV": "production", "SECRET_KEY": "k" * 40, "BASE_URL": "https://t.example",
      "ORGANIZATION_NAME": "Board"}, "CERTIFICATE_SIGNATORY_NAME"),
    ({"ORGANIZATION_URL": "board.example"}, "ORGANIZATION_URL"),
    ({"ORGANIZATION_LOGO": "/nonexistent/logo.png"}, "ORGANIZATION_LOGO"),
    ({"ORGANIZATION_NAME": "x" * 201}, "ORGANIZATION_NAME"),
    ({"ALLOW_SELF_REGISTRATION": "sometimes"}, "ALLOW_SELF_REGISTRATION"),
])
def test_malformed_settings_name_the_variable(tmp_path, env, variable):
    with pytest.raises(ConfigError, match=variable):
        load_config({"INSTANCE_PATH": str(tmp_path), **env})


ORGANIZATION = {"ORGANIZATION_NAME": "Keystone Peer Certification Board",
                "CERTIFICATE_SIGNATORY_NAME": "Avery Lin", "CERTIFICATE_SIGNATORY_TITLE": "Executive Director"}


def test_the_issuing_organization_is_configured_with_readable_defaults(tmp_path):
    defaults = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert "(demo)" in defaults["ORGANIZATION_NAME"] and defaults["ORGANIZATION_LOGO"] is None
    assert defaults["MAIL_FROM"].startswith(defaults["ORGANIZATION_NAME"])
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    config = load_config({"INSTANCE_PATH": str(tmp_path), **ORGANIZATION, "ORGANIZATION_LOGO": str(logo),
                          "ORGANIZATION_URL": "https://board.example"})
    assert config["ORGANIZATION_NAME"] == "Keystone Peer Certification Board"
    assert config["ORGANIZATION_LOGO"] == ("image/png", logo.read_bytes())
    logo.write_text("<svg></svg>")
    with pytest.raises(ConfigError, match="ORGANIZATION_LOGO must be a PNG or JPEG"):
        load_config({"INSTANCE_PATH": str(tmp_path), "ORGANIZATION_LOGO": str(logo)})


def test_defaults_work_offline_on_sqlite(tmp_path):
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'training.sqlite3'}"
    assert config["PORT"] == 5000 and config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["ALLOW_SELF_REGISTRATION"] is False and config["MAIL_SERVER"] is None


def test_development_keeps_its_generated_secret_key(tmp_path):
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert len(first) >= 32
    assert load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"] == first


def test_production_takes_a_real_key_and_secure_cookies(tmp_path):
    config = load_config({"INSTANCE_PATH": str(tmp_path), "TRAINING_ENV": "production",
                          "SECRET_KEY": "k" * 40, "DATABASE_URL": "postgres://u@db/training",
                          "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                          "BASE_URL": "https://training.example.org", **ORGANIZATION})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/training"


def test_connections_to_a_database_server_are_tested_before_use_and_sqlite_files_are_not(tmp_path):
    """PostgreSQL: a restarted server costs no failed page (pre-ping); a SQLite file has no server."""
    from training import create_app
    from training.extensions import db
    for url, pinged in ((f"sqlite:///{tmp_path / 'x.sqlite3'}", False),
                        ("postgresql+psycopg://postgres@127.0.0.1:5432/never_opened", True)):
        app = create_app({"ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            assert db.engine.pool._pre_ping is pinged
            db.engine.dispose()


ATTEMPTS = 40  # the race is short: before the fix, one attempt in a few failed


def _read_key(instance: str, start, keys) -> None:
    start.wait()
    keys.put(load_config({"INSTANCE_PATH": instance})["SECRET_KEY"])


def test_processes_starting_together_all_read_one_whole_development_key(tmp_path):
    """`make run` starts the server and a jobs worker at once, and the test workers start
    together on a fresh clone: the first start's key must never be read half written (an empty
    key left every session of one test worker unusable)."""
    context = multiprocessing.get_context("fork")
    start, keys = context.Barrier(8), context.Queue()
    for attempt in range(ATTEMPTS):
        instance = str(tmp_path / f"instance-{attempt}")
        processes = [context.Process(target=_read_key, args=(instance, start, keys)) for _ in range(8)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=30)
        read = {keys.get(timeout=5) for _ in processes}
        assert len(read) == 1 and len(read.pop()) == 64
        assert not [path.name for path in (tmp_path / f"instance-{attempt}").iterdir() if path.name != "secret_key"]


def test_an_empty_key_file_is_replaced(tmp_path):
    (tmp_path / "secret_key").write_text("")
    key = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert len(key) == 64 and (tmp_path / "secret_key").read_text() == key
