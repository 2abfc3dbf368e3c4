"""Open Badges 3.0 credentials: built to the official schema, signed, and verified with
a reason for every failure."""
import base64
import json
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey, import_key
from jsonschema import Draft201909Validator

from training.certification import keys
from training.certification.credentials import build_credential, credential_urls, sign_credential
from training.certification.verification import verify_credential
from training.certification.schema import SCHEMA_FOLDER
from training.extensions import db
from training.models import SigningKey, utcnow

SHARED_SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "openbadges-3.0"
URLS = {
    "credential_id": "https://certs.example.org/verify/abc/credential.json",
    "verify_url": "https://certs.example.org/verify/abc",
    "issuer_id": "https://certs.example.org/issuer",
    "issuer_url": "https://certs.example.org/",
    "status_list_url": "https://certs.example.org/issuer/status/revocation",
}
TAMPERED = "The signature does not match: the file was changed after it was issued."
DURING = date(2027, 1, 15)  # inside the test certificate's dates


def signed(certificate) -> str:
    token = sign_credential(build_credential(certificate, **URLS))
    db.session.commit()  # the first signature creates the key
    return token


def parts(token: str) -> tuple[dict, dict]:
    header, payload, _ = token.split(".")
    return tuple(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in (header, payload))


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def official_validator() -> Draft201909Validator:
    folder = SHARED_SCHEMAS if SHARED_SCHEMAS.is_dir() else SCHEMA_FOLDER
    return Draft201909Validator(json.loads((folder / "achievementcredential.schema.json").read_text()))


def test_built_credential_meets_the_official_schema(make_certificate):
    certificate = make_certificate()
    credential = build_credential(certificate, **URLS)
    assert [error.message for error in official_validator().iter_errors(credential)] == []
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {"id": URLS["issuer_id"], "type": ["Profile"],
                                    "name": "Peer Support Training Program", "url": URLS["issuer_url"]}
    assert (credential["validFrom"], credential["validUntil"]) == ("2026-03-01T00:00:00Z", "2028-03-01T00:00:00Z")
    subject = credential["credentialSubject"]
    assert subject["name"] == "Dana Q. Holder"
    assert subject["achievement"]["achievementType"] == "Certification"
    assert "- Verified supervision hours: 25 hours" in subject["achievement"]["criteria"]["narrative"]
    assert credential["credentialStatus"] == {
        "id": f"{URLS['status_list_url']}#{certificate.status_index}", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": str(certificate.status_index),
        "statusListCredential": URLS["status_list_url"]}
    assert certificate.holder.email not in json.dumps(credential)


def test_packaged_schemas_are_the_official_files():
    """The app reads its own copies; they must stay byte-identical to the shared originals."""
    for name in ("achievementcredential.schema.json", "profile.schema.json"):
        packaged = (SCHEMA_FOLDER / name).read_bytes()
        assert json.loads(packaged)["$schema"].startswith("https://json-schema.org/draft/2019-09/")
        if SHARED_SCHEMAS.is_dir():  # only beside the shared folder; CI has the packaged copies only
            assert packaged == (SHARED_SCHEMAS / name).read_bytes(), f"{name} differs from the shared copy"


def test_credential_urls_name_the_public_pages(make_certificate):
    certificate = make_certificate()
    urls = credential_urls(certificate)
    assert urls["credential_id"].endswith(f"/verify/{certificate.code}/credential.json")
    assert urls["verify_url"].endswith(f"/verify/{certificate.code}")
    assert urls["issuer_id"].endswith("/issuer")
    assert urls["status_list_url"].endswith("/issuer/status/revocation")
    assert build_credential(certificate, **urls)["id"] == urls["credential_id"]


def test_sign_then_verify(make_certificate):
    certificate = make_certificate()
    token = signed(certificate)
    header, payload = parts(token)
    key = db.session.get(SigningKey, header["kid"].rsplit("/", 1)[1])
    assert header == {"alg": "ES256", "typ": "JWT", "kid": keys.key_url(key.kid)}
    assert header["kid"].endswith(f"/issuer/keys/{key.kid}")
    assert payload["iss"] == URLS["issuer_id"] and payload["jti"] == URLS["credential_id"]
    assert payload["nbf"] == int(datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp())
    assert payload["exp"] == int(datetime(2028, 3, 1, tzinfo=timezone.utc).timestamp())
    assert payload["sub"] == payload["credentialSubject"]["id"] == f"urn:uuid:{certificate.holder.holder_uuid}"

    result = verify_credential(token, today=DURING)
    assert (result.ok, result.status, result.problems) == (True, "valid", [])
    assert [check.name for check in result.checks] == ["format", "signature", "schema", "status", "dates"]
    assert result.credential["credentialSubject"]["name"] == "Dana Q. Holder"
    assert verify_credential(token.encode() + b"\n", today=DURING).ok  # a downloaded file, as bytes


def test_a_changed_name_breaks_the_signature(make_certificate):
    token = signed(make_certificate())
    _, payload = parts(token)
    payload["credentialSubject"]["name"] = "Someone Else"
    header_part, _, signature_part = token.split(".")
    forged = f"{header_part}.{b64(payload)}.{signature_part}"
    result = verify_credential(forged, today=DURING)
    assert (result.ok, result.status, result.credential) == (False, "invalid", None)
    assert result.problems == [TAMPERED]
    assert [check.passed for check in result.checks] == [True, False, None, None, None]


def test_a_key_we_never_published_is_refused(make_certificate):
    _, payload = parts(signed(make_certificate()))
    stranger = ECKey.generate_key("P-256")
    unknown = jws.serialize_compact({"alg": "ES256", "kid": stranger.thumbprint()}, json.dumps(payload),
                                    stranger, registry=keys.REGISTRY)
    result = verify_credential(unknown, today=DURING)
    assert result.status == "invalid" and "never published" in result.problems[0]

    # Signed with another key while claiming ours: the signature gives it away.
    our_kid = db.session.scalars(db.select(SigningKey.kid)).one()
    impostor = jws.serialize_compact({"alg": "ES256", "kid": our_kid}, json.dumps(payload), stranger,
                                     registry=keys.REGISTRY)
    assert verify_credential(impostor, today=DURING).problems == [TAMPERED]


def test_other_algorithms_are_never_tried(make_certificate):
    header, payload = parts(signed(make_certificate()))
    none_token = f"{b64({'alg': 'none', 'kid': header['kid']})}.{b64(payload)}."
    hs256 = f"{b64({**header, 'alg': 'HS256'})}.{b64(payload)}.c2lnbmF0dXJl"
    for token in (none_token, hs256):
        result = verify_credential(token, today=DURING)
        assert not result.ok and result.credential is None and result.problems


def test_revoked_certificate_fails_with_status_revoked(make_certificate):
    certificate = make_certificate()
    token = signed(certificate)
    certificate.revoked_at, certificate.revoked_reason = utcnow(), "Issued in error"
    db.session.commit()
    result = verify_credential(token, today=DURING)
    assert (result.ok, result.status) == (False, "revoked")
    assert result.problems == ["The issuer has revoked this certificate."]
    assert result.credential is not None  # the file itself is genuine


def test_expired_and_not_yet_valid_say_the_date(make_certificate):
    token = signed(make_certificate())
    assert verify_credential(token, today=date(2028, 2, 29)).ok  # the last valid day
    expired = verify_credential(token, today=date(2028, 3, 1))
    assert (expired.ok, expired.status, expired.problems) == (False, "expired",
                                                              ["This certificate expired on 1 March 2028."])
    early = verify_credential(token, today=date(2026, 2, 28))
    assert early.status == "upcoming" and "becomes valid on 1 March 2026" in early.problems[0]


def test_revocation_outranks_expiry(make_certificate):
    certificate = make_certificate()
    token = signed(certificate)
    certificate.revoked_at = utcnow()
    db.session.commit()
    result = verify_credential(token, today=date(2030, 1, 1))
    assert result.status == "revoked" and len(result.problems) == 2


def test_a_signed_credential_outside_the_schema_says_where(make_certificate):
    credential = build_credential(make_certificate(), **URLS)
    del credential["credentialSubject"]["achievement"]["name"]
    token = sign_credential(credential)
    result = verify_credential(token, today=DURING)
    assert result.status == "invalid"
    assert result.problems == ["The credential does not follow the Open Badges 3.0 format: "
                               "credentialSubject.achievement: 'name' is a required property."]


def test_the_unsigned_json_form_is_explained(make_certificate):
    credential = build_credential(make_certificate(), **URLS)
    result = verify_credential(json.dumps(credential, indent=2).encode())
    assert result.problems == ["This file is the unsigned JSON form; verify the .jwt download, which carries "
                               "the signature."]


@pytest.mark.parametrize("garbage", [
    b"", b"   \n", os.urandom(300), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", b"\x89PNG\r\n\x1a\n\x00\x00",
    "not a credential", "a.b", "a.b.c", "....", "{half a json", "[1, 2]", "é.é.é", "eyJhbGciOiJFZERTQSJ9.e30.",
    None, 12345,
])
def test_garbage_never_raises(db, garbage):
    result = verify_credential(garbage)
    assert (result.ok, result.status, result.credential) == (False, "invalid", None)
    assert result.problems and all(problem.endswith(".") for problem in result.problems)


def test_a_truncated_download_is_refused(make_certificate):
    token = signed(make_certificate())
    for cut in (token[:40], token[:len(token) // 2], token[:-5], token.rsplit(".", 1)[0] + "."):
        result = verify_credential(cut, today=DURING)
        assert not result.ok and result.credential is None and result.problems


def test_rotation_keeps_old_credentials_verifiable(make_certificate):
    old_token = signed(make_certificate())
    old_kid = parts(old_token)[0]["kid"]
    new_key = keys.rotate_key()
    db.session.commit()
    new_token = signed(make_certificate())
    assert parts(new_token)[0]["kid"].endswith(f"/{new_key.kid}") and old_kid != parts(new_token)[0]["kid"]
    assert verify_credential(old_token, today=DURING).ok and verify_credential(new_token, today=DURING).ok
    retired = db.session.get(SigningKey, old_kid.rsplit("/", 1)[1])
    assert retired.retired_at is not None and retired.private_pem is None


def test_two_first_keys_made_at_once_are_both_kept(db):
    """Two workers each creating the first key: both stay published, and all workers
    then sign with the same (oldest) one."""
    first, second = keys._create_key(), keys._create_key()
    db.session.commit()
    oldest = min((first, second), key=lambda key: (key.created_at, key.kid))
    assert keys.current_key().kid == keys.current_key().kid == oldest.kid
    assert {key["kid"] for key in keys.public_jwks()["keys"]} == {first.kid, second.kid}


@pytest.fixture()
def configured_key(app):
    """A private key from configuration, as SIGNING_KEY_FILE gives it."""
    def configure(pem):
        app.config["SIGNING_KEY_PEM"] = pem
    yield configure
    app.config["SIGNING_KEY_PEM"] = None


def test_a_configured_key_signs_and_the_database_holds_no_private_key(make_certificate, configured_key):
    old_token = signed(make_certificate())  # signed with a key made in the database
    pem = keys.new_private_pem()
    configured_key(pem)
    token = signed(make_certificate())
    kid = parts(token)[0]["kid"].rsplit("/", 1)[1]
    assert kid == import_key(pem, "EC").thumbprint()
    assert verify_credential(token, today=DURING).ok and verify_credential(old_token, today=DURING).ok
    assert db.session.scalars(db.select(SigningKey.private_pem).where(SigningKey.private_pem.is_not(None))).all() == []
    assert {key["kid"] for key in keys.public_jwks()["keys"]} == {kid, parts(old_token)[0]["kid"].rsplit("/", 1)[1]}

    configured_key(keys.new_private_pem())  # rotated in configuration: the last key stays published
    newer = signed(make_certificate())
    assert verify_credential(token, today=DURING).ok and verify_credential(newer, today=DURING).ok
    assert db.session.get(SigningKey, kid).retired_at is not None
    with pytest.raises(keys.KeyIsConfigured):
        keys.rotate_key()


def test_a_signing_key_that_is_not_p256_or_rsa_stops_start_up(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    from training.config import ConfigError, load_config

    def pem(private):
        return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode()
    env = {"TRAINING_ENV": "testing", "INSTANCE_PATH": str(tmp_path)}
    for bad in ({"SIGNING_KEY": pem(ed25519.Ed25519PrivateKey.generate())},  # signed before ES256: now refused
                {"SIGNING_KEY": pem(ec.generate_private_key(ec.SECP384R1()))},
                {"SIGNING_KEY": pem(rsa.generate_private_key(65537, 1024))},
                {"SIGNING_KEY": "not a key"}, {"SIGNING_KEY_FILE": str(tmp_path / "none.pem")}):
        with pytest.raises(ConfigError):
            load_config({**env, **bad})
    good = tmp_path / "key.pem"
    for text in (keys.new_private_pem(), pem(rsa.generate_private_key(65537, 2048))):
        good.write_text(text)
        assert load_config({**env, "SIGNING_KEY_FILE": str(good)})["SIGNING_KEY_PEM"] == text


def test_a_configured_rsa_key_signs_with_rs256(make_certificate, configured_key):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    configured_key(rsa.generate_private_key(65537, 2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())
    token = signed(make_certificate())
    assert parts(token)[0]["alg"] == "RS256" and verify_credential(token, today=DURING).ok


def test_credentials_signed_with_ed25519_before_es256_keep_verifying(make_certificate):
    """A key from before ES256 signs no more: the next signature retires it and makes an ES256
    key, and what it signed (its kid the key set's URL with the thumbprint) still verifies."""
    old = OKPKey.generate_key("Ed25519")
    db.session.add(SigningKey(kid=old.thumbprint(), private_pem=old.as_pem(private=True).decode(),
                              public_jwk={name: old.as_dict(private=False)[name] for name in ("kty", "crv", "x")}))
    db.session.commit()
    _, payload = parts(signed(make_certificate()))
    keys_json = "http://127.0.0.1:5000/issuer/keys.json"
    before = jws.serialize_compact({"alg": "EdDSA", "typ": "JWT", "kid": f"{keys_json}#{old.thumbprint()}"},
                                   json.dumps(payload), old, registry=keys.REGISTRY)
    assert verify_credential(before, today=DURING).ok
    assert db.session.get(SigningKey, old.thumbprint()).retired_at is not None  # retired by that signature
    assert parts(signed(make_certificate()))[0]["alg"] == "ES256"
    published = {key["kid"]: key for key in keys.public_jwks()["keys"]}
    assert published[old.thumbprint()]["alg"] == "EdDSA"
    # The old key cannot be made to vouch for a token that names another algorithm.
    forged = f"{b64({'alg': 'ES256', 'typ': 'JWT', 'kid': old.thumbprint()})}.{b64(payload)}.c2lnbmF0dXJl"
    assert not verify_credential(forged, today=DURING).ok


def test_the_jwks_carries_no_private_key(make_certificate):
    signed(make_certificate())
    keys.rotate_key()
    db.session.commit()
    published = keys.public_jwks()["keys"]
    assert len(published) == 2
    assert all(set(key) == {"kty", "crv", "x", "y", "kid", "use", "alg"} for key in published)
    assert all(key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256" for key in published)


def test_cli_verify_prints_each_check(app, make_certificate, tmp_path):
    good, bad = tmp_path / "good.jwt", tmp_path / "bad.jwt"
    token = signed(make_certificate(valid_from=date(2000, 1, 1), expires_on=date(2999, 1, 1)))
    good.write_text(token)
    bad.write_text(token[:-8] + "AAAAAAAA")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "verify", str(good)])
    assert result.exit_code == 0, result.output
    for name in ("signature", "schema", "status", "dates"):
        assert f"ok  {name}:" in result.output
    failed = runner.invoke(args=["certificates", "verify", str(bad)])
    assert failed.exit_code == 1
    assert "FAILED  signature" in failed.output and TAMPERED in failed.output
