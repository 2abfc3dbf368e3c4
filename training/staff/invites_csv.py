"""Inviting many people from a CSV file: read it, check every row, and only then invite.

The file has a header row with the columns email, name and role, and optionally cohort
(a cohort's name, trainees only) and supervisor (a supervisor's email, trainees only).
`check_invites` says what will happen to each row and what is wrong with each bad one;
`send_invites` invites the rows of a clean file. Plain functions; the caller commits.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select

from training.auth import accounts
from training.extensions import db
from training.models import Cohort, Role, User, UserRole
from training.models.users import normalise_email
from training.staff.cohorts import assign_supervisor

LARGEST_FILE = 1024 * 1024  # bytes
MOST_ROWS = 2000
SIGNED_FOR_SECONDS = 24 * 60 * 60
REQUIRED_COLUMNS = ("email", "name", "role")
OPTIONAL_COLUMNS = ("cohort", "supervisor")


@dataclass
class InviteRow:
    line: int  # the line in the file, counting the header as line 1
    email: str
    name: str
    role: str
    cohort: str
    supervisor: str
    problems: list[str] = field(default_factory=list)

    def as_list(self) -> list[str]:
        return [self.email, self.name, self.role, self.cohort, self.supervisor]


@dataclass
class InviteCheck:
    rows: list[InviteRow]
    problems: list[str]  # about the whole file (too big, a missing column, ...)

    @property
    def bad_rows(self) -> list[InviteRow]:
        return [row for row in self.rows if row.problems]

    @property
    def clean(self) -> bool:
        return bool(self.rows) and not self.problems and not self.bad_rows


def read_file(content: bytes) -> tuple[list[list[str]], list[str]]:
    """The rows of a CSV file as [email, name, role, cohort, supervisor] lists (the header
    gone), and the problems that stop it being read at all."""
    if len(content) > LARGEST_FILE:
        return [], [_("The file is larger than 1 MB. Please split it into smaller files.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file could not be read as text. Please save it as “CSV UTF-8” and upload it again.")]
    if "\x00" in text:  # PostgreSQL can neither store nor compare it
        return [], [_("The file holds a hidden control character (a NUL byte). Please save it again as CSV from "
                      "your spreadsheet and upload it again.")]
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return [], [_("The file could not be read as CSV. Please save it as CSV and upload it again.")]
    records = [record for record in records if any(cell.strip() for cell in record)]
    if not records:
        return [], [_("The file is empty. The first row names the columns: email, name, role, cohort, supervisor.")]
    header = [cell.strip().lower() for cell in records[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [_("The file has no %(columns)s column. The first row names the columns: email, name, role, "
                      "and if you like cohort and supervisor.", columns=", ".join(missing))]
    if len(records) - 1 > MOST_ROWS:
        return [], [_("The file has %(count)d rows; at most %(most)d can be invited at once. Please split it.",
                      count=len(records) - 1, most=MOST_ROWS)]
    where = {column: header.index(column) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if column in header}

    def cell(record, column):
        index = where.get(column)
        return record[index].strip() if index is not None and index < len(record) else ""
    return [[cell(record, column) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS] for record in records[1:]], []


def check_invites(values: list[list[str]], by: User | None = None) -> InviteCheck:
    """What will happen to each row, and every reason a row cannot be invited, in four queries
    however long the file. `by`, who imports it, cannot be a row's supervisor."""
    rows = [InviteRow(line, *value) for line, value in enumerate(values, start=2)]
    emails = {normalise_email(row.email) for row in rows if row.email}
    cohort_names = {row.cohort.lower() for row in rows if row.cohort}
    supervisor_emails = {normalise_email(row.supervisor) for row in rows if row.supervisor}
    taken = set(db.session.scalars(select(User.email).where(User.email.in_(emails)))) if emails else set()
    cohorts = {name.lower(): cohort_id for cohort_id, name in db.session.execute(
        select(Cohort.id, Cohort.name).where(func.lower(Cohort.name).in_(cohort_names)))} if cohort_names else {}
    supervisors = set(db.session.scalars(
        select(User.email).join(UserRole).where(User.email.in_(supervisor_emails), UserRole.role == Role.SUPERVISOR,
                                                User.is_active_account.is_(True)))) if supervisor_emails else set()
    seen: dict[str, int] = {}
    for row in rows:
        _check_row(row, taken, cohorts, supervisors, seen)
        if by is not None and row.supervisor and normalise_email(row.supervisor) == by.email:
            row.problems.append(_("You cannot make yourself a trainee's supervisor; please ask another staff "
                                  "member to assign you."))
    return InviteCheck(rows, [] if rows else [_("The file has no rows to invite, only the column names.")])


def _check_row(row: InviteRow, taken, cohorts, supervisors, seen) -> None:
    say = row.problems.append
    email = normalise_email(row.email)
    if not row.email:
        say(_("The email is missing."))
    else:
        try:
            validate_email(row.email, check_deliverability=False)
        except EmailNotValidError:
            say(_("“%(email)s” is not an email address like name@example.org.", email=row.email))
        if len(email) > 254:
            say(_("An email address can be at most 254 characters."))
        if email in taken:
            say(_("%(email)s already has an account.", email=email))
        if email in seen:
            say(_("This email is also on line %(line)d of the file.", line=seen[email]))
        else:
            seen[email] = row.line
    if not row.name:
        say(_("The name is missing."))
    elif len(row.name) > 120:
        say(_("The name is longer than 120 characters."))
    role = row.role.lower()
    if not role:
        say(_("The role is missing: trainee, supervisor or staff."))
    elif role not in {r.value for r in Role}:
        say(_("“%(role)s” is not a role; use trainee, supervisor or staff.", role=row.role))
    row.role = role
    if row.cohort and row.cohort.lower() not in cohorts:
        say(_("There is no cohort called “%(cohort)s”.", cohort=row.cohort))
    if row.supervisor and normalise_email(row.supervisor) not in supervisors:
        say(_("%(email)s is not the email of a supervisor here.", email=row.supervisor))
    if (row.cohort or row.supervisor) and role in {r.value for r in Role} and role != Role.TRAINEE.value:
        say(_("Only trainees have a cohort and a supervisor; leave those empty for this role."))


def send_invites(check: InviteCheck, invited_by: User, link_for) -> list[User]:
    """Invite every row of a clean check, enrolling trainees and assigning their supervisor."""
    assert check.clean, "only a clean file is sent"
    cohorts = {cohort.name.lower(): cohort for cohort in db.session.scalars(
        select(Cohort).where(func.lower(Cohort.name).in_({row.cohort.lower() for row in check.rows if row.cohort})))}
    supervisors = {user.email: user for user in db.session.scalars(select(User).where(
        User.email.in_({normalise_email(row.supervisor) for row in check.rows if row.supervisor})))}
    invited = []
    for row in check.rows:
        user = accounts.invite_person(row.email, row.name, Role(row.role), invited_by, link_for,
                                      cohort=cohorts.get(row.cohort.lower()) if row.cohort else None)
        if row.supervisor:
            assign_supervisor(user, supervisors[normalise_email(row.supervisor)], primary=True, by=invited_by)
        invited.append(user)
    return invited


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="staff-invite-csv")


def sign_rows(values: list[list[str]]) -> str:
    """The checked rows, signed, for the preview page to carry to the send button (nothing is
    stored on the server between the two requests)."""
    return _serializer().dumps(values)


def unsign_rows(payload: str) -> list[list[str]] | None:
    """The rows signed by `sign_rows` within the last day; None if tampered with, stale or malformed."""
    try:
        values = _serializer().loads(payload, max_age=SIGNED_FOR_SECONDS)
    except BadData:
        return None
    shape_ok = (isinstance(values, list) and len(values) <= MOST_ROWS
                and all(isinstance(v, list) and len(v) == 5 and all(isinstance(c, str) for c in v) for v in values))
    return values if shape_ok else None
