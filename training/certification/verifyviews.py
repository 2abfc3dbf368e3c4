"""Public verification: anyone with a certificate's code can check it, without signing in.

Only a random code finds a certificate: the long one in links and QR codes, or the short
one printed for typing (codes.py says how each is read). There is no search by name or
number, so nobody can ask whether a named person holds a certificate, and an unknown code
and a malformed one get exactly the same answer. Every route here is rate limited per address.
"""
from __future__ import annotations

import base64
import json

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from training.certification.codes import is_long_code, short_code
from training.certification.forms import CodeForm
from training.extensions import db, limiter
from training.models import Certificate, utcnow
from training.models.certificates import group_short_code

JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "iat", "sub")

bp = Blueprint("verify", __name__, url_prefix="/verify")
limiter.limit(lambda: current_app.config["VERIFY_LIMIT_PER_IP"], scope="verify")(bp)
NOT_FOUND_HEADERS = {"Cache-Control": "no-store"}


def _find(code: str, *columns, related: bool = False) -> Certificate | None:
    """The certificate with this long or short code: one lookup on a unique index (none for
    text that can be neither). `related` also loads, in the same query, the certificates
    that replaced or corrected it, or that it corrects."""
    if is_long_code(code):
        condition = Certificate.code == code
    elif (typed := short_code(code)) is not None:
        condition = Certificate.short_code == typed
    else:
        return None
    related_options = (joinedload(Certificate.superseded_by), joinedload(Certificate.corrected_by),
                       joinedload(Certificate.corrects)) if related else ()
    return db.session.scalar(select(Certificate).where(condition)
                             .options(*related_options, *(undefer(c) for c in columns)))


def _not_found():
    return render_template("verify/not_found.html", form=CodeForm()), 404, NOT_FOUND_HEADERS


def _code_from(text: str) -> str:
    """A typed code, or a pasted verification link, reduced to the code."""
    text = text.strip().rstrip("/")
    return text.rsplit("/", 1)[-1].strip() if "/" in text else text.replace(" ", "")


@bp.route("")
def form():
    """Anyone: type or paste a verification code."""
    form = CodeForm(request.args)
    if request.args.get("code") is not None:
        code = _code_from(form.code.data or "")
        if not code:
            form.code.errors = [_("Please type the code printed under the QR code on the certificate.")]
            return render_template("verify/form.html", form=form), 422
        typed = None if is_long_code(code) else short_code(code)
        return redirect(url_for("verify.certificate", code=group_short_code(typed) if typed else code[:200]))
    return render_template("verify/form.html", form=form)


@bp.route("/<code>")
def certificate(code):
    """Anyone: the certificate's holder, credential, issuer, dates and status."""
    found = _find(code, related=True)
    if found is None:
        return _not_found()
    return render_template("verify/certificate.html", certificate=found, status=found.status(utcnow().date()),
                           json_url=url_for("verify.credential_json", code=found.code)), 200, {
        "Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}


def unsigned(payload: dict) -> dict:
    """The credential alone, without the JWT's registered claims (iss, jti, nbf, exp, sub):
    they are the token's, and `jti` and the rest are not terms of the credential's JSON-LD
    contexts."""
    return {name: value for name, value in payload.items() if name not in JWT_CLAIMS}


def _payload(token: str) -> dict:
    """The credential inside the stored, signed VC-JWT (its middle part)."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@bp.route("/<code>/credential.json")
def credential_json(code):
    """Anyone: the Open Badges 3.0 credential as JSON (the signed form is credential.jwt)."""
    found = _find(code, Certificate.credential_jwt)
    if found is None:
        return jsonify(error="No certificate has this code."), 404, NOT_FOUND_HEADERS
    response = jsonify(unsigned(_payload(found.credential_jwt)))
    response.headers["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers read it from anywhere
    response.headers["Link"] = f'<{url_for("verify.credential_jwt", code=found.code)}>; rel="alternate"; ' \
                               'type="application/vc+jwt"'
    return response


@bp.route("/<code>/credential.jwt")
def credential_jwt(code):
    """Anyone: the signed credential (VC-JWT)."""
    found = _find(code, Certificate.credential_jwt)
    if found is None:
        return _not_found()
    return Response(found.credential_jwt, mimetype="application/vc+jwt", headers={
        "Content-Disposition": f'attachment; filename="{found.number}.jwt"', "Access-Control-Allow-Origin": "*"})
