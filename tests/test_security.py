"""Headers, cookies and error pages that protect every page."""
from flask import Blueprint

from training import create_app

from training.models import Role


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_secure_over_https(client, make_user):
    user = make_user(Role.TRAINEE)
    token = client.csrf_token()
    response = client.http.post("/login", data={"email": user.email, "password": "correct horse battery",
                                                "csrf_token": token},
                                base_url="https://localhost")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert "Strict-Transport-Security" in response.headers


def test_pages_have_no_inline_script(client, login_as):
    login_as(Role.STAFF)
    for url in ("/login", "/dashboard", "/staff/people", "/staff/cohorts", "/account/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page and " onclick=" not in page, url


def test_server_error_page_is_kind_and_shows_no_trace(tmp_path):
    app = create_app({"ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.sqlite3'}"})
    bp = Blueprint("boom", __name__)

    @bp.route("/boom")
    def boom():
        raise RuntimeError("secret internals")
    app.register_blueprint(bp)
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "secret internals" not in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "We could not find that page" in response.get_data(as_text=True)
