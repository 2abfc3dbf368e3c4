"""The issuer's public documents: its Open Badges profile, its keys and its revocation list.

Public, no sign-in: wallets and verifiers anywhere fetch these to check a credential, so
they allow any origin and may be cached. Each is built in one to three queries.
"""
from flask import Blueprint, Response, abort, current_app, jsonify, request

from training.certification.credentials import issuer_profile
from training.certification.organization import logo_data_uri
from training.certification.keys import public_jwks, published_key
from training.certification.statuslist import MAX_AGE_SECONDS, signed_status_list, status_list_credential
from training.extensions import db
from training.mailer import external_url, organization_url

bp = Blueprint("issuer", __name__)

KEYS_MAX_AGE_SECONDS = 3600  # keys change only on rotation, and old ones stay listed


@bp.route("/issuer")
def profile():
    """Public: the issuer Profile every credential names, with the public keys it signs with."""
    document = issuer_profile(name=current_app.config["ORGANIZATION_NAME"], profile_url=external_url("issuer.profile"),
                              home_url=organization_url(), jwks=public_jwks(), image=logo_data_uri())
    return _public(jsonify(document), KEYS_MAX_AGE_SECONDS)


@bp.route("/issuer/keys.json")
def keys():
    """Public: the JSON Web Key Set of every key the issuer has signed with (public halves)."""
    return _public(jsonify(public_jwks()), KEYS_MAX_AGE_SECONDS)


@bp.route("/issuer/keys/<kid>")
def key(kid):
    """Public: one key the issuer has signed with, as a single JWK: the address a credential's
    `kid` header names."""
    found = published_key(kid) if len(kid) <= 64 else None
    if found is None:
        abort(404)
    return _public(jsonify(found), KEYS_MAX_AGE_SECONDS)


@bp.route("/issuer/status/revocation")
def status_list():
    """Public: the live revocation list, a signed BitstringStatusListCredential
    (application/vc+jwt); ?format=json gives the same credential unsigned, to read."""
    url, issuer_id = external_url("issuer.status_list"), external_url("issuer.profile")
    if request.args.get("format") == "json":
        return _public(jsonify(status_list_credential(url, issuer_id=issuer_id)), MAX_AGE_SECONDS)
    signed = signed_status_list(url, issuer_id=issuer_id)
    db.session.commit()  # the very first signature creates the issuer's key; keep it
    response = Response(signed.token, mimetype="application/vc+jwt")
    response.set_etag(signed.tag, weak=True)  # another process's signature of the same list is as good
    response.last_modified = signed.changed_at
    return _public(response, MAX_AGE_SECONDS).make_conditional(request)


def _public(response: Response, max_age: int) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
