"""Password hashing with Argon2id."""
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from training.models import User

MIN_PASSWORD_LENGTH = 10


@cache
def _hasher(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher for an argon2-cffi parameter profile, and a hash to verify against
    when no account matches, so the response time does not reveal who has an account."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
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
