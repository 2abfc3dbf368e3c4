"""What every template can use: roles and the navigation for the current person."""
from flask import Flask, request
from flask_login import current_user

from training.models import Role

# (endpoint, label, roles that see it); the first matching prefix marks the current page.
NAVIGATION = [
    ("dashboard.home", "Dashboard", None),
    ("courses.index", "Courses", None),
    ("supervision.trainees", "My trainees", {Role.SUPERVISOR}),
    ("staff.people", "People", {Role.STAFF}),
    ("staff.cohorts", "Cohorts", {Role.STAFF}),
    ("authoring.index", "Authoring", {Role.STAFF}),
    ("staff.outbox", "Outbox", {Role.STAFF}),
    ("account.profile", "My account", None),
]


def navigation_for(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles in NAVIGATION
            if roles is None or user.has_role(*roles)]


def init_templating(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    @app.context_processor
    def inject_navigation():
        return {"Role": Role, "navigation": navigation_for(current_user),
                "current_endpoint": request.endpoint or ""}

    @app.template_filter("date")
    def format_date(value):
        return value.strftime("%-d %B %Y") if value else ""

    @app.template_filter("datetime")
    def format_datetime(value):
        return value.strftime("%-d %B %Y, %H:%M UTC") if value else ""
