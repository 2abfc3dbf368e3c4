"""The certificate PDF: one US Letter landscape page carrying the stored facts as text, a QR code of
the verification URL, names as text (never markup), tagged PDF/UA metadata, and no network."""
from __future__ import annotations

import io
import re
import socket
import urllib.parse
import urllib.request
from datetime import date, datetime, timezone

import pytest
import segno
from pypdf import PdfReader

from training.certification.pdf import (DataOnlyFetcher, certificate_html, html_to_pdf, long_date, render_pdf,
                                        verification_qr)
from training.models import Certificate

VERIFY_URL = "https://certify.example.org/verify/K7Q2-9XPA-3MZD"
LETTER_LANDSCAPE = (792, 612)  # points: the paper US credentials are printed on
TRICKY_NAME = 'Zoë <script>alert("x")</script> & Ångström-Øberg <img src="http://example.invalid/x.png">'


def make_certificate(**fields) -> Certificate:
    """An unsaved certificate: rendering needs nothing from the database."""
    values = {
        "number": "PSS-2026-000123", "code": "K7Q2-9XPA-3MZD", "holder_id": 1, "track": "pss",
        "track_title": "Certified Peer Support Specialist", "issuer_name": "Peer Support Certification Board",
        "legal_name": "Amélie Dubois-Nguyễn", "cycle": 1, "edition": 1,
        "valid_from": date(2026, 11, 22), "expires_on": date(2028, 11, 22),
        "issued_at": datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc),
    }
    return Certificate(**{**values, **fields})


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def squeezed(text: str) -> str:
    """Text without whitespace: a long URL may wrap anywhere on the page."""
    return "".join(text.split())


def one_line(text: str) -> str:
    """Text with every run of whitespace, line breaks included, as one space."""
    return " ".join(text.split())


@pytest.fixture()
def no_network(monkeypatch):
    """Records (and blocks) every attempt to resolve a host, open a connection, or open an
    http, https, ftp or file URL; data: URIs stay allowed."""
    attempts = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append((what, args))
            raise OSError(f"network access during a certificate render: {what}")
        return blocked
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    for handler, method in ((urllib.request.HTTPHandler, "http_open"), (urllib.request.HTTPSHandler, "https_open"),
                            (urllib.request.FTPHandler, "ftp_open"), (urllib.request.FileHandler, "file_open")):
        monkeypatch.setattr(handler, method, refuse(method))
    return attempts


@pytest.fixture(scope="module")
def rendered(app):
    """One first-issue certificate rendered once for the tests that only read it."""
    with app.app_context():
        return render_pdf(make_certificate(), VERIFY_URL)


@pytest.fixture()
def app_context(app):
    with app.app_context():
        yield


def test_is_a_single_landscape_letter_page(rendered):
    assert rendered.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(rendered))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert width > height
    assert width == pytest.approx(LETTER_LANDSCAPE[0], abs=1)
    assert height == pytest.approx(LETTER_LANDSCAPE[1], abs=1)


def test_shows_the_stored_facts_and_the_address_to_type(rendered):
    text = page_text(rendered)
    for expected in ("Peer Support Certification Board".upper(), "certifies that", "Amélie Dubois-Nguyễn",
                     "Certified Peer Support Specialist", "PSS-2026-000123", "November 22, 2026",
                     "November 22, 2028", "Check this certificate at"):
        assert expected in text
    assert "CERTIFICATE NUMBER" in text  # the label, set in small capitals
    assert VERIFY_URL in squeezed(text)
    assert "Renewed" not in text and "Reissued" not in text
    assert "Valid from".upper() not in text  # a first issue is valid from its issue date


def test_renewal_and_reissue_are_stated(app_context):
    certificate = make_certificate(cycle=2, edition=3, valid_from=date(2028, 11, 22), expires_on=date(2030, 11, 22))
    text = page_text(render_pdf(certificate, VERIFY_URL))
    assert "Renewed certification, cycle 2" in text
    assert "Reissued, edition 3" in text
    assert "VALID FROM" in text and "November 22, 2028" in text and "November 22, 2030" in text


def test_sets_title_author_language_and_is_tagged_pdf_ua(rendered):
    reader = PdfReader(io.BytesIO(rendered))
    assert reader.metadata.title == "Certified Peer Support Specialist — Amélie Dubois-Nguyễn"
    assert reader.metadata.author == "Peer Support Certification Board"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp


def struct_elements(node):
    """Every structure element under `node` in a tagged PDF's structure tree."""
    node = node.get_object()
    if node.get("/Type") == "/StructElem":
        yield node
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            yield from struct_elements(kid)


def test_the_qr_code_is_a_figure_with_a_text_alternative(rendered):
    root = PdfReader(io.BytesIO(rendered)).trailer["/Root"]["/StructTreeRoot"]
    figures = [element for element in struct_elements(root) if element["/S"] == "/Figure"]
    assert [figure["/Alt"] for figure in figures] == [f"QR code linking to {VERIFY_URL}"]


def svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) drawn by segno's SVG path: `M x y` and `m dx dy` move,
    `h n` draws a run of n modules along the line at y + 0.5."""
    path = re.search(r"\bd='([^']+)'", svg).group(1)
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([MmHh])([^MmHh]*)", path):
        values = [float(n) for n in numbers.replace(",", " ").split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            end = values[0] if command == "H" else x + values[0]
            dark.update((column, int(y)) for column in range(int(x), int(end)))
            x = end
    return dark


def test_the_qr_code_on_the_page_encodes_the_verification_url(app_context):
    """No QR decoder is installed, so read the modules back from the SVG embedded in the page
    and compare them with segno's own symbol for the URL, at medium error correction."""
    html = certificate_html(make_certificate(), VERIFY_URL)
    uri = re.search(r'<img class="qr" src="([^"]+)"', html).group(1)
    assert uri.startswith("data:image/svg+xml")
    svg = urllib.parse.unquote(uri.split(",", 1)[1].replace("&amp;", "&").replace("&#39;", "'"))

    expected = segno.make_qr(VERIFY_URL, error="m")
    border = 4
    expected_dark = {(column + border, row + border) for row, line in enumerate(expected.matrix)
                     for column, module in enumerate(line) if module}
    assert svg_dark_modules(svg) == expected_dark
    assert verification_qr(VERIFY_URL).error in ("M", "Q", "H")
    assert not verification_qr(VERIFY_URL).is_micro


def test_names_are_text_not_markup(app_context, no_network):
    certificate = make_certificate(legal_name=TRICKY_NAME, track_title='Peer "Support" & <b>Recovery</b>')
    html = certificate_html(certificate, VERIFY_URL)
    assert "<script>" not in html and "<b>Recovery" not in html
    assert html.count("<img") == 1  # the QR code only

    pdf = render_pdf(certificate, VERIFY_URL)
    text = page_text(pdf)
    assert TRICKY_NAME in one_line(text)  # wrapped on the page, but all of it, as typed
    assert 'Peer "Support" & <b>Recovery</b>' in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title == f'Peer "Support" & <b>Recovery</b> — {TRICKY_NAME}'
    assert no_network == []


def test_right_to_left_and_accented_names_render(app_context):
    name = "مريم العلي"
    pdf = render_pdf(make_certificate(legal_name=name), VERIFY_URL)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title.endswith(name)
    assert "مريم" in reader.pages[0].extract_text()


def test_the_longest_fields_still_fit_on_one_page(app_context):
    certificate = make_certificate(
        legal_name=("Maximilienne-Alexandrine Wolfeschlegelsteinhausen " * 5)[:200],
        track_title=("Certified Peer Support Specialist in Community Mental Health " * 4)[:200],
        issuer_name=("Statewide Peer Support Certification Board and Workforce Council " * 4)[:200],
        cycle=12, edition=9, valid_from=date(2026, 12, 1), short_code="K7Q29XPA3MZDH4TB")
    long_url = "https://certificates.peer-support-certification.example.org/verify/" + "K7Q2-9XPA-3MZD-" * 5
    pdf = render_pdf(certificate, long_url)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert long_url in squeezed(page_text(pdf))


def test_rendering_twice_gives_the_same_document(app_context, rendered):
    again = render_pdf(make_certificate(), VERIFY_URL)
    assert page_text(again) == page_text(rendered)
    assert again == rendered  # byte for byte: nothing on the page comes from the clock


def test_depends_on_the_certificate_not_the_holders_profile(app_context, make_user):
    holder = make_user(legal_name="Current Profile Name")
    certificate = make_certificate(holder_id=holder.id, legal_name="Name At Issue")
    text = page_text(render_pdf(certificate, VERIFY_URL))
    assert "Name At Issue" in text
    assert "Current Profile Name" not in text and holder.display_name not in text


def test_needs_the_issue_time(app_context):
    with pytest.raises(ValueError, match="issue time"):
        certificate_html(make_certificate(issued_at=None), VERIFY_URL)


@pytest.mark.parametrize("url", [
    "http://example.invalid/x.png", "https://example.invalid/x.png", "file:///etc/passwd",
    "ftp://example.invalid/x", "//example.invalid/x.png",
])
def test_the_fetcher_refuses_everything_but_data_uris(url, no_network):
    with pytest.raises(ValueError):
        DataOnlyFetcher()(url)
    assert no_network == []


def test_the_fetcher_serves_data_uris():
    assert DataOnlyFetcher()("data:text/plain,hello").read() == b"hello"


def test_an_external_image_in_the_html_is_never_fetched(no_network):
    html = ('<html lang="en"><title>t</title><img src="http://example.invalid/x.png" alt="a">'
            '<img src="file:///etc/hostname" alt="b"><p style="background: url(https://example.invalid/b.png)">x</p>')
    assert html_to_pdf(html).startswith(b"%PDF-")
    assert no_network == []


def test_long_date():
    assert long_date(date(2026, 11, 22)) == "November 22, 2026"
    assert long_date(date(2027, 1, 5)) == "January 5, 2027"
