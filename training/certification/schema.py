"""The official Open Badges 3.0 JSON schemas, loaded once from the copies in `schemas/`,
and their verdicts as sentences a person can act on."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path

from jsonschema import FormatChecker
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

SCHEMA_FOLDER = Path(__file__).parent / "schemas"
CREDENTIAL_SCHEMA = "achievementcredential.schema.json"
PROFILE_SCHEMA = "profile.schema.json"


def schema_problems(document: dict, schema: str = CREDENTIAL_SCHEMA) -> list[str]:
    """Where `document` breaks the official Open Badges 3.0 JSON schema, one sentence each."""
    errors = sorted(_validator(schema).iter_errors(document), key=lambda error: error.json_path)
    return [_describe(error) for error in errors]


@cache
def _validator(schema: str):
    """The schema's own validator class (Draft 2019-09 for these files), loaded once."""
    document = json.loads((SCHEMA_FOLDER / schema).read_text(encoding="utf-8"))
    validator_class = validator_for(document)
    validator_class.check_schema(document)
    return validator_class(document, format_checker=_format_checker())


def _format_checker() -> FormatChecker:
    # jsonschema checks "date-time" only with an optional package; the schema's DateTimeZ
    # (a date and time with its zone) is easy to check with the standard library.
    checker = FormatChecker(formats=())
    checker.checks("date-time", raises=ValueError)(
        lambda value: not isinstance(value, str) or bool(parse_timestamp(value)))
    checker.checks("date", raises=ValueError)(
        lambda value: not isinstance(value, str) or bool(date.fromisoformat(value)))
    return checker


def _describe(error) -> str:
    # For a oneOf (the issuer is a URL or a Profile), the branch of the right type says more.
    branches = [branch for branch in error.context if branch.validator != "type"] or error.context
    detail = best_match(branches) if branches else error
    where = detail.json_path.removeprefix("$").removeprefix(".") or "the credential"
    message = detail.message if len(detail.message) <= 160 else detail.message[:157] + "..."
    return f"{where}: {message}"


def parse_timestamp(value) -> datetime:
    """A timestamp with its time zone (ValueError otherwise), in UTC."""
    if not isinstance(value, str) or len(value) < 11 or value[10] not in "Tt":
        raise ValueError(f"{value!r} is not a date and time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return moment.astimezone(timezone.utc)
