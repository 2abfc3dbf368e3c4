"""Security headers, cookie flags, the signed-in session's idle lifetime and proxy handling."""
from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline scripts or styles anywhere: the pages work without JavaScript, and the CSP
# makes an injected <script> inert even if sanitising ever missed one.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))

    def save_session(self, app, session, response):
        # A static file is the same for everyone: "Vary: Cookie" (added because Flask-Login
        # looks at the session on every request) would make browsers fetch it again after
        # every change to the session cookie, despite a year of caching.
        if request.endpoint == "static" and not session.modified:
            return
        if "_user_id" in session and not session.permanent:
            # Signed in: the cookie, and the signed timestamp inside it, last
            # PERMANENT_SESSION_LIFETIME from the last request (an idle session ends).
            session.permanent = True
        super().save_session(app, session, response)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    if app.config["TRUSTED_PROXIES"]:
        count = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.after_request(add_security_headers)
