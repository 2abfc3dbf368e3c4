"""Readable error pages; a person never sees a stack trace. When the database does not
answer, every page gets a 503 that needs no database (and a Retry-After); the next request
after it returns is served normally (the pool checks connections before use)."""
import logging
import time

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc, text

from training.extensions import db, limiter
from training.localization import lazy_gettext as _l

# Lazy: made at import time, translated when a page shows them.
MESSAGES = {
    400: (_l("Something in that request was not right"),
          _l("The page could not use what was sent. Please go back, reload the page and try again.")),
    403: (_l("This page is not part of your role"),
          _l("Your account does not have access to this page. If you think it should, please ask "
             "your program staff.")),
    404: (_l("We could not find that page"),
          _l("The address may be mistyped, or the page may have moved.")),
    405: (_l("That action is not available here"),
          _l("Please use the buttons and links on the page.")),
    410: (_l("This link can no longer be used"),
          _l("It has expired or has already been used.")),
    413: (_l("That was more than we can accept at once"),
          _l("Please send something smaller.")),
    429: (_l("Please wait a little before trying again"),
          _l("There have been many attempts in a short time. This pause protects your account.")),
    500: (_l("Something went wrong on our side"),
          _l("It is not your fault, and nothing you did caused it. Please try again in a moment.")),
}


RETRY_AFTER_SECONDS = 30
# The database did not answer: refused, dropped, timed out, or (SQLite) locked too long.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
log = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except UNAVAILABLE:
        db.session.rollback()
        return False


def redis_answers() -> bool:
    """The rate limits' shared storage answers (Flask-Limiter's own health check)."""
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 (any failure of the storage means it does not answer)
        return False


def render_unavailable():
    """The page for 'the database does not answer': a template that reads nothing from the
    database (not even who is signed in)."""
    try:
        db.session.rollback()
    except UNAVAILABLE:
        pass
    template = current_app.jinja_env.get_template("errors/unavailable.html")  # no context processors
    body = template.render(retry_after=RETRY_AFTER_SECONDS, language=current_app.config["BABEL_DEFAULT_LOCALE"])
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def render_error(status: int, title: str | None = None, message: str | None = None,
                 link: tuple[str, str] | None = None):
    """An error page; `link` (address, words) is the next step to offer first."""
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title or default_title,
                           message=message or default_message, link=link), status


def init_app(app: Flask) -> None:
    for status in MESSAGES:
        if status not in (429, 500):
            app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(429)
    def too_many(error):
        """Say when trying again will work (Retry-After, in seconds); at sign-in, that a reset
        link gets the person in at once."""
        if request.endpoint == "auth.login":
            body, status = render_error(429, message=_(
                "There have been many attempts to sign in to this account in a short time, so it is "
                "paused for a while to protect it. You can sign in at once by choosing a new password "
                "with a link sent to your email."), link=(url_for("auth.forgot_password"), _("Get a link to choose a new password")))
        else:
            body, status = render_error(429)
        current = limiter.current_limit
        wait = max(1, int(current.reset_at - time.time())) if current else 60
        return body, status, {"Retry-After": str(wait)}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _("This form had expired"),
            _("For your safety, forms can only be sent from a page you opened here. Nothing was "
              "saved. Please go back, reload the page and send the form again."))

    @app.errorhandler(UNAVAILABLE[0])
    @app.errorhandler(UNAVAILABLE[1])
    @app.errorhandler(UNAVAILABLE[2])
    def database_unavailable(error):
        log.error("The database did not answer: %s", str(error).splitlines()[0] if str(error) else error)
        return render_unavailable()

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
