"""Security headers, cookie flags, the signed-in session's idle lifetime and proxy handling."""
from datetime import datetime, timezone

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
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
    """Marks the session cookie Secure whenever the request came over HTTPS, and renews a
    signed-in cookie (which ends after PERMANENT_SESSION_LIFETIME idle) at most once every
    SESSION_REFRESH_SECONDS rather than on every response: re-signing and sending it costs more
    than many a page, and an idle session then ends at most that much later."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                                               return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app, session):
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or \
            (datetime.now(timezone.utc) - signed_at).total_seconds() >= app.config["SESSION_REFRESH_SECONDS"]

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
