"""What every template can use: roles and the navigation for the current person."""
from functools import lru_cache

from flask import Flask, request
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user
from markupsafe import Markup

from training.certification.issuance import status_word
from training.courses.contacthours import hours_text
from training.localization import lazy_gettext as _l
from training.models import Role
from training.notifications.delivery import unread_count
from training.rendering import render_markdown
from training.supervision.queue import waiting_count

# (endpoint, label, roles that see it); the first matching prefix marks the current page. Labels are
# lazy: the menu is built at import time, before anyone's language is known.
NAVIGATION = [
    ("dashboard.home", _l("Dashboard"), None),
    ("courses.index", _l("Courses"), None),
    ("labs.index", _l("Labs"), None),
    ("hours.log", _l("My hours"), {Role.TRAINEE}),
    ("competencies.index", _l("Competencies"), {Role.TRAINEE}),
    ("stories.index", _l("My story"), {Role.TRAINEE}),
    ("certification.index", _l("Certification"), {Role.TRAINEE}),
    ("certification.mine", _l("My certificates"), {Role.TRAINEE}),
    ("supervision.queue", _l("Review queue"), {Role.SUPERVISOR}),
    ("supervision.trainees", _l("My trainees"), {Role.SUPERVISOR}),
    ("staff.people", _l("People"), {Role.STAFF}),
    ("staff.cohorts", _l("Cohorts"), {Role.STAFF}),
    ("certstaff.index", _l("Certificates"), {Role.STAFF}),
    ("reports.index", _l("Reports"), {Role.STAFF}),
    ("authoring.index", _l("Authoring"), {Role.STAFF}),
    ("staff.outbox", _l("Outbox"), {Role.STAFF}),
    ("audit.log", _l("Audit log"), {Role.STAFF}),
    ("notifications.index", _l("Notifications"), None),
    ("account.profile", _l("My account"), None),
]


def navigation_for(user) -> list[tuple[str, str]]:
    """The menu for `user`; unread notifications and a supervisor's review queue show how many
    items wait (one query each)."""
    if not user.is_authenticated:
        return []
    items = [(endpoint, label) for endpoint, label, roles in NAVIGATION if roles is None or user.has_role(*roles)]
    if user.has_role(Role.SUPERVISOR):
        waiting = waiting_count(user)
        items = [(e, _("%(label)s (%(num)d)", label=label, num=waiting) if e == "supervision.queue" and waiting
                  else label) for e, label in items]
    unread = unread_count(user)  # "(3 unread)": in words, so a screen reader says what the number means
    items = [(e, ngettext("%(label)s (%(num)d unread)", "%(label)s (%(num)d unread)", unread, label=label)
              if e == "notifications.index" and unread else label) for e, label in items]
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
    app.jinja_env.globals["certificate_status_word"] = status_word
    @app.context_processor
    def inject_navigation():
        return {"Role": Role, "navigation": navigation_for(current_user),
                "current_endpoint": request.endpoint or "", "page_language": get_locale().language}

    @app.template_filter("markdown")
    def format_markdown(value):
        return markdown_snippet(str(value)) if value else ""

    @app.template_filter("markdown_inline")
    def format_markdown_inline(value):
        return markdown_inline(str(value)) if value else ""

    @app.template_filter("hours_minutes")
    def format_hours_minutes(minutes):
        return hours_text(minutes or 0)

