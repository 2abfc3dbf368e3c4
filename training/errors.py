"""Readable error pages; a person never sees a stack trace."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from training.extensions import db
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


def render_error(status: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title or default_title,
                           message=message or default_message), status


def init_app(app: Flask) -> None:
    for status in MESSAGES:
        if status != 500:
            app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _("This form had expired"),
            _("For your safety, forms can only be sent from a page you opened here. Nothing was "
              "saved. Please go back, reload the page and send the form again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
