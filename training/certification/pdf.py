"""The certificate as a PDF: rendered once at issue, stored, and served as stored.

Everything on the page comes from the certificate's own stored fields and the verification
URL passed in; never from the holder's current profile, the signed-in person or the clock.
The page is drawn offline: the only resources WeasyPrint may load are data: URIs (the QR
code), so a name or title can never make the renderer reach the network or the disk.
"""
from __future__ import annotations

from datetime import date

import segno
from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from training.certification.credentials import credential_name
from training.certification.organization import logo_data_uri
from training.models import Certificate

TEMPLATE = "certificates/pdf.html"

# Month names spelled out here rather than with strftime("%B"), which follows the process
# locale: a stored certificate must not change wording with the server's settings.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# A name or title longer than this is set smaller, so that the longest ones the model
# allows (200 characters each) still fit on the one page.
LONG_NAME = 40
LONG_TITLE = 60


class DataOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves data: URIs and refuses every other URL
    (http, https, file, ftp...) before any connection or file access is attempted."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            raise ValueError(f"certificate PDFs load no external resources: {url[:80]}")
        return super().fetch(url, headers)


def verification_qr(verify_url: str) -> segno.QRCode:
    """The QR code printed on the certificate: a full QR symbol (never Micro QR) with at
    least medium error correction, so a creased or smudged print still scans."""
    return segno.make_qr(verify_url, error="m")


def long_date(value: date) -> str:
    """A date as it reads on a US certificate: November 22, 2026."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def certificate_notes(certificate: Certificate) -> list[str]:
    """What sets this certificate apart from a first issue: a renewal cycle, a reissue, a
    correction of a revoked certificate (named from the stored summary)."""
    notes = []
    if certificate.cycle > 1:
        notes.append(f"Renewed certification, cycle {certificate.cycle}")
    corrects = (certificate.summary or {}).get("corrects")
    if corrects:
        notes.append(f"Corrected certificate, replacing {corrects}")
    elif certificate.edition > 1:
        notes.append(f"Reissued, edition {certificate.edition}")
    return notes


def certificate_html(certificate: Certificate, verify_url: str) -> str:
    """The certificate page as HTML, from the certificate's stored fields only.

    Rendered from the app's Jinja environment (autoescaped, as for every .html template)
    but without render_template: context processors would bring in the signed-in person
    and the navigation, which have no place on a stored document.
    """
    if certificate.issued_at is None:
        raise ValueError("the certificate has no issue time yet: flush it (or set issued_at) before rendering")
    issued_on = certificate.issued_at.date()
    qr_code = verification_qr(verify_url)
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(
        certificate=certificate,
        title=credential_name(certificate),
        completion=certificate.kind == "completion",
        logo_uri=logo_data_uri(),
        verify_url=verify_url,
        # Certificates issued before short codes existed print their long code instead.
        short_code=certificate.printed_code,
        qr_uri=qr_code.svg_data_uri(scale=1, border=4, omitsize=True, dark="#1d2b36"),
        issued_on=long_date(issued_on),
        valid_from=None if certificate.valid_from == issued_on else long_date(certificate.valid_from),
        expires_on=long_date(certificate.expires_on) if certificate.expires_on else None,
        created=certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        notes=certificate_notes(certificate),
        long_name=len(certificate.legal_name) > LONG_NAME,
        long_title=len(certificate.course_title or certificate.track_title) > LONG_TITLE,
    )


def html_to_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 from certificate HTML, with no network or file access."""
    return HTML(string=html, url_fetcher=DataOnlyFetcher()).write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a one-page US Letter landscape PDF, tagged for screen readers (PDF/UA-1),
    with a QR code and the printed address of `verify_url`. Needs an app context."""
    return html_to_pdf(certificate_html(certificate, verify_url))
