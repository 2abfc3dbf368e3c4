"""Open Badges 3.0 as 1EdTech's validator sees a credential, checked offline with libraries that
are not the project's own signing code: PyJWT for the token and its signature, jsonschema with
the official schema, and plain HTTP reads of the addresses the credential names."""
import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from jsonschema import Draft201909Validator

from training.certification.credentials import build_credential, credential_urls, sign_credential
from training.certification.schema import SCHEMA_FOLDER
from training.extensions import db

SHARED_SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "openbadges-3.0"


def _path(url: str) -> str:
    return urlsplit(url).path


def _stored(make_certificate):
    certificate = make_certificate()
    certificate.credential_jwt = sign_credential(build_credential(certificate, **credential_urls(certificate)))
    db.session.commit()
    return certificate


def test_a_credential_passes_an_independent_check(client, make_certificate):
    certificate = _stored(make_certificate)
    token = client.get(f"/verify/{certificate.code}/credential.jwt").get_data(as_text=True)

    # The header: an algorithm the validator accepts, and a kid that is the address of one key.
    header = jwt.get_unverified_header(token)
    assert header["alg"] in ("RS256", "ES256") and header["typ"] == "JWT"
    published = client.get(_path(header["kid"]))
    assert published.status_code == 200 and published.headers["Access-Control-Allow-Origin"] == "*"
    key = published.get_json()
    assert "keys" not in key and key["kid"] == header["kid"].rsplit("/", 1)[1] and "d" not in key

    # The signature, with PyJWT and that key alone.
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[header["alg"]],
                        options={"verify_aud": False, "verify_exp": False, "verify_nbf": False})
    credential = {name: value for name, value in claims.items() if name not in ("iss", "jti", "nbf", "exp", "sub")}
    assert claims["iss"] == credential["issuer"]["id"] and claims["jti"] == credential["id"]
    assert claims["nbf"] == int(datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")).timestamp())

    # The official schema.
    folder = SHARED_SCHEMAS if SHARED_SCHEMAS.is_dir() else SCHEMA_FOLDER
    schema = json.loads((folder / "achievementcredential.schema.json").read_text())
    assert [error.message for error in Draft201909Validator(schema).iter_errors(credential)] == []

    # The status list it names: signed the same way (same typ), by a key the issuer publishes.
    status = credential["credentialStatus"]
    listed = client.get(_path(status["statusListCredential"]))
    list_token = listed.get_data(as_text=True)
    list_header = jwt.get_unverified_header(list_token)
    assert list_header["typ"] == header["typ"] and list_header["alg"] == header["alg"]
    list_key = client.get(_path(list_header["kid"])).get_json()
    status_list = jwt.decode(list_token, jwt.PyJWK(list_key).key, algorithms=[list_header["alg"]],
                             options={"verify_aud": False, "verify_exp": False, "verify_nbf": False})
    assert status_list["credentialSubject"]["statusPurpose"] == status["statusPurpose"] == "revocation"


def test_the_holder_is_named_by_a_stable_id_and_can_prove_their_email(client, make_certificate):
    import hashlib
    certificate = _stored(make_certificate)
    claims = jwt.decode(certificate.credential_jwt, options={"verify_signature": False})
    subject = claims["credentialSubject"]
    assert claims["sub"] == subject["id"] == f"urn:uuid:{certificate.holder.holder_uuid}"
    assert certificate.holder.email not in certificate.credential_jwt and certificate.holder.email not in json.dumps(claims)
    [hashed] = [entry for entry in subject["identifier"] if entry["identityType"] == "emailAddress"]
    assert hashed["hashed"] is True and hashed["type"] == "IdentityObject"
    assert hashed["identityHash"] == "sha256$" + hashlib.sha256(
        (certificate.holder.email + hashed["salt"]).encode()).hexdigest()
    other = _stored(make_certificate)
    assert jwt.decode(other.credential_jwt, options={"verify_signature": False})["credentialSubject"]["identifier"][1][
        "salt"] != hashed["salt"]  # a salt per credential: two credentials' hashes cannot be matched


def test_the_unsigned_download_carries_no_jwt_claims_and_answers_any_origin(client, make_certificate):
    certificate = _stored(make_certificate)
    response = client.get(f"/verify/{certificate.code}/credential.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert not {"iss", "jti", "nbf", "exp", "sub"} & set(response.get_json())
    assert client.get(f"/verify/{certificate.code}/credential.jwt").headers["Access-Control-Allow-Origin"] == "*"


def test_the_issuer_profile_uses_defined_terms_for_its_keys(client, make_certificate):
    _stored(make_certificate)
    profile = client.get("/issuer").get_json()
    assert "https://www.w3.org/ns/cid/v1" in profile["@context"]  # verificationMethod, JsonWebKey, publicKeyJwk
    [method] = profile["verificationMethod"]
    assert method["type"] == "JsonWebKey" and method["publicKeyJwk"]["kty"] == "EC"
    assert client.get(_path(method["id"])).get_json() == method["publicKeyJwk"]  # the id is the key's address


def test_the_status_list_is_valid_from_its_last_change(client, make_certificate):
    certificate = _stored(make_certificate)
    token = client.get("/issuer/status/revocation").get_data(as_text=True)
    valid_from = jwt.decode(token, options={"verify_signature": False})["validFrom"]
    issued = certificate.issued_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert valid_from == issued
