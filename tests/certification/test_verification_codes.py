"""The public verification page: the short code however it is typed, long codes as before,
and a status banner that cannot be mistaken (colour, icon and words)."""
import re
from datetime import date, timedelta

from tests.certification.conftest import counted_queries
from tests.certification.test_pdf import make_certificate as unsaved_certificate
from tests.certification.test_pdf import page_text
from training.certification.codes import is_long_code, short_code
from training.certification.pdf import render_pdf
from training.models import utcnow
from training.models.certificates import SHORT_CODE_ALPHABET, new_short_code

STORED = "K7Q29XPA3MZDH4TB"


def test_a_short_code_is_read_however_it_is_typed():
    for typed in ("K7Q2-9XPA-3MZD-H4TB", "k7q2 9xpa 3mzd h4tb", " K7Q2–9XPA—3MZD H4TB ", "k7q29xpa3mzdh4tb"):
        assert short_code(typed) == STORED, typed
    assert short_code("0I1L-0000-0000-0000") == short_code("O111-oooo-0000-0000") == "0111000000000000"
    for wrong in ("K7Q2-9XPA-3MZD", "K7Q2-9XPA-3MZD-H4TU", "K7Q2-9XPA-3MZD-H4TB-A", "", "x" * 300):
        assert short_code(wrong) is None, wrong
    long = "Il1O0abcdefghijklmnopqrstuvwx-_Z"
    assert is_long_code(long) and not is_long_code(long[:-1] + "!") and not is_long_code(STORED)
    codes = {new_short_code() for _ in range(50)}
    assert len(codes) == 50 and all(len(code) == 16 and set(code) <= set(SHORT_CODE_ALPHABET) for code in codes)


def test_the_short_code_finds_the_certificate_in_one_query(client, make_certificate):
    certificate = make_certificate(short_code=STORED)
    for typed in ("K7Q2-9XPA-3MZD-H4TB", "k7q2-9xpa-3mzd-h4tb", "K7Q29XPA3MZDH4TB"):
        page = client.get(f"/verify/{typed}")
        assert page.status_code == 200 and "Dana Q. Holder" in page.get_data(as_text=True), typed
    assert "K7Q2-9XPA-3MZD-H4TB" in page.get_data(as_text=True)  # shown for reading back
    for typed in ("k7q2 9xpa 3mzd h4tb", "K7Q2-9XPA-3MZD-H4TB", "http://example.org/verify/k7q2-9xpa-3mzd-h4tb"):
        redirect = client.get("/verify", query_string={"code": typed})
        assert redirect.headers["Location"].endswith("/verify/K7Q2-9XPA-3MZD-H4TB"), typed
    with counted_queries() as statements:
        assert client.get("/verify/k7q2-9xpa-3mzd-h4tb").status_code == 200
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1 and "certificates.short_code = " in queries[0]
    assert client.get("/verify/K7Q2-9XPA-3MZD-H4TB/credential.jwt").status_code == 200


def test_long_codes_keep_working_exactly_as_before(client, make_certificate):
    """A certificate issued before short codes existed: its printed long code and link still
    work, and the long code is still exact (folding its case would make two codes one)."""
    certificate = make_certificate(code="Il1O0abcdefghijklmnopqrstuvwx-_Z")
    assert client.get(f"/verify/{certificate.code}").status_code == 200
    assert client.get("/verify", query_string={"code": f" {certificate.code} "}).headers["Location"].endswith(
        f"/verify/{certificate.code}")
    unknown = [client.get(f"/verify/{code}") for code in (certificate.code.swapcase(), "AAAA-AAAA-AAAA-AAAA",
                                                           "short", "'; select 1 --")]
    assert {answer.status_code for answer in unknown} == {404}
    assert len({answer.get_data() for answer in unknown}) == 1


def test_a_pdf_prints_the_short_code_under_the_qr_code(app):
    with app.app_context():
        text = page_text(render_pdf(unsaved_certificate(short_code=STORED), "https://certify.example.org/verify/x"))
        old = page_text(render_pdf(unsaved_certificate(code="Il1O0abcdefghijklmnopqrstuvwx-_Z"),
                                   "https://certify.example.org/verify/Il1O0abcdefghijklmnopqrstuvwx-_Z"))
    assert "Verification code K7Q2-9XPA-3MZD-H4TB" in " ".join(text.split())
    assert "Verification code: Il1O0abcdefghijklmnopqrstuvwx-_Z" in " ".join(old.split())  # no short code yet


def test_each_status_has_its_own_banner_in_colour_icon_and_words(client, make_certificate):
    today = date.today()
    replacement = make_certificate()
    made = {
        "valid": make_certificate(),
        "upcoming": make_certificate(valid_from=today + timedelta(days=20), expires_on=today + timedelta(days=750)),
        "expired": make_certificate(valid_from=today - timedelta(days=800), expires_on=today - timedelta(days=70)),
        "revoked": make_certificate(revoked=True, revoked_reason="Issued in error"),
        "superseded": make_certificate(superseded_by_id=replacement.id, superseded_at=utcnow(),
                                       supersede_reason="Legal name changed"),
    }
    words = {"valid": "Valid", "upcoming": "Not in force yet", "expired": "Expired: not valid",
             "revoked": "Revoked: not valid", "superseded": "Replaced: not valid"}
    icons = set()
    for status, certificate in made.items():
        page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
        banner = re.search(r'<div class="verdict verdict-(\w+)" id="status" role="status">(.*?)</div>\s*</div>',
                           page, re.S)
        assert banner and banner.group(1) == status, status
        assert f'<p class="verdict-word">{words[status]}</p>' in banner.group(2)
        icon = re.search(r'<svg class="verdict-icon" aria-hidden="true".*?</svg>', banner.group(2), re.S)
        assert icon, status
        icons.add(icon.group(0))
        if status != "valid":
            assert "This certificate is valid" not in page and "verdict-valid" not in page
    assert len(icons) == len(made)  # every status has an icon of its own
