"""Settings, read from environment variables in this module and nowhere else.

Every setting has a sensible development default. A malformed value stops start-up with
a ConfigError that names the variable, so an operator knows what to fix.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import available_timezones

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production", "testing")
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster")
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def _text(env, name, default=None):
    value = env.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def _integer(env, name, default, minimum=0, maximum=None):
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def _boolean(env, name, default):
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _database_url(env, instance_path: Path):
    raw = _text(env, "DATABASE_URL")
    if raw is None:
        return f"sqlite:///{instance_path / 'training.sqlite3'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    if raw.startswith("postgres://"):
        raw = "postgresql+psycopg://" + raw[len("postgres://"):]
    elif raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a database URL (expected e.g. "
                          "postgresql://user@host/dbname or sqlite:///path)") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must point to PostgreSQL or SQLite, not {url.get_backend_name()}")
    return raw


def _secret_key(env, environment, instance_path: Path):
    key = _text(env, "SECRET_KEY")
    if key is not None:
        if environment == "production" and len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        return key
    if environment == "production":
        raise ConfigError("SECRET_KEY is required in production (TRAINING_ENV=production); "
                          "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'")
    if environment == "testing":
        return secrets.token_hex(32)
    # Development keeps one key across restarts so sessions survive `make run` again.
    key_file = instance_path / "secret_key"
    existed = key_file.exists()
    key = key_file.read_text().strip() if existed else ""
    if not key:  # none yet (or an empty file, left by a version that could write one)
        instance_path.mkdir(parents=True, exist_ok=True)
        _write_whole(key_file, secrets.token_hex(32), replace=existed)
        key = key_file.read_text().strip()
    return key


def _write_whole(path: Path, text: str, *, replace: bool) -> None:
    """Put `text` in `path` so that it appears whole or not at all: processes starting at the
    same moment (the web server and the jobs worker of `make run`, the test workers) read
    either no file or the whole key, never a file still empty. Without `replace`, a file
    another process made first stands."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    temporary.write_text(text)
    temporary.chmod(0o600)
    try:
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails when the file exists
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _ratelimit_storage(env):
    uri = _text(env, "RATELIMIT_STORAGE_URI", "memory://")
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in RATELIMIT_SCHEMES:
        raise ConfigError(f"RATELIMIT_STORAGE_URI must start with one of "
                          f"{', '.join(s + '://' for s in RATELIMIT_SCHEMES)}, not {uri!r}")
    return uri


def _base_url(env, environment: str) -> str | None:
    base = _text(env, "BASE_URL")
    if environment == "production" and not base:
        raise ConfigError("BASE_URL is required in production (for example https://training.example.org): "
                          "every issued certificate carries it in its QR code and signed credential")
    if base and not base.startswith(("https://", "http://")):
        raise ConfigError(f"BASE_URL must start with https:// or http://, not {base!r}")
    return base


# The organization that issues certificates. Development defaults make the demo readable
# and say plainly that they are examples; production must name the real organization.
DEFAULT_ORGANIZATION = {
    "ORGANIZATION_NAME": "Example Peer Support Program (demo)",
    "CERTIFICATE_SIGNATORY_NAME": "Jordan Ellis (demo)",
    "CERTIFICATE_SIGNATORY_TITLE": "Program Director",
}
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_LIMIT = 512 * 1024


def _organization(env, environment: str) -> dict:
    """ORGANIZATION_* and CERTIFICATE_SIGNATORY_*: who issues certificates, on every certificate,
    the issuer profile, the verification page and emails."""
    settings = {}
    for name, default in DEFAULT_ORGANIZATION.items():
        value = _text(env, name)
        if value is None and environment == "production":
            raise ConfigError(f"{name} is required in production: every certificate carries it "
                              "(see the README, section Configuration)")
        if value is not None and len(value) > 200:
            raise ConfigError(f"{name} must be at most 200 characters")
        settings[name] = value or default
    url = _text(env, "ORGANIZATION_URL")
    if url and not url.startswith(("https://", "http://")):
        raise ConfigError(f"ORGANIZATION_URL must start with https:// or http://, not {url!r}")
    settings["ORGANIZATION_URL"] = url
    settings["ORGANIZATION_LOGO"] = _logo(env)
    return settings


def _logo(env) -> tuple[str, bytes] | None:
    """ORGANIZATION_LOGO: a PNG or JPEG file read once at start-up, as (content type, bytes)."""
    path = _text(env, "ORGANIZATION_LOGO")
    if path is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"ORGANIZATION_LOGO cannot be read ({path}): {error.strerror}") from None
    if len(data) > LOGO_LIMIT:
        raise ConfigError(f"ORGANIZATION_LOGO must be at most 512 KB, not {len(data) // 1024} KB")
    content_type = next((kind for start, kind in LOGO_TYPES.items() if data.startswith(start)), None)
    if content_type is None:
        raise ConfigError("ORGANIZATION_LOGO must be a PNG or JPEG file")
    return content_type, data


def _jobs_url(env, instance_path: Path) -> str:
    url = _text(env, "JOBS_URL", f"sqlite:///{instance_path / 'jobs.sqlite3'}")
    if not url.startswith(("sqlite:///", "redis://", "rediss://")):
        raise ConfigError(f"JOBS_URL must start with sqlite:/// or redis://, not {url!r}")
    return url


def _signing_key(env) -> str | None:
    """SIGNING_KEY_FILE (a path) or SIGNING_KEY (the text): a P-256 (ES256) or RSA (RS256)
    private key in PEM, read once at start-up. Unset, keys are made and kept in the database
    (the development default)."""
    path, text = _text(env, "SIGNING_KEY_FILE"), _text(env, "SIGNING_KEY")
    if path and text:
        raise ConfigError("Set SIGNING_KEY_FILE or SIGNING_KEY, not both")
    if path:
        try:
            text = Path(path).read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"SIGNING_KEY_FILE cannot be read ({path}): {error}") from None
    if not text:
        return None
    from training.certification.keys import kind_of_pem
    kind = kind_of_pem(text)
    if kind == "OKP":
        raise ConfigError("The signing key is an Ed25519 key, which now only verifies what it signed: 1EdTech's "
                          "Open Badges validator accepts ES256 and RS256 signatures. Put a new key there "
                          "(`flask --app training certificates new-key` prints one); the old key stays published "
                          "once it has signed, so its credentials keep verifying")
    if kind is None:
        raise ConfigError("The signing key must be an unencrypted P-256 (ES256) or RSA (RS256, 2,048 bits or more) "
                          "private key in PEM (`flask --app training certificates new-key` prints one)")
    return text


def _time_zone(env) -> str:
    """ORGANIZATION_TIME_ZONE: an IANA zone name; times are shown in it unless a person picks their own."""
    name = _text(env, "ORGANIZATION_TIME_ZONE", "America/New_York")
    if name not in available_timezones():
        raise ConfigError(f"ORGANIZATION_TIME_ZONE must be an IANA time zone such as America/Chicago, not {name!r}")
    return name


def load_config(env=None) -> dict:
    """Build the Flask config from environment variables (os.environ by default)."""
    env = os.environ if env is None else env
    environment = _text(env, "TRAINING_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"TRAINING_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    instance_path = Path(_text(env, "INSTANCE_PATH", str(PROJECT_ROOT / "instance")))
    production = environment == "production"
    courses_dir = Path(_text(env, "COURSES_DIR", str(PROJECT_ROOT / "courses")))
    mail_port = _integer(env, "MAIL_PORT", 587, minimum=1, maximum=65535)
    secret_key, base_url = _secret_key(env, environment, instance_path), _base_url(env, environment)
    organization = _organization(env, environment)
    return {
        **organization,
        "ORGANIZATION_TIME_ZONE": _time_zone(env),
        "BABEL_DEFAULT_LOCALE": "en_US",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "ENVIRONMENT": environment,
        "TESTING": environment == "testing",
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance_path),
        "PORT": _integer(env, "PORT", 5000, minimum=1, maximum=65535),
        "COURSES_DIR": str(courses_dir),
        "BASE_URL": base_url,
        "MAIL_SERVER": _text(env, "MAIL_SERVER"),
        "MAIL_PORT": mail_port,
        "MAIL_USERNAME": _text(env, "MAIL_USERNAME"),
        "MAIL_PASSWORD": _text(env, "MAIL_PASSWORD"),
        "MAIL_USE_TLS": _boolean(env, "MAIL_USE_TLS", True),
        "MAIL_FROM": _text(env, "MAIL_FROM", f"{organization['ORGANIZATION_NAME']} <no-reply@localhost>"),
        "RATELIMIT_STORAGE_URI": _ratelimit_storage(env),
        "SIGNING_KEY_PEM": _signing_key(env),
        # A learning record store for xAPI statements (training/xapi); unset, none are sent.
        "XAPI_ENDPOINT": _text(env, "XAPI_ENDPOINT"),
        "XAPI_USERNAME": _text(env, "XAPI_USERNAME"),
        "XAPI_PASSWORD": _text(env, "XAPI_PASSWORD"),
        # The job queue (training/jobs): a SQLite file by default, Redis in production.
        "JOBS_URL": _jobs_url(env, instance_path),
        "JOBS_IMMEDIATE": _boolean(env, "JOBS_IMMEDIATE", environment == "testing"),
        "RATELIMIT_ENABLED": _boolean(env, "RATELIMIT_ENABLED", True),
        # If Redis stops answering, each process counts in memory until it answers again (the
        # log says so when it switches), so signing in and verification keep working.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "LOGIN_LIMIT_PER_IP": _text(env, "LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": _text(env, "LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE": _text(env, "LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE", "50 per hour"),
        "VERIFY_LIMIT_PER_IP": _text(env, "VERIFY_LIMIT_PER_IP", "60 per minute"),
        "ALLOW_SELF_REGISTRATION": _boolean(env, "ALLOW_SELF_REGISTRATION", False),
        "TRUSTED_PROXIES": _integer(env, "TRUSTED_PROXIES", 0, minimum=0, maximum=5),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        # A signed-in session ends after this long without a request (the cookie says so, and
        # a copied cookie older than this is refused even if its holder kept it).
        "PERMANENT_SESSION_LIFETIME": _integer(env, "SESSION_IDLE_MINUTES", 12 * 60, minimum=5, maximum=7 * 24 * 60) * 60,
        # The cookie is renewed (its idle clock restarted) at most this often, not on every page.
        "SESSION_REFRESH_SECONDS": 60,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session does
        "MAX_CONTENT_LENGTH": 3 * 1024 * 1024,  # a 2 MB proof file and the form around it
        # Argon2id parameters (training/auth/passwords.py): OWASP's; tests use the cheapest.
        "PASSWORD_HASH_PROFILE": "CHEAPEST" if environment == "testing" else "OWASP",
    }
