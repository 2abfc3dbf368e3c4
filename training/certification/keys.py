"""The issuer's signing keys, and the one place that signs with them.

Credentials are signed with ES256 (ECDSA on P-256; RS256 with a configured RSA key): the
algorithms 1EdTech's Open Badges validator accepts. Keys made before (Ed25519, EdDSA) never
sign again, and stay published so that what they signed keeps verifying: the first signature
after an upgrade retires such a key and makes an ES256 one.

Production loads the private key from SIGNING_KEY_FILE or SIGNING_KEY (configuration, so it
can live in a secret store and never in the database): its public half is recorded in the
`signing_keys` table and published, and when a new key is configured the earlier ones are
retired there (still published, so what they signed keeps verifying). Without it, the
development default, keys are made and kept in the table, so every worker on every host
signs with the same key. The private half never leaves this module: callers hand over a
payload and get a signed token back. Retiring a key drops its private half and keeps the
public one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from joserfc import jws
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwk import ECKey, Key, import_key
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from training import audit
from training.extensions import db
from training.mailer import external_url
from training.models import SigningKey
from training.models.base import utcnow

# The one algorithm each kind of key signs or verifies with. A token is checked only with the
# algorithm its key's kind has, so it cannot choose another (the algorithm-confusion attacks:
# "none", HS256 with a public key as secret).
ALGORITHMS = {"EC": "ES256", "RSA": "RS256", "OKP": "EdDSA"}
SIGNS = ("EC", "RSA")  # kinds that sign; OKP (Ed25519) keys only verify what they signed before
PUBLIC_FIELDS = {"EC": ("kty", "crv", "x", "y"), "RSA": ("kty", "n", "e"), "OKP": ("kty", "crv", "x")}


class _OurAlgorithms(jws.JWSRegistry):
    """A JWS registry that accepts ES256, RS256 and (to verify older credentials) EdDSA, and
    nothing else. joserfc warns on each use of "EdDSA" because RFC 9864 prefers "Ed25519";
    Open Badges 3.0 verifiers expected "EdDSA", and it only ever meant Ed25519 here."""

    def get_alg(self, name):
        if name not in ALGORITHMS.values():
            raise UnsupportedAlgorithmError(f"Algorithm of '{name}' is not allowed")
        return self.algorithms[name]


REGISTRY = _OurAlgorithms()


class Untrusted(Exception):
    """A signed file that cannot be trusted. `check` names the step that failed
    ("format" or "signature"); the message says why, in words for the person checking."""

    def __init__(self, check: str, message: str):
        super().__init__(message)
        self.check = check
        self.message = message


@dataclass(frozen=True)
class SignedToken:
    header: dict
    payload: bytes


def kind_of_pem(pem: str) -> str | None:
    """"EC" (P-256), "RSA" (2,048 bits or more) or "OKP" (Ed25519) for an unencrypted private
    key in PEM; None for anything else."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    try:
        private = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        return None
    if isinstance(private, ec.EllipticCurvePrivateKey) and isinstance(private.curve, ec.SECP256R1):
        return "EC"
    if isinstance(private, rsa.RSAPrivateKey) and private.key_size >= 2048:
        return "RSA"
    return "OKP" if isinstance(private, ed25519.Ed25519PrivateKey) else None


@lru_cache(maxsize=4)
def _import(pem: str) -> Key:
    return import_key(pem, kind_of_pem(pem))


def configured_key() -> Key | None:
    """The private key from configuration (SIGNING_KEY_FILE or SIGNING_KEY), if one is set."""
    pem = current_app.config.get("SIGNING_KEY_PEM")
    return _import(pem) if pem else None


def _configured_row(private: Key) -> SigningKey:
    """The public record of the configured key; the first use of a new one retires the rest."""
    kid = private.thumbprint()
    row = db.session.get(SigningKey, kid)
    if row is not None:
        return row
    db.session.execute(update(SigningKey).where(SigningKey.retired_at.is_(None))
                       .values(retired_at=utcnow(), private_pem=None))
    try:
        with db.session.begin_nested():
            db.session.add(SigningKey(kid=kid, private_pem=None,
                                      public_jwk=_public_fields(private.as_dict(private=False))))
    except IntegrityError:  # another worker recorded it at the same moment
        pass
    return db.session.get(SigningKey, kid)


def current_key() -> SigningKey:
    """The key that signs now; the first call ever creates it (the caller commits).

    Two workers signing their very first credential at the same moment each create a key.
    Both are kept and published, so everything either signed verifies; once both have
    committed, every worker picks the same one (the oldest active key).
    """
    configured = configured_key()
    if configured is not None:
        return _configured_row(configured)
    key = db.session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))
                             .order_by(SigningKey.created_at, SigningKey.kid).limit(1)).first()
    if key is not None and key.public_jwk.get("kty") not in SIGNS:
        return rotate_key(reason="algorithm")  # an Ed25519 key from before ES256: retired, kept published
    return key if key is not None else _create_key()


class KeyIsConfigured(Exception):
    """The key comes from configuration: rotate it there."""


def rotate_key(reason: str = "asked") -> SigningKey:
    """Retire every active key (dropping its private half) and create the new current key.
    Credentials signed before keep verifying with the retired keys' public halves."""
    if configured_key() is not None:
        raise KeyIsConfigured("The signing key comes from SIGNING_KEY_FILE or SIGNING_KEY: put a new key there "
                              "(`flask --app training certificates new-key` prints one) and restart; the old key "
                              "is retired and stays published at its first use.")
    db.session.execute(update(SigningKey).where(SigningKey.retired_at.is_(None))
                       .values(retired_at=utcnow(), private_pem=None))
    audit.record("key.rotated", object_type="signing_key", details={"reason": reason})
    return _create_key()


def new_private_pem() -> str:
    """A fresh P-256 private key in PEM (ES256), for SIGNING_KEY_FILE."""
    return ECKey.generate_key("P-256").as_pem(private=True).decode("ascii")


def _create_key() -> SigningKey:
    private = ECKey.generate_key("P-256")
    key = SigningKey(kid=private.thumbprint(),  # RFC 7638: the kid is a hash of the public key
                     private_pem=private.as_pem(private=True).decode("ascii"),
                     public_jwk=_public_fields(private.as_dict(private=False)))
    db.session.add(key)
    db.session.flush()
    return key


def _public_fields(jwk: dict) -> dict:
    return {name: jwk[name] for name in PUBLIC_FIELDS[jwk["kty"]]}


def public_jwks() -> dict:
    """Every key ever used (retired ones too, so old credentials verify), public parts only,
    as a JSON Web Key Set. Reads only the public columns: one query."""
    rows = db.session.execute(select(SigningKey.kid, SigningKey.public_jwk)
                              .order_by(SigningKey.created_at, SigningKey.kid))
    return {"keys": [public_jwk(kid, jwk) for kid, jwk in rows]}


def public_jwk(kid: str, jwk: dict) -> dict:
    """One published key: the public fields, its id and what it is for."""
    return {**_public_fields(jwk), "kid": kid, "use": "sig", "alg": ALGORITHMS[jwk["kty"]]}


def published_key(kid: str) -> dict | None:
    """One key, public parts only, as a single JWK (what a `kid` header's address returns)."""
    jwk = db.session.scalar(select(SigningKey.public_jwk).where(SigningKey.kid == kid))
    return public_jwk(kid, jwk) if jwk else None


def key_url(kid: str) -> str:
    """The key's public address, used as the `kid` header: it returns that one key as a JWK
    (1EdTech's validator dereferences the kid and expects a single key, not a key set)."""
    return external_url("issuer.key", kid=kid)


def sign_jwt(payload: dict, *, typ: str, key: SigningKey | None = None) -> str:
    """A compact JWS of `payload` (as JSON) signed with the current key.

    The header is {"alg": "ES256", "typ": typ, "kid": "<issuer URL>/keys/<thumbprint>"}: the
    kid is a URL a verifier can fetch for the key (Open Badges 3.0, section 8.2), and its last
    part is the RFC 7638 thumbprint, which alone identifies the key. `key`, when the caller has
    it already, is current_key().
    """
    key = key or current_key()
    header = {"alg": ALGORITHMS[key.public_jwk["kty"]], "typ": typ, "kid": key_url(key.kid)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    private = configured_key() or _import(key.private_pem)
    return jws.serialize_compact(header, body, private, registry=REGISTRY)


def open_signed(token: str) -> SignedToken:
    """The header and payload of a compact JWS signed by one of our keys; raises Untrusted
    (never anything else) when the token is damaged, signed by a key we do not know, or
    changed after signing."""
    try:
        signed = jws.extract_compact(token.encode("ascii"), registry=REGISTRY)
        header = signed.headers()
    except (JoseError, ValueError, TypeError, KeyError):
        raise Untrusted("format", "The file looks like a signed credential but cannot be read: it may be "
                                  "incomplete or damaged. Download the .jwt file again.") from None
    key = _verification_key(header.get("kid"))
    if key is None:
        raise Untrusted("signature", "It was signed with a key this issuer has never published: it was not "
                                     "issued here, or it was made to look as if it were.")
    if header.get("alg") != ALGORITHMS[key.key_type]:
        raise Untrusted("signature", f"It is signed with the algorithm {str(header.get('alg'))[:20]!r}, "
                                     "which this issuer never uses with that key.")
    try:
        matches = jws.validate_compact(signed, key, registry=REGISTRY)
    except (JoseError, ValueError, TypeError):
        matches = False
    if not matches:
        raise Untrusted("signature", "The signature does not match: the file was changed after it was issued.")
    return SignedToken(header, signed.payload)


def _verification_key(kid) -> Key | None:
    """Our public key for a `kid` header: the key's URL, the key set's URL with the thumbprint
    as fragment (credentials signed before ES256), or the bare thumbprint. Only the thumbprint
    counts, so credentials keep verifying if the site's address changes."""
    if not isinstance(kid, str):
        return None
    thumbprint = kid.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if not thumbprint or len(thumbprint) > 64:
        return None
    jwk = db.session.scalar(select(SigningKey.public_jwk).where(SigningKey.kid == thumbprint))
    return import_key(_public_fields(jwk)) if jwk else None
