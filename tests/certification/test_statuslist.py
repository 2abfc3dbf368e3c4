"""The revocation list as a W3C Bitstring Status List: bit order, size, encoding, and the
live list built from the database."""
import base64
import gzip
import json
import re

import pytest
from tests.certification.conftest import counted_queries

from training.certification import statuslist
from training.certification.keys import open_signed
from training.certification.statuslist import MIN_SIZE, decode, encode, is_set
from training.extensions import db
from training.models import Certificate, StatusListEntry

LIST_URL = "https://certs.example.org/issuer/status/revocation"
ISSUER = "https://certs.example.org/issuer"


@pytest.mark.parametrize("index, byte, value", [(0, 0, 0x80), (1, 0, 0x40), (7, 0, 0x01), (8, 1, 0x80),
                                                (12, 1, 0x08), (MIN_SIZE - 1, MIN_SIZE // 8 - 1, 0x01)])
def test_bit_zero_is_the_leftmost_bit_of_the_first_byte(index, byte, value):
    bits = decode(encode({index}))
    assert bits[byte] == value
    assert sum(1 for b in bits if b) == 1
    assert is_set(bits, index) and not is_set(bits, index + 1 if index + 1 < MIN_SIZE else index - 1)


def test_round_trip_keeps_exactly_the_bits_set():
    indexes = {0, 3, 9, 1000, 65537, MIN_SIZE - 1}
    bits = decode(encode(indexes))
    assert {index for index in range(len(bits) * 8) if is_set(bits, index)} == indexes


def test_the_list_is_never_shorter_than_16_kilobytes():
    assert len(decode(encode(set()))) == MIN_SIZE // 8 == 16384
    assert len(decode(encode({5}, size=64))) == 16384


def test_the_list_grows_in_whole_minimum_steps():
    bits = decode(encode({MIN_SIZE}))
    assert len(bits) == 2 * MIN_SIZE // 8 and is_set(bits, MIN_SIZE)
    with pytest.raises(IndexError):
        is_set(decode(encode(set())), MIN_SIZE)


def test_encoding_is_gzip_then_multibase_base64url():
    encoded = encode({0})
    assert encoded.startswith("u") and re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)  # no padding, URL-safe
    body = encoded[1:]
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert compressed[:2] == b"\x1f\x8b"  # the GZIP magic number
    assert gzip.decompress(compressed)[0] == 0x80
    assert encode({0}) == encoded  # the same list always encodes the same way
    assert len(encoded) < 200  # a mostly empty list compresses to almost nothing


@pytest.mark.parametrize("bad", ["", "zABC", "u!!!!", "uAAAA", "u" + base64.urlsafe_b64encode(b"plain").decode()])
def test_decode_refuses_what_is_not_an_encoded_list(bad):
    with pytest.raises(ValueError):
        decode(bad)


def test_negative_indexes_are_refused():
    with pytest.raises(ValueError):
        encode({-1})


def test_revoked_indexes_in_one_query(make_certificate):
    revoked = {make_certificate(revoked=True).status_index, make_certificate(revoked=True).status_index}
    make_certificate()
    with counted_queries() as statements:
        assert statuslist.revoked_indexes() == revoked
    assert len(statements) == 1


def test_the_list_credential_marks_revoked_certificates(make_certificate):
    kept, revoked = make_certificate(), make_certificate(revoked=True)
    credential = statuslist.status_list_credential(LIST_URL, issuer_id=ISSUER)
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert (credential["id"], credential["issuer"]) == (LIST_URL, ISSUER)
    subject = credential["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    bits = decode(subject["encodedList"])
    assert is_set(bits, revoked.status_index) and not is_set(bits, kept.status_index)


def test_the_list_covers_every_entry_handed_out(make_certificate):
    make_certificate()
    db.session.add(StatusListEntry(id=MIN_SIZE + 5))
    db.session.commit()
    bits = statuslist.revocation_bits()
    assert len(bits) * 8 == 2 * MIN_SIZE and not is_set(bits, MIN_SIZE + 5)


def test_the_signed_list_verifies_with_the_issuer_key(make_certificate):
    revoked = make_certificate(revoked=True)
    signed = statuslist.signed_status_list(LIST_URL, issuer_id=ISSUER)
    opened = open_signed(signed.token)
    assert opened.header["typ"] == "JWT" and opened.header["alg"] == "ES256"  # the certificates' typ too
    credential = json.loads(opened.payload)
    assert is_set(decode(credential["credentialSubject"]["encodedList"]), revoked.status_index)
    # Signed again only when the list changes; valid from its last change.
    assert statuslist.signed_status_list(LIST_URL, issuer_id=ISSUER).token == signed.token
    assert credential["validFrom"] == signed.changed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    other = make_certificate(revoked=True)
    again = statuslist.signed_status_list(LIST_URL, issuer_id=ISSUER)
    assert again.token != signed.token and again.tag != signed.tag
    assert is_set(decode(json.loads(open_signed(again.token).payload)["credentialSubject"]["encodedList"]), other.status_index)


def test_the_list_answers_if_none_match_and_if_modified_since(client, make_certificate):
    make_certificate(revoked=True)
    first = client.get("/issuer/status/revocation")
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"') and first.last_modified
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/issuer/status/revocation", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    since = first.headers["Last-Modified"]
    assert client.get("/issuer/status/revocation", headers={"If-Modified-Since": since}).status_code == 304
    make_certificate(revoked=True)
    changed = client.get("/issuer/status/revocation", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
