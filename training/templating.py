"""What every template can use: roles and the navigation for the current person."""
from functools import lru_cache

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup

from training.courses.contacthours import hours_text
from training.models import Role
from training.rendering import render_markdown
from training.supervision.queue import waiting_count

# (endpoint, label, roles that see it); the first matching prefix marks the current page.
NAVIGATION = [
    ("dashboard.home", "Dashboard", None),
    ("courses.index", "Courses", None),
    ("labs.index", "Labs", None),
    ("hours.log", "My hours", {Role.TRAINEE}),
    ("competencies.index", "Competencies", {Role.TRAINEE}),
    ("stories.index", "My story", {Role.TRAINEE}),
    ("certification.index", "Certification", {Role.TRAINEE}),
    ("certification.mine", "My certificates", {Role.TRAINEE}),
    ("supervision.queue", "Review queue", {Role.SUPERVISOR}),
    ("supervision.trainees", "My trainees", {Role.SUPERVISOR}),
    ("staff.people", "People", {Role.STAFF}),
    ("staff.cohorts", "Cohorts", {Role.STAFF}),
    ("certstaff.index", "Certificates", {Role.STAFF}),
    ("authoring.index", "Authoring", {Role.STAFF}),
    ("staff.outbox", "Outbox", {Role.STAFF}),
    ("account.profile", "My account", None),
]


def navigation_for(user) -> list[tuple[str, str]]:
    """The menu for `user`; a supervisor's review queue shows how many items wait (one query each)."""
    if not user.is_authenticated:
        return []
    items = [(endpoint, label) for endpoint, label, roles in NAVIGATION if roles is None or user.has_role(*roles)]
    if user.has_role(Role.SUPERVISOR):
        waiting = waiting_count(user)
        items = [(e, f"{label} ({waiting})" if e == "supervision.queue" and waiting else label) for e, label in items]
    return items


@lru_cache(maxsize=8192)
def markdown_snippet(text: str) -> Markup:
    """Short Markdown (a quiz prompt, an option, feedback) rendered and sanitised once per
    process: the same texts appear on many pages and never change meaning."""
    return Markup(render_markdown(text).html)


@lru_cache(maxsize=8192)
def markdown_inline(text: str) -> Markup:
    """Like markdown_snippet, without the paragraph around a one-paragraph text, for places
    that take only inline content (labels, legends, table cells)."""
    html = render_markdown(text).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def init_templating(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    @app.context_processor
    def inject_navigation():
        return {"Role": Role, "navigation": navigation_for(current_user),
                "current_endpoint": request.endpoint or ""}

    @app.template_filter("markdown")
    def format_markdown(value):
        return markdown_snippet(str(value)) if value else ""

    @app.template_filter("markdown_inline")
    def format_markdown_inline(value):
        return markdown_inline(str(value)) if value else ""

    @app.template_filter("hours_minutes")
    def format_hours_minutes(minutes):
        return hours_text(minutes or 0)

    @app.template_filter("date")
    def format_date(value):
        return value.strftime("%-d %B %Y") if value else ""

    @app.template_filter("datetime")
    def format_datetime(value):
        return value.strftime("%-d %B %Y, %H:%M UTC") if value else ""
