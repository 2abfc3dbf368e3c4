"""Checking a signed credential file the way an outside verifier would, plus the live
revocation list: well-formed, signed by one of our keys, unchanged, valid against the
official schema, not revoked, within its dates (`flask certificates verify`)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from training.certification import statuslist
from training.certification.credentials import UNSIGNED_JSON, registered_claims
from training.certification.keys import Untrusted, open_signed
from training.certification.schema import parse_timestamp, schema_problems
from training.models.base import utcnow

@dataclass
class Check:
    name: str  # format, signature, schema, status or dates
    passed: bool | None  # None: not checked, because an earlier check failed
    message: str
    on_failure: str = "invalid"  # the certificate's status when this check fails


@dataclass
class Verification:
    ok: bool
    problems: list[str]
    credential: dict | None  # only when the signature holds: nothing else in a file is trusted
    status: str  # valid, revoked, expired, upcoming, or invalid (the file cannot be trusted)
    checks: list[Check] = field(default_factory=list)


CHECK_NAMES = ("format", "signature", "schema", "status", "dates")
STATUS_PRECEDENCE = ("invalid", "revoked", "expired", "upcoming")


def verify_credential(token: str | bytes, *, today: date | None = None) -> Verification:
    """Check a signed credential file the way an outside verifier would, plus the live
    revocation list: well-formed, signed by one of our keys, unchanged, valid against the
    official schema, not revoked, within its dates. Never raises on bad input; every
    failure is a plain sentence in `problems`."""
    today = today or utcnow().date()
    try:
        signed = open_signed(_token_text(token))
        credential = _credential(signed.payload)
    except Untrusted as failure:
        return _verdict(_untrusted_checks(failure), None)
    checks = [Check("format", True, "It is a signed credential (a JWT)."),
              Check("signature", True, "The signature matches one of the issuer's published keys: the file "
                                       "is exactly as it was issued."),
              _schema_check(credential), _status_check(credential), _dates_check(credential, today)]
    return _verdict(checks, credential)


def _verdict(checks: list[Check], credential: dict | None) -> Verification:
    failed = [check for check in checks if check.passed is False]
    status = next((status for status in STATUS_PRECEDENCE if any(c.on_failure == status for c in failed)), "valid")
    return Verification(ok=not failed, problems=[check.message for check in failed], credential=credential,
                        status=status, checks=checks)


def _untrusted_checks(failure: Untrusted) -> list[Check]:
    """The format and signature checks as far as they got; the rest are not checked."""
    readable = failure.check != "format"
    checks = [Check("format", readable, "It is a signed credential (a JWT)." if readable else failure.message)]
    if readable:
        checks.append(Check("signature", False, failure.message))
    skipped = "Not checked: nothing in a file that fails the checks above can be trusted."
    return checks + [Check(name, None, skipped) for name in CHECK_NAMES[len(checks):]]


def _token_text(token) -> str:
    """The token as text, or Untrusted saying what the file is instead."""
    if isinstance(token, (bytes, bytearray)):
        if token.startswith(b"%PDF"):
            raise Untrusted("format", "This is the PDF certificate, which carries no signature. Verify the "
                                      ".jwt download, or enter the certificate's code on the verification page.")
        try:
            token = bytes(token).decode("utf-8")
        except UnicodeDecodeError:
            raise Untrusted("format", "This file is not a signed credential (it is not text). Verify the "
                                      ".jwt download.") from None
    text = token.strip().lstrip("\ufeff") if isinstance(token, str) else ""
    if not text:
        raise Untrusted("format", "The file is empty: there is nothing to verify.")
    if text[0] in "{[":
        raise Untrusted("format", UNSIGNED_JSON if _is_json(text) else
                        "This file is neither a signed credential nor complete JSON: it may be damaged.")
    if text.count(".") != 2:
        raise Untrusted("format", "This is not a signed credential: a signed credential (JWT) is three parts "
                                  "separated by dots. The file may be incomplete or damaged.")
    return text


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _credential(payload: bytes) -> dict:
    try:
        credential = json.loads(payload)
    except ValueError:
        credential = None
    if not isinstance(credential, dict):
        raise Untrusted("format", "The signed content is not a credential.")
    return credential


def _schema_check(credential: dict) -> Check:
    problems = schema_problems(credential) + _claim_problems(credential)
    if problems:
        return Check("schema", False, "The credential does not follow the Open Badges 3.0 format: "
                                      + "; ".join(problems) + ".")
    return Check("schema", True, "It follows the official Open Badges 3.0 schema.")


def _claim_problems(credential: dict) -> list[str]:
    """The registered JWT claims must say what the credential says (a token whose `exp`
    differs from `validUntil` would mean different things to different verifiers)."""
    try:
        expected = registered_claims(credential)
    except (KeyError, ValueError, OverflowError, TypeError, AttributeError):
        return []  # the schema problems already say what is missing
    return [f"the JWT claim {name} does not match the credential" for name, value in expected.items()
            if credential.get(name) != value]


def _status_check(credential: dict) -> Check:
    index = _status_index(credential.get("credentialStatus"))
    if index is None:
        return Check("status", False, "The credential has no revocation entry this issuer can check.")
    try:
        revoked = statuslist.is_set(statuslist.revocation_bits(), index)
    except IndexError:
        return Check("status", False, "The issuer's revocation list has no entry for this credential.")
    if revoked:
        return Check("status", False, "The issuer has revoked this certificate.", on_failure="revoked")
    return Check("status", True, "Not revoked: the issuer's revocation list does not include it.")


def _status_index(entry) -> int | None:
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry" \
            or entry.get("statusPurpose") != "revocation":
        return None
    index = entry.get("statusListIndex")
    usable = isinstance(index, str) and index.isascii() and index.isdigit() and len(index) <= 12
    return int(index) if usable else None


def _dates_check(credential: dict, today: date) -> Check:
    try:
        starts = parse_timestamp(credential.get("validFrom")).date()
        ends = parse_timestamp(credential["validUntil"]).date() if credential.get("validUntil") else None
    except (ValueError, OverflowError):
        return Check("dates", False, "The credential's validity dates cannot be read.")
    if today < starts:
        return Check("dates", False, f"This certificate is not valid yet: it becomes valid on {_day(starts)}.",
                     on_failure="upcoming")
    if ends is not None and today >= ends:
        return Check("dates", False, f"This certificate expired on {_day(ends)}.", on_failure="expired")
    until = f", and expires on {_day(ends)}" if ends else ""
    return Check("dates", True, f"Within its dates: valid from {_day(starts)}{until}.")


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
