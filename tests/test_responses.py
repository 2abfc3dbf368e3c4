"""Pages light on the wire: compressed answers (never beside a secret and chosen input), static
files under versioned addresses cached for a year, and the favicon."""
import gzip
import hashlib
import re

import brotli
from flask import url_for
from flask_wtf.csrf import generate_csrf

from training.config import PROJECT_ROOT
from training.responses import compress_response
from training.models import Role

STATIC = PROJECT_ROOT / "static"


def test_pages_are_compressed_unless_the_csrf_token_sits_beside_input_another_site_chose(client, login_as):
    login_as(Role.STAFF)
    plain = client.get("/dashboard")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert len(plain.data) > 500  # big enough to be worth compressing

    zipped = client.get("/dashboard", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    page = gzip.decompress(zipped.data).decode()
    assert page.rstrip().endswith("</html>") and 'name="csrf_token"' in page
    assert len(zipped.data) < len(plain.data) / 2
    squeezed = client.get("/dashboard", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data).decode().rstrip().endswith("</html>")

    # BREACH: a token next to text chosen by another site (a query string, a form) is sent as it is.
    guessed = client.get("/staff/certification/certificates?expiring=csrf_token", headers={"Accept-Encoding": "gzip"})
    assert guessed.status_code == 200 and "Content-Encoding" not in guessed.headers


def test_a_form_answer_that_holds_the_token_is_never_compressed(app):
    for method, compressed in (("POST", False), ("PUT", False), ("GET", True)):
        with app.test_request_context("/form", method=method, headers={"Accept-Encoding": "gzip"}):
            generate_csrf()  # what a template does when it draws a form
            page = app.response_class("<p>What you sent: ...</p>" * 100, mimetype="text/html")
            assert ("Content-Encoding" in compress_response(page).headers) is compressed, method


def test_static_files_have_versioned_addresses_cached_for_a_year(app, client):
    css = (STATIC / "css" / "site.css").read_bytes()
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
        assert url_for("static", filename="no/such/file.css") == "/static/no/such/file.css"
    assert url == f"/static/css/site.css?v={hashlib.sha256(css).hexdigest()[:12]}"
    assert f'href="{url}"' in client.get("/login").get_data(as_text=True)

    with client.get(url) as versioned:
        assert versioned.status_code == 200 and versioned.data == css
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Cookie" not in versioned.headers.get("Vary", "")  # else a new session cookie fetches it again
    for unversioned in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        with client.get(unversioned) as response:
            assert response.headers["Cache-Control"] == "public, max-age=300"
    with client.get(url, headers={"Accept-Encoding": "gzip"}) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == css


def test_every_page_names_a_small_local_favicon(client):
    page = client.get("/login").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link and link.group(1).startswith("/static/favicon.svg?v=")
    with client.get(link.group(1)) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        svg = icon.get_data(as_text=True)
    assert len(svg) < 1024 and svg.count("http") == 1  # the namespace only: nothing fetched from elsewhere
