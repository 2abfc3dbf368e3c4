"""People and their roles."""
from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow
from training.models.notifications import EmailPreference


class Role(str, enum.Enum):
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def new_session_key() -> str:
    return secrets.token_urlsafe(16)


def new_holder_uuid() -> str:
    return str(uuid.uuid4())


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased; a unique index on it makes addresses unique regardless of case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # The name certificates are issued in; an issued certificate keeps its own copy.
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Changing it signs the person out everywhere (password change or reset).
    session_key: Mapped[str] = mapped_column(String(32), default=new_session_key)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An IANA zone name for the times this person is shown; None means the organization's.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Email for notifications: each one as it happens, a daily digest, or none (the app lists them all).
    notification_email: Mapped[EmailPreference] = mapped_column(
        db.Enum(EmailPreference, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=EmailPreference.EACH, server_default=EmailPreference.EACH.value)
    # Raised whenever a fact behind this person's certification standing changes (a verified
    # hour, a rating, a quiz graded...): a stored TrackStanding computed at an older number
    # is out of date (training/certification/stored.py).
    standing_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The person's stable identifier in the credentials they hold (credentialSubject.id and the
    # JWT's sub, as urn:uuid:...): never their email, and unchanged when their email changes.
    holder_uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_holder_uuid)
    # Staff erased this person's personal data at their request (training/personaldata/erasure.py):
    # the row stays, nameless, so that the records certificates rest on keep their holder.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Loaded on demand: the signed-in person's roles come with them (training/access.py
    # load_user), and a list that shows roles loads them with selectinload(User.role_rows).
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def grant(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot sign in
        return self.is_active_account and self.has_password

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


def normalise_email(email: str) -> str:
    return email.strip().lower()
