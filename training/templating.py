"""What every template can use: roles and the navigation for the current person."""
from functools import lru_cache

from flask import Flask, current_app, get_template_attribute, request
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from training.certification.issuance import status_word
from training.courses.contacthours import hours_text
from training.extensions import Kept
from training.localization import lazy_gettext as _l
from training.models import Role
from training.notifications.delivery import menu_unread
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


MENU_SLOT = "@@csrf-token@@"  # where the person's sign-out token goes in a cached menu
_menus = Kept(1024)  # (language, script root, roles, counts, page)


def navigation_for(user, waiting: int = 0, unread: int = 0) -> list[tuple[str, str]]:
    """The menu for `user`: (endpoint, label) pairs; the review queue and notifications show how
    many items wait (`waiting`, `unread`)."""
    items = [(endpoint, label) for endpoint, label, roles in NAVIGATION if roles is None or user.has_role(*roles)]
    if waiting:
        items = [(e, _("%(label)s (%(num)d)", label=label, num=waiting) if e == "supervision.queue" else label)
                 for e, label in items]
    if unread:  # "(3 unread)": in words, so a screen reader says what the number means
        items = [(e, ngettext("%(label)s (%(num)d unread)", "%(label)s (%(num)d unread)", unread, label=label)
                  if e == "notifications.index" else label) for e, label in items]
    return items


_frames = Kept(64)  # (part, language, script root)


class Frame:
    """What base.html puts around a page, for one render: the parts that are the same for
    everyone (templates/_frame.html: the site's name, style sheet, skip link, brand and footer)
    and the main menu, each rendered once per process and language (the menu also per roles,
    page and counts), so that a page renders only its own content. The language is looked up
    once per render, not by every part."""

    def __init__(self):
        self.locale = get_locale()
        self.key = (str(self.locale), request.script_root)

    def part(self, name: str) -> Markup:
        """A part of _frame.html. In debug mode it is rendered every time, so an edited
        template or style sheet shows at once."""
        render = get_template_attribute("_frame.html", name)
        return render() if current_app.debug else _frames.get((name, *self.key), render)

    def menu(self) -> Markup:
        """The signed-in person's main menu. Its counts are read on every page (unread
        notifications with the person, a supervisor's waiting items in one query); the person's
        own sign-out token is put into the cached HTML."""
        user = current_user._get_current_object()
        if not user.is_authenticated:
            return Markup("")
        roles = frozenset(user.roles)
        waiting = waiting_count(user) if Role.SUPERVISOR in roles else 0
        unread = menu_unread(user)
        endpoint = request.endpoint or ""

        def render():
            html = get_template_attribute("_menu.html", "menu")(navigation_for(user, waiting, unread), endpoint,
                                                                MENU_SLOT)
            return tuple(Markup(part) for part in str(html).split(MENU_SLOT))
        parts = _menus.get((*self.key, roles, waiting, unread, endpoint), render)
        return parts[0] + generate_csrf() + parts[1]


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
        frame = Frame()
        return {"Role": Role, "frame": frame, "page_language": frame.locale.language}

    @app.template_filter("markdown")
    def format_markdown(value):
        return markdown_snippet(str(value)) if value else ""

    @app.template_filter("markdown_inline")
    def format_markdown_inline(value):
        return markdown_inline(str(value)) if value else ""

    @app.template_filter("hours_minutes")
    def format_hours_minutes(minutes):
        return hours_text(minutes or 0)

