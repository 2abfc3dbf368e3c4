"""Single-use links for invitations and password resets."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from training.extensions import db
from training.models import AccountToken, TokenPurpose, User, utcnow

LIFETIMES = {
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    TokenPurpose.INVITE: timedelta(days=14),
}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, created_by: User | None = None) -> str:
    """Create a link secret for `user` and return it (only its hash is stored).

    Any earlier unused link of the same purpose stops working, so only the newest works.
    """
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=now))
    secret = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=_digest(secret), created_at=now,
                                expires_at=now + LIFETIMES[purpose],
                                created_by_id=created_by.id if created_by else None))
    db.session.flush()
    return secret


def find_usable_token(secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unexpired, unused token for `secret`, or None."""
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == _digest(secret), AccountToken.purpose == purpose))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def consume_token(token: AccountToken) -> bool:
    """Mark the token used. Returns False if another request used it first.

    The conditional UPDATE makes two simultaneous uses of one link safe: only one wins.
    """
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow()))
    return result.rowcount == 1
