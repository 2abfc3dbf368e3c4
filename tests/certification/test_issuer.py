"""The issuer's public documents (profile, keys, revocation list) and key rotation:
open to anyone, cheap, cacheable, and never a private key."""
import base64
import io
import json
from datetime import date
from urllib.parse import urlsplit

import pytest
import segno
from pypdf import PdfReader
from sqlalchemy import select

from tests.certification.conftest import counted_queries

from training.certification import keys
from training.certification.credentials import build_credential, credential_urls, sign_credential
from training.certification.verification import verify_credential
from training.certification.keys import open_signed
from training.certification.schema import PROFILE_SCHEMA, schema_problems
from training.certification.statuslist import decode, is_set
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.extensions import db
from training.models import Role, SigningKey, utcnow

PUBLIC_ROUTES = ("/issuer", "/issuer/keys.json", "/issuer/status/revocation")


def _png() -> bytes:
    buffer = io.BytesIO()
    segno.make_qr("logo").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


LOGO = _png()


@pytest.fixture()
def issued(make_certificate):
    """Factory: a stored certificate with its signed credential, revoked when asked."""
    def make(revoked=False):
        certificate = make_certificate()
        certificate.credential_jwt = sign_credential(build_credential(certificate, **credential_urls(certificate)))
        certificate.revoked_at = utcnow() if revoked else None
        db.session.commit()
        return certificate
    return make


@pytest.mark.parametrize("url", PUBLIC_ROUTES)
@pytest.mark.parametrize("who", [None, Role.TRAINEE, Role.STAFF])
def test_open_to_everyone_without_signing_in(client, login_as, url, who):
    if who is not None:
        login_as(who)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]


def test_profile_meets_the_official_schema_and_publishes_the_keys(client, issued):
    certificate = issued()
    response = client.get("/issuer")
    profile = response.get_json()
    assert schema_problems(profile, PROFILE_SCHEMA) == []
    assert profile["type"] == ["Profile"] and profile["id"].endswith("/issuer")
    assert profile["name"] == "Example Peer Support Program (demo)"  # the development default
    header_kid = json.loads(_segment(certificate.credential_jwt, 0))["kid"]
    # The same key address, whatever host served the request (BASE_URL is unset in tests).
    assert [_path(method["id"]) for method in profile["verificationMethod"]] == [_path(header_kid)]
    assert "d" not in profile["verificationMethod"][0]["publicKeyJwk"]
    credential = build_credential(certificate, **credential_urls(certificate))
    assert _path(credential["issuer"]["id"]) == _path(profile["id"])
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_the_issuer_is_configuration_and_an_issued_certificate_keeps_its_own(app, client, track, eligible, people):
    def issue_one(name):
        holder = eligible(legal_name=name)
        certificate, _ = issue(holder, track, standing_for(track, holder.id).eligibility, by=people["staff"],
                               now=utcnow())
        db.session.commit()
        return certificate

    before = issue_one("Dana Q. Holder")
    settings = {"ORGANIZATION_NAME": "Keystone Peer Certification Board", "ORGANIZATION_URL": "https://board.example",
                "CERTIFICATE_SIGNATORY_NAME": "Avery Lin", "CERTIFICATE_SIGNATORY_TITLE": "Executive Director",
                "ORGANIZATION_LOGO": ("image/png", LOGO)}
    saved = {name: app.config[name] for name in settings}
    app.config.update(settings)
    try:
        profile = client.get("/issuer").get_json()
        assert (profile["name"], profile["url"]) == ("Keystone Peer Certification Board", "https://board.example")
        assert profile["image"]["id"].startswith("data:image/png;base64,")
        assert schema_problems(profile, PROFILE_SCHEMA) == []
        after = issue_one("Robin Example")
    finally:
        app.config.update(saved)
    assert (after.issuer_name, after.issuer_url) == ("Keystone Peer Certification Board", "https://board.example")
    assert (after.signatory_name, after.signatory_title) == ("Avery Lin", "Executive Director")
    payload = json.loads(_segment(after.credential_jwt, 1))
    assert (payload["issuer"]["name"], payload["issuer"]["url"]) == ("Keystone Peer Certification Board",
                                                                      "https://board.example")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(after.pdf)).pages)
    assert "KEYSTONE PEER CERTIFICATION BOARD" in text and "Avery Lin" in text and "Executive Director" in text
    db.session.refresh(before)
    assert before.issuer_name == "Example Peer Support Program (demo)"  # issued earlier: unchanged


def test_keys_list_every_key_and_no_private_part(client, issued):
    issued()
    keys.rotate_key()
    db.session.commit()
    response = client.get("/issuer/keys.json")
    published = response.get_json()["keys"]
    assert len(published) == 2
    assert {key["kid"] for key in published} == set(db.session.scalars(select(SigningKey.kid)))
    assert not any("d" in key for key in published)
    assert "PRIVATE" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_status_list_is_signed_and_marks_revocations(client, issued):
    kept, revoked = issued(), issued(revoked=True)
    response = client.get("/issuer/status/revocation")
    assert response.mimetype == "application/vc+jwt"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    opened = open_signed(response.get_data(as_text=True))
    bits = decode(json.loads(opened.payload)["credentialSubject"]["encodedList"])
    assert is_set(bits, revoked.status_index) and not is_set(bits, kept.status_index)

    unsigned = client.get("/issuer/status/revocation?format=json").get_json()
    entry = build_credential(kept, **credential_urls(kept))["credentialStatus"]
    assert _path(unsigned["id"]) == _path(entry["statusListCredential"])
    assert is_set(decode(unsigned["credentialSubject"]["encodedList"]), revoked.status_index)


def test_a_revocation_shows_at_once(client, issued):
    certificate = issued()
    assert verify_credential(certificate.credential_jwt, today=date(2027, 1, 1)).ok
    certificate.revoked_at = utcnow()
    db.session.commit()
    encoded = client.get("/issuer/status/revocation?format=json").get_json()["credentialSubject"]["encodedList"]
    assert is_set(decode(encoded), certificate.status_index)
    assert verify_credential(certificate.credential_jwt, today=date(2027, 1, 1)).status == "revoked"


def test_the_first_signed_list_keeps_the_key_it_created(client, db):
    token = client.get("/issuer/status/revocation").get_data(as_text=True)
    db.session.expire_all()  # read what the request committed
    assert json.loads(open_signed(token).payload)["type"][1] == "BitstringStatusListCredential"
    assert len(client.get("/issuer/keys.json").get_json()["keys"]) == 1


@pytest.mark.parametrize("url, most", [("/issuer", 3), ("/issuer/keys.json", 1),
                                       ("/issuer/status/revocation", 3),
                                       ("/issuer/status/revocation?format=json", 2)])
def test_each_document_takes_few_queries(client, issued, url, most):
    for _ in range(3):
        issued(revoked=True)
    with counted_queries() as statements:
        assert client.get(url).status_code == 200
    assert len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]) <= most


def test_cli_rotate_key(app, issued):
    old = issued()
    result = app.test_cli_runner().invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0, result.output
    current = keys.current_key()
    assert current.kid in result.output
    assert db.session.scalar(select(SigningKey).where(SigningKey.kid != current.kid)).retired_at is not None
    assert verify_credential(old.credential_jwt, today=date(2027, 1, 1)).ok


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}#{parts.fragment}"


def _segment(token: str, index: int) -> bytes:
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
