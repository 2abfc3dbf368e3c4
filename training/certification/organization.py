"""The organization that issues certificates, as configured (ORGANIZATION_*,
CERTIFICATE_SIGNATORY_*): the one place the rest of the code asks for it."""
from __future__ import annotations

import base64

from flask import current_app

from training.mailer import organization_url


def organization() -> dict:
    """The issuing organization and its signatory as configured now, for a certificate about
    to be issued; the certificate keeps its own copy, so a later change alters nothing issued."""
    config = current_app.config
    return {"issuer_name": config["ORGANIZATION_NAME"], "issuer_url": organization_url(),
            "signatory_name": config["CERTIFICATE_SIGNATORY_NAME"],
            "signatory_title": config["CERTIFICATE_SIGNATORY_TITLE"]}


def logo_data_uri() -> str | None:
    """ORGANIZATION_LOGO as a data: URI (for the PDF and the issuer profile), or None."""
    logo = current_app.config.get("ORGANIZATION_LOGO")
    if not logo:
        return None
    content_type, data = logo
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
