"""The revocation list, as a W3C Bitstring Status List v1.0.

Bit N says whether the certificate or issued learner record with status entry N is revoked
(models/statuslist.py hands the entries out). The list is built live from the database on
each request, so a revocation shows at once; it is never stored. It is valid from the last
issuance or revocation, and signed again only when it changes (each process keeps the token
it signed for the list as it is). Bit 0 is the
left-most bit of the first byte. The list is at least 131,072 bits (16 KB), the spec's
minimum, so that fetching it reveals nothing about which certificate is being checked.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, union_all, update

from training.certification.credentials import utc_timestamp
from training.certification.keys import current_key, sign_jwt
from training.extensions import db
from training.models import Certificate, IssuedLearnerRecord, SigningKey, StatusListEntry
from training.models.base import utcnow

MIN_SIZE = 131072  # bits
MAX_AGE_SECONDS = 60  # how long a fetched list may be reused (HTTP max-age and the list's ttl)
MULTIBASE_BASE64URL = "u"
CREDENTIAL_TYP = "JWT"  # the same typ as the certificates (Open Badges 3.0, section 8.2)


def list_size(highest_index: int, size: int = MIN_SIZE) -> int:
    """Bits needed to hold `highest_index`: at least `size` and the minimum, grown in whole
    steps of the minimum so the list's length says little about how many were issued."""
    size = max(size, MIN_SIZE)
    if highest_index >= size:
        size = (highest_index // MIN_SIZE + 1) * MIN_SIZE
    return size + (-size % 8)


def bitstring(indexes: Iterable[int], size: int = MIN_SIZE) -> bytes:
    """The uncompressed list with the bits for `indexes` set."""
    indexes = set(indexes)
    if any(index < 0 for index in indexes):
        raise ValueError("status list indexes cannot be negative")
    bits = bytearray(list_size(max(indexes, default=0), size) // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(indexes: set[int], size: int = MIN_SIZE) -> str:
    """The `encodedList` value: GZIP, then base64url without padding, with the multibase
    prefix "u". mtime=0 makes the same list always encode to the same text."""
    return _compress(bitstring(indexes, size))


def _compress(bits: bytes) -> str:
    compressed = gzip.compress(bits, mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The uncompressed bits of an `encodedList`; ValueError when it is not one."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError("an encodedList starts with the multibase prefix 'u' (base64url)")
    text = encoded[len(MULTIBASE_BASE64URL):]
    compressed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    try:
        bits = gzip.decompress(compressed)
    except (OSError, EOFError, zlib.error) as error:  # BadGzipFile is an OSError
        raise ValueError(f"the encodedList is not GZIP data: {error}") from None
    if not bits:
        raise ValueError("the encodedList is empty")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    """Whether bit `index` is set; IndexError when the list is shorter than that."""
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status list index {index} is outside a list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def mark_revoked(row, *, by, reason: str, now: datetime) -> bool:
    """Revoke a certificate or an issued learner record, once: an UPDATE that only a row not
    revoked yet matches, so two people revoking at the same moment revoke it once. Whether this
    call did it."""
    model = type(row)
    claimed = db.session.execute(update(model).where(model.id == row.id, model.revoked_at.is_(None))
                                 .values(revoked_at=now, revoked_reason=reason.strip(), revoked_by_id=by.id)).rowcount
    db.session.expire(row)
    return bool(claimed)


def revoked_indexes() -> set[int]:
    """The status entries of every revoked certificate and learner record (one query)."""
    return set(db.session.scalars(union_all(
        select(Certificate.status_index).where(Certificate.revoked_at.is_not(None)),
        select(IssuedLearnerRecord.status_index).where(IssuedLearnerRecord.revoked_at.is_not(None)))))


def _extent() -> tuple[int, datetime | None]:
    """The highest status entry handed out, and when the list last changed: the latest
    issuance or revocation of a certificate or learner record (None before any). One query."""
    moments = [func.max(column) for column in (Certificate.issued_at, Certificate.revoked_at,
                                               IssuedLearnerRecord.issued_at, IssuedLearnerRecord.revoked_at)]
    highest, *changed = db.session.execute(select(
        select(func.max(StatusListEntry.id)).scalar_subquery(),
        *(select(moment).scalar_subquery() for moment in moments))).one()
    changed = [moment for moment in changed if moment is not None]
    return highest or 0, max(changed) if changed else None


def revocation_bits(highest: int | None = None) -> bytes:
    """The live revocation list, uncompressed, long enough for every entry handed out
    (so a verifier never meets an index past its end). Two queries (one with `highest`)."""
    highest = _extent()[0] if highest is None else highest
    return bitstring(revoked_indexes(), list_size(highest))


def status_list_credential(url: str, *, issuer_id: str, now: datetime | None = None) -> dict:
    """The unsigned BitstringStatusListCredential published at `url`, issued by `issuer_id`,
    valid from `now`: by default the list's last change (before any certificate, the day the
    issuer's first key was made), so the same list is the same document. Two queries."""
    highest, changed = _extent()
    now = now or changed or db.session.scalar(select(func.min(SigningKey.created_at))) or utcnow()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": utc_timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": _compress(revocation_bits(highest)),
            "ttl": MAX_AGE_SECONDS * 1000,  # milliseconds
        },
    }


@dataclass(frozen=True)
class SignedList:
    token: str
    tag: str  # the same for the same list and key, whichever process signed it (signatures differ)
    changed_at: datetime


_signed: dict[str, SignedList] = {}


def signed_status_list(url: str, *, issuer_id: str) -> SignedList:
    """The status list credential signed as a JWT (typ "JWT", like the certificates, served as
    application/vc+jwt) with the current key; signed again only when the list or the key changed."""
    credential = status_list_credential(url, issuer_id=issuer_id)
    key = current_key()
    kid = key.kid
    text = json.dumps(credential, sort_keys=True, separators=(",", ":"))
    tag = hashlib.sha256(f"{kid}\n{text}".encode()).hexdigest()[:32]
    cached = _signed.get(url)
    if cached is None or cached.tag != tag:
        changed_at = datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        cached = _signed[url] = SignedList(sign_jwt(credential, typ=CREDENTIAL_TYP, key=key), tag, changed_at)
    return cached
