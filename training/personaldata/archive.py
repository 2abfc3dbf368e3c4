"""The download of a person's own data: one ZIP of JSON files, one per kind of record,
with the original files (certificates, proofs, evidence) beside them."""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import select

from training.extensions import db
from training.models import User
from training.personaldata.holdings import HOLDINGS, Holding, rows_about

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def archive(person: User, now: datetime) -> bytes:
    """Everything the platform holds about the person, as the bytes of a ZIP file."""
    files: dict[str, bytes] = {}
    named: set[int] = set()
    counts = {}
    for holding in HOLDINGS:
        rows = db.session.execute(rows_about(holding, person)).mappings().all()
        records = [_record(holding, dict(row), files) for row in rows]
        files[f"{holding.name}.json"] = _json(records)
        named |= _people_named(holding, rows)
        counts[holding.name] = len(records)
    files["people.json"] = _json(_names(named - {person.id}))
    files["README.txt"] = _readme(person, now, counts).encode("utf-8")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(files, key=lambda path: (path != "README.txt", path)):
            bundle.writestr(zipfile.ZipInfo(path, date_time=now.timetuple()[:6]), files[path],
                            compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _record(holding: Holding, row: dict, files: dict[str, bytes]) -> dict:
    """One row as JSON: secrets left out, each file written beside it and named by its path."""
    record = {}
    for column, value in row.items():
        if column in holding.secret:
            continue
        if column in holding.files:
            value = _file(holding, column, row, files) if value else None
        record[column] = _plain(value)
    return record


def _file(holding: Holding, column: str, row: dict, files: dict[str, bytes]) -> str:
    name = SAFE_NAME.sub("_", holding.files[column](row).rsplit("/", 1)[-1])[-100:] or column
    path = f"files/{holding.name}/{row['id']}-{name}"
    files[path] = bytes(row[column])
    return path


def _plain(value):
    """A value JSON can hold: dates as ISO 8601, enumerations by their value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        raise TypeError("a binary column must be declared in the holding's files or secret")
    return value


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _people_named(holding: Holding, rows) -> set[int]:
    """The ids of people a row names (its supervisor, the staff member who recorded it...)."""
    columns = [column.name for column in holding.model.__table__.columns
               if any(key.column.table.name == "users" for key in column.foreign_keys)]
    return {row[column] for row in rows for column in columns if row[column] is not None}


def _names(ids: set[int]) -> list[dict]:
    """Who the ids in the other files are: only their display names."""
    if not ids:
        return []
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)).order_by(User.id))
    return [{"id": row.id, "display_name": row.display_name} for row in rows]


def _readme(person: User, now: datetime, counts: dict[str, int]) -> str:
    lines = [
        f"Your data, as the platform held it on {now:%Y-%m-%d at %H:%M} UTC.",
        f"Prepared for {person.display_name} <{person.email}>.",
        "",
        "Each .json file below holds one kind of record, one object per record, with the database's own",
        "column names. Dates and times are ISO 8601, times in UTC. Ids of other people (your supervisors,",
        "the staff who recorded something) are listed with their names in people.json. Uploaded files and",
        "certificates are in the files/ folder; a record names its file by its path.",
        "Left out: your password (only a hash was kept), and the secrets of sign-in links.",
        "",
    ]
    lines += [f"{holding.name}.json ({counts[holding.name]}): {holding.description}" for holding in HOLDINGS]
    lines += ["people.json: the names of the other people your records mention.", ""]
    return "\n".join(lines)
