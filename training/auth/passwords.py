"""Password hashing with Argon2id.

The production parameters are OWASP's first recommended Argon2id configuration (19 MiB,
two passes, one lane): about 40 ms of CPU per check on the 2-core test machine, where RFC
9106's low-memory profile (64 MiB, three passes, four lanes) took about 230 ms and let 50
people signing in at once time out. A stored hash made with other parameters is replaced
with a new one the next time its owner signs in (check_password).
"""
from functools import cache

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from training.models import User

MIN_PASSWORD_LENGTH = 10
PERSONAL_PART = 4  # a run of this many letters from someone's email or name is too easy to guess


@cache
def _common() -> frozenset[str]:
    """The 30,000 most used passwords (zxcvbn's list, from leaked password sets)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


def guessable(password: str, personal: list[str]) -> str | None:
    """Why `password` is easy to guess, or None: one of the most used passwords (also with
    digits or symbols around it), or it holds the person's email name or a name of theirs."""
    lowered = password.lower()
    symbols = "!@#$%^&*()-_=+.,?~ "
    around = {lowered, lowered.strip(symbols), lowered.strip(symbols + "0123456789")}
    if any(len(core) >= PERSONAL_PART and core in _common() for core in around):
        return "common"
    for text in personal:
        for part in (text or "").lower().replace("@", " ").replace(".", " ").replace("_", " ").split():
            if len(part) >= PERSONAL_PART and part in lowered:
                return "personal"
    return None


OWASP = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19 * 1024,
                   parallelism=1)


@cache
def _hasher(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher for a parameter profile (OWASP, or one of argon2-cffi's by name), and a hash
    to verify against when no account matches, so the response time does not reveal who has
    an account."""
    hasher = PasswordHasher.from_parameters(OWASP if profile == "OWASP" else getattr(profiles, profile))
    return hasher, hasher.hash("no account has this password")


def _current():
    return _hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def set_password(user: User, password: str) -> None:
    user.password_hash = _current()[0].hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True when `password` matches; rehashes transparently when parameters change."""
    hasher, dummy = _current()
    has_hash = user is not None and user.password_hash is not None
    try:
        hasher.verify(user.password_hash if has_hash else dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    if not has_hash:
        return False
    if hasher.check_needs_rehash(user.password_hash):
        set_password(user, password)
    return True
