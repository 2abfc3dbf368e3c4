"""Languages, time zones, dates and numbers: one place, through Flask-Babel.

Each person sees times in their own time zone (a setting on My account), or the
organization's (ORGANIZATION_TIME_ZONE) until they choose one; the zone is always named.
Interface strings are marked with gettext (`_` in templates) so `make messages` can
extract them; English is the only catalogue so far.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from flask import Flask, current_app
from flask_babel import Babel, format_date as babel_date, format_datetime as babel_datetime, format_decimal
from flask_babel import get_locale, get_timezone, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

LOCALES = ("en_US",)  # the catalogues that exist; Spanish comes later


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    """Every IANA zone name this machine knows (tzdata ships them), read once per process:
    available_timezones() walks the zone files, about 3 ms, and the check runs on every page
    of someone who chose a zone."""
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def all_time_zones() -> list[str]:
    """The zone names for the settings list, sorted."""
    return sorted(zone for zone in known_time_zones() if "/" in zone or zone == "UTC")


def is_time_zone(name: str | None) -> bool:
    return bool(name) and name in known_time_zones()


def time_zone_choices() -> dict:
    """Choices for a select, grouped: the organization's default, common US zones, then every other zone."""
    common = {zone for zone, _ in US_TIME_ZONES}
    return {None: [("", gettext("The organization's time zone (%(zone)s)",
                                zone=current_app.config["ORGANIZATION_TIME_ZONE"]))],
            gettext("United States"): US_TIME_ZONES,
            gettext("Everywhere else"): [(zone, zone.replace("_", " ")) for zone in all_time_zones() if zone not in common]}


def person_time_zone(user) -> str:
    """The zone `user` sees times in: their own setting, else the organization's."""
    own = getattr(user, "time_zone", None)
    return own if is_time_zone(own) else current_app.config["ORGANIZATION_TIME_ZONE"]


def _select_timezone() -> str:
    return person_time_zone(current_user if current_user and current_user.is_authenticated else None)


def _select_locale() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class LazyText(LazyString):
    """A message translated when it is shown (form labels and validator messages are made at
    import time, before anyone's language is known). Unlike Flask-Babel's own lazy string it
    is escaped on a page like any other text."""

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyText:
    """gettext, deferred until the text is shown; import it as `_l`."""
    return LazyText(gettext, string, **variables)


# The zones most people here live in, listed first on the settings form.
US_TIME_ZONES = [
    ("America/New_York", lazy_gettext("Eastern (New York)")),
    ("America/Chicago", lazy_gettext("Central (Chicago)")),
    ("America/Denver", lazy_gettext("Mountain (Denver)")),
    ("America/Phoenix", lazy_gettext("Mountain, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", lazy_gettext("Pacific (Los Angeles)")),
    ("America/Anchorage", lazy_gettext("Alaska (Anchorage)")),
    ("Pacific/Honolulu", lazy_gettext("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", lazy_gettext("Atlantic (Puerto Rico)")),
    ("Pacific/Guam", lazy_gettext("Chamorro (Guam)")),
]


def long_date(value: date | None) -> str:
    """A calendar date as people write it ("December 6, 2026"); dates have no time zone (a moment
    is first put in the reader's)."""
    return _long_date(value, str(get_locale()), str(get_timezone())) if value else ""


@lru_cache(maxsize=4096)
def _long_date(value: date, _locale: str, _timezone: str) -> str:
    """Formatting costs more than a page's queries, and the same few dates recur: once per
    date, language and time zone (the key; Flask-Babel reads both from the request)."""
    return babel_date(value, "long")


def date_time(value: datetime | None) -> str:
    """A moment in the reader's time zone, with the zone named ("December 6, 2026, 12:04 PM EST")."""
    if not value:
        return ""
    return babel_datetime(value, "MMMM d, y, h:mm a zzz")


def short_date_time(value: datetime | None) -> str:
    """A moment, compactly, for tables ("Dec 6, 12:04 PM EST")."""
    return babel_datetime(value, "MMM d, h:mm a zzz") if value else ""


def local_date(value: datetime) -> date:
    """The calendar day a moment falls on where the reader is."""
    return value.astimezone(ZoneInfo(str(get_timezone()))).date()


def init_localization(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    app.jinja_env.filters.update(date=long_date, datetime=date_time, short_datetime=short_date_time,
                                 number=format_decimal)
