"""Staff search: people, certificates and the outbox, by name, email, number or subject.

Each group is capped so one page stays small however large the program grows; matching is
case-insensitive and treats `%` and `_` as the characters typed, not as wildcards.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from training.extensions import db
from training.models import Certificate, OutboxMessage, User

GROUP_LIMIT = 20
LONGEST_QUERY = 200


@dataclass(frozen=True)
class Found:
    items: list
    more: bool  # more matched than the group shows


@dataclass(frozen=True)
class SearchResults:
    people: Found
    certificates: Found
    messages: Found

    @property
    def empty(self) -> bool:
        return not (self.people.items or self.certificates.items or self.messages.items)


def matches(column, text: str):
    """A case-insensitive "contains" on `column` (LIKE lower on SQLite, the same on PostgreSQL),
    with LIKE's wildcards escaped."""
    return func.lower(column).contains(text.lower(), autoescape=True)


def people_matching(text: str):
    """The condition for people whose name or email contains `text`."""
    return or_(matches(User.display_name, text), matches(User.email, text))


def _capped(statement: Select, limit: int) -> Found:
    rows = list(db.session.scalars(statement.limit(limit + 1)))
    return Found(rows[:limit], len(rows) > limit)


def search(text: str, limit: int = GROUP_LIMIT) -> SearchResults:
    """Everything staff can find for `text` (already stripped, not empty), in three queries."""
    people = select(User).where(people_matching(text)).order_by(User.display_name, User.id)
    certificates = (select(Certificate).join(User, User.id == Certificate.holder_id)
                    .where(or_(matches(Certificate.number, text), matches(Certificate.short_code, text),
                               matches(User.display_name, text), matches(User.legal_name, text)))
                    .options(contains_eager(Certificate.holder)).order_by(Certificate.id.desc()))
    messages = (select(OutboxMessage)
                .where(or_(matches(OutboxMessage.recipient, text), matches(OutboxMessage.subject, text)))
                .order_by(OutboxMessage.id.desc()))
    return SearchResults(_capped(people, limit), _capped(certificates, limit), _capped(messages, limit))
