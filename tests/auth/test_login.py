"""Signing in and out, remember me, rate limits and CSRF."""
from training.auth.views import LOGIN_FAILED
from training.extensions import db
from training.models import Role
from conftest import PASSWORD, Client


def test_sign_in_reaches_the_dashboard_and_records_the_time(client, make_user):
    user = make_user(Role.TRAINEE, email="Ana@Example.org")
    response = client.login("  ana@EXAMPLE.org ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"Hello, {user.display_name}" in page
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    make_user(Role.TRAINEE, email="ana@example.org")
    wrong = client.login("ana@example.org", "not the password")
    unknown = client.login("nobody@example.org", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert str(LOGIN_FAILED) in response.get_data(as_text=True)
    assert "not the password" not in wrong.get_data(as_text=True)


def test_invited_person_without_password_cannot_sign_in(client, make_user):
    user = make_user(Role.TRAINEE)
    user.password_hash = None
    db.session.commit()
    assert client.login(user.email, "").status_code == 400


def test_deactivated_account_cannot_sign_in_and_is_signed_out(client, make_user, login_as):
    user = make_user(Role.TRAINEE)
    login_as(user)
    user.is_active_account = False
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
    assert client.login(user.email).status_code == 400


def test_failed_attempts_are_limited_per_account(app, client, make_user):
    user = make_user(Role.TRAINEE)
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    for _ in range(limit):
        assert client.login(user.email, "wrong password").status_code == 400
    blocked = client.login(user.email)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Please wait" in blocked.get_data(as_text=True)
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60  # says how long


def test_successful_sign_ins_do_not_count_toward_the_limit(app, client, make_user):
    user = make_user(Role.TRAINEE)
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    for _ in range(limit + 2):
        assert client.login(user.email).status_code == 302
        client.post("/logout")


def test_failed_attempts_are_limited_per_address_across_accounts(app, client):
    limit = int(app.config["LOGIN_LIMIT_PER_IP"].split()[0])
    for n in range(limit):
        assert client.login(f"guess{n}@example.org", "wrong password").status_code == 400
    assert client.login("another@example.org", "wrong password").status_code == 429


def test_remember_me_sets_a_long_lived_http_only_cookie(client, make_user):
    user = make_user(Role.TRAINEE)
    response = client.login(user.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_without_remember_me_no_remember_cookie(client, make_user):
    user = make_user(Role.TRAINEE)
    cookies = client.login(user.email).headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token=") for c in cookies)


def test_logout_ends_the_session(client, make_user):
    user = make_user(Role.TRAINEE)
    client.login(user.email)
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_next_only_follows_local_paths(client, make_user):
    user = make_user(Role.STAFF)
    response = client.post("/login?next=/staff/people", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/staff/people")
    client.post("/logout")
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(f"/login?next={target}", {"email": user.email, "password": PASSWORD})
        assert response.headers["Location"].endswith("/dashboard"), target
        client.post("/logout")


def test_post_without_csrf_token_gets_a_readable_400(client, make_user):
    user = make_user(Role.TRAINEE)
    response = client.post("/login", {"email": user.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form had expired" in page and "Traceback" not in page
    assert client.get("/dashboard").status_code == 302  # nothing happened


def test_self_registration_is_off_by_default(client):
    assert client.get("/register").status_code == 404
    assert client.post("/register", {"email": "a@example.org"}).status_code == 404


def test_signing_out_ends_the_session_everywhere(app, make_user):
    """A copy of the session or remember-me cookie taken before signing out no longer works."""
    user = make_user(Role.TRAINEE)
    browser, thief = Client(app), Client(app)
    browser.login(user.email, remember="y")
    for cookie in browser.http._cookies.values():
        thief.http.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert thief.get("/dashboard").status_code == 200
    page = browser.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "signed out, here and on any other device" in page and "Sign in" in page
    assert thief.get("/dashboard").status_code == 302  # to the sign-in page


def test_a_signed_in_session_ends_after_the_idle_lifetime(app, client, make_user):
    user = make_user(Role.TRAINEE)
    response = client.login(user.email)
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" in session_cookie  # not a cookie that lives as long as the browser does
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
    # Renewed while in use, at most once a minute: not on the very next page...
    assert "session=" not in client.get("/dashboard").headers.get("Set-Cookie", "")
    app.config["SESSION_REFRESH_SECONDS"] = 0  # ...and once the minute has passed
    try:
        assert client.get("/dashboard").headers.get("Set-Cookie", "").startswith("session=")
    finally:
        app.config["SESSION_REFRESH_SECONDS"] = 60


def test_a_hash_made_with_other_parameters_is_replaced_at_the_next_sign_in(app, client, make_user):
    """Production's parameters are OWASP's Argon2id (19 MiB, t=2, p=1); a hash from the older,
    costlier profile is made again with them when its owner signs in."""
    from argon2 import PasswordHasher, extract_parameters, profiles

    from training.auth.passwords import OWASP
    user = make_user(Role.TRAINEE)
    user.password_hash = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(PASSWORD)
    db.session.commit()
    app.config["PASSWORD_HASH_PROFILE"] = "OWASP"
    try:
        assert client.login(user.email).status_code == 302
    finally:
        app.config["PASSWORD_HASH_PROFILE"] = "CHEAPEST"
    db.session.refresh(user)
    assert extract_parameters(user.password_hash) == OWASP


def test_guessing_from_elsewhere_does_not_lock_the_owner_out(app, make_user):
    """Failed sign-ins count per account and address; across all addresses a higher limit
    holds, and then the page offers a reset link, which gets the owner in at once."""
    user = make_user(Role.TRAINEE)
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    app.config["LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE"] = f"{limit + 2} per hour"  # before any attempt: its counter
    try:
        guesser, other, owner = Client(app), Client(app), Client(app)
        guesser.http.environ_base["REMOTE_ADDR"] = "203.0.113.7"
        other.http.environ_base["REMOTE_ADDR"] = "192.0.2.1"
        owner.http.environ_base["REMOTE_ADDR"] = "198.51.100.20"
        for _ in range(limit):
            assert guesser.login(user.email, "wrong password").status_code == 400
        assert guesser.login(user.email, "wrong password").status_code == 429
        assert owner.login(user.email).status_code == 302  # the owner, elsewhere, signs in
        owner.post("/logout")
        for _ in range(2):
            assert other.login(user.email, "wrong password").status_code == 400
        blocked = owner.login(user.email)
        page = blocked.get_data(as_text=True)
        assert blocked.status_code == 429 and "Get a link to choose a new password" in page
        assert "/password/forgot" in page and int(blocked.headers["Retry-After"]) > 0
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE"] = "50 per hour"


def test_wrong_current_passwords_are_limited_on_the_change_form(app, client, make_user):
    user = make_user(Role.TRAINEE)
    client.login(user.email)
    limit = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    new = {"password": "a lantern by the river", "confirm": "a lantern by the river"}
    for _ in range(limit):
        assert client.post("/account/password", {"current_password": "not it at all", **new}).status_code == 400
    assert client.post("/account/password", {"current_password": PASSWORD, **new}).status_code == 429
