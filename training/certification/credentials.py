"""Open Badges 3.0 credentials for certificates: build and sign (verification.py verifies).

An issued certificate carries an OpenBadgeCredential (a W3C Verifiable Credential 2.0)
signed as a VC-JWT (Open Badges 3.0, section 8.2), so anyone can check it without asking
us: the signature against the key published on the issuer profile, the revocation bit in
the public status list, and the dates. The only personal data in it is the legal name.

The builders take plain URL strings; `credential_urls` is the one place that turns a
certificate into its public addresses.
"""
from __future__ import annotations

import hashlib

from datetime import date, datetime, timezone

from training.certification.keys import key_url, sign_jwt
from training.certification.schema import parse_timestamp
from training.mailer import external_url
from training.models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"  # verificationMethod, JsonWebKey, publicKeyJwk
CREDENTIAL_TYP = "JWT"  # Open Badges 3.0, section 8.2: "typ", if present, is "JWT"
UNSIGNED_JSON = ("This file is the unsigned JSON form; verify the .jwt download, which carries the "
                 "signature.")


# --- building -------------------------------------------------------------------------

def credential_urls(certificate: Certificate) -> dict:
    """The public addresses a certificate's credential names, as keyword arguments for
    `build_credential`. Needs the verify and issuer blueprints registered."""
    return {
        "credential_id": external_url("verify.credential_json", code=certificate.code),
        "verify_url": external_url("verify.certificate", code=certificate.code),
        "issuer_id": external_url("issuer.profile"),
        "issuer_url": external_url("dashboard.index"),  # Profile.url: the issuer's home page
        "status_list_url": external_url("issuer.status_list"),
    }


def status_entry(index: int, status_list_url: str) -> dict:
    """A credential's entry in the public revocation list: bit `index` of the list at `status_list_url`."""
    return {"id": f"{status_list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": status_list_url}


def credential_name(certificate: Certificate) -> str:
    """What the certificate is called: a completion says so and names the course."""
    if certificate.kind == "completion":
        return f"Certificate of Completion: {certificate.course_title or certificate.track_title}"
    return certificate.track_title


def hours_sentence(certificate: Certificate) -> str:
    """'10.5 contact hours (Advocacy 2, Ethical responsibility 8.5) toward the IC&RC Peer Recovery
    credential.' for a certificate of completion; '' otherwise."""
    if certificate.kind != "completion" or not certificate.contact_hours:
        return ""
    parts = ", ".join(f"{item['title']} {item['hours']:g}" for item in certificate.contact_hours.values())
    toward = f" toward {certificate.counts_toward}" if certificate.counts_toward else ""
    return f"{certificate.total_hours:g} contact hours ({parts}){toward}."


def build_credential(certificate: Certificate, *, credential_id: str, verify_url: str, issuer_id: str,
                     issuer_url: str, status_list_url: str) -> dict:
    """The unsigned OpenBadgeCredential for a certificate, valid from its first day until
    (not including) its expiry day, if it has one. The issuer's name and home page are the
    ones stored on the certificate at issue; `issuer_url` is used only when none was stored."""
    name = credential_name(certificate)
    hours = hours_sentence(certificate)
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": (f"Certificate {certificate.number}: {name}, issued by {certificate.issuer_name}."
                        + (f" {hours}" if hours else "") + f" Check whether it is still valid at {verify_url}"),
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": certificate.issuer_name,
                   "url": certificate.issuer_url or issuer_url},
        "validFrom": _midnight_utc(certificate.valid_from),
        "awardedDate": utc_timestamp(certificate.issued_at),
        "credentialSubject": _subject(certificate, issuer_id),
        "credentialStatus": status_entry(certificate.status_index, status_list_url),
    }
    if certificate.expires_on is not None:
        credential["validUntil"] = _midnight_utc(certificate.expires_on)
    return credential


def _subject(certificate: Certificate, issuer_id: str) -> dict:
    """The holder: `id` is their stable identifier (urn:uuid:, never the email; it is also the
    JWT's `sub`), and `identifier` lets them prove the credential is theirs: their legal name
    (shown as `name` anyway) and a salted SHA-256 of their email, which the credential never
    carries in clear (Open Badges 3.0 IdentityObject: identityHash is "sha256$" and the hex
    digest of the email followed by the salt)."""
    salt = email_salt(certificate)
    return {
        "id": holder_id(certificate.holder),
        "type": ["AchievementSubject"],
        "name": certificate.legal_name,
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": certificate.legal_name},
                       {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                        "identityHash": email_hash(certificate.holder.email, salt), "salt": salt}],
        "achievement": _achievement(certificate, issuer_id),
    }


def holder_id(user) -> str:
    """A person's identifier in the credentials they hold."""
    return f"urn:uuid:{user.holder_uuid}"


def email_salt(certificate: Certificate) -> str:
    """The salt of the holder's hashed email: one per credential (from its random code, so the
    same certificate always builds the same credential), published beside the hash."""
    return hashlib.sha256(f"email-salt:{certificate.code}".encode()).hexdigest()[:32]


def email_hash(email: str, salt: str) -> str:
    """Open Badges 3.0's salted hash of an email address (trimmed, lower case)."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


def _achievement(certificate: Certificate, issuer_id: str) -> dict:
    completion = certificate.kind == "completion"
    if completion:
        description = (f"Completion of {certificate.course_title or certificate.track_title}, a peer support "
                       f"training course of {certificate.issuer_name}. {hours_sentence(certificate)} A certificate "
                       "of completion is not a credential: the credential is awarded by a certifying body.")
    else:
        description = (f"{certificate.track_title}, a peer support certification awarded by "
                       f"{certificate.issuer_name}.")
    return {
        "id": f"{issuer_id}#achievement-{certificate.track}",  # the same for every holder of the track
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion" if completion else "Certification",
        "name": credential_name(certificate),
        "humanCode": certificate.track.upper(),
        "description": description.replace("  ", " "),
        "criteria": {"narrative": _criteria_narrative(certificate)},
    }


def _criteria_narrative(certificate: Certificate) -> str:
    """The track's requirements as they stood at issue (Markdown), from the stored summary,
    and for a completion the hours earned by domain."""
    summary = certificate.summary or {}
    requirements = summary.get("requirements") or summary.get("renewal") or []
    lines = [f"- {item['label']}" + (f": {item['need']:g} {item['unit']}" if item.get("unit") else "")
             for item in requirements]
    if certificate.kind == "completion":
        intro = "Completed every module of the course (lessons read, quiz passed, required practice labs attended)"
        hours = [f"- {item['title']}: {item['hours']:g} contact hours"
                 for item in (certificate.contact_hours or {}).values()]
        return intro + ".\n\nContact hours earned, by domain:\n\n" + "\n".join(hours) if hours else intro + "."
    intro = "Met every requirement of the credential track, as verified by the program's staff and supervisors"
    return intro + (":\n\n" + "\n".join(lines) if lines else ".")


def _midnight_utc(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def utc_timestamp(moment: datetime) -> str:
    """A moment as credentials write it: UTC, to the second, with Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(*, name: str, profile_url: str, home_url: str, jwks: dict, image: str | None = None) -> dict:
    """The issuer's Open Badges Profile, with every public key it has signed with (each `id`
    is the key's address, which the `kid` of what it signed names). `verificationMethod`,
    `JsonWebKey` and `publicKeyJwk` are terms of the W3C Controlled Identifiers context, so
    the document is well-defined JSON-LD. `image` is the logo as a data: URI."""
    profile = {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": profile_url,
        "type": ["Profile"],
        "name": name,
        "url": home_url,
        "verificationMethod": [
            {"id": key_url(key["kid"]), "type": "JsonWebKey", "controller": profile_url,
             "publicKeyJwk": key}
            for key in jwks["keys"]],
    }
    if image:
        profile["image"] = {"id": image, "type": "Image", "caption": f"Logo of {name}"}
    return profile


# --- signing ---------------------------------------------------------------------------

def sign_credential(credential: dict) -> str:
    """The credential as a VC-JWT: header {"alg": "ES256", "typ": "JWT", "kid": key URL}
    and, as payload, the credential itself plus the registered claims."""
    return sign_jwt({**credential, **registered_claims(credential)}, typ=CREDENTIAL_TYP)


def registered_claims(credential: dict) -> dict:
    """The JWT claims of Open Badges 3.0, section 8.2: iss = issuer id, jti = credential id,
    nbf = validFrom, exp = validUntil, and sub = credentialSubject.id (the holder's urn:uuid)."""
    claims = {"iss": _issuer_id(credential), "jti": credential["id"],
              "nbf": _numeric_date(credential["validFrom"])}
    if credential.get("validUntil"):
        claims["exp"] = _numeric_date(credential["validUntil"])
    subject_id = (credential.get("credentialSubject") or {}).get("id")
    if subject_id:
        claims["sub"] = subject_id
    return claims


def _issuer_id(credential: dict):
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _numeric_date(value: str) -> int:
    return int(parse_timestamp(value).timestamp())
