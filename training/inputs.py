"""Hostile input, handled in one place for every route and form.

- Ids in URLs are whole numbers from 1 to 2**31 - 1 (the database's integer): anything
  else is "not found", never a database error.
- Text with a NUL byte is refused before any view runs (PostgreSQL can neither store nor
  compare it): in a form, a query or an uploaded file's name it is a readable 400, and an
  address holding one is "not found".
- Numbers typed in forms are finite: "NaN", "sNaN" and "Infinity" are refused with a
  readable message, and so are whole numbers too big for the database.
- Dates typed in forms are between the years 1900 and 2999.
- Ids and indexes read from a form or a query go through `whole_number`.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DecimalField, IntegerField

from training.errors import render_error

MAX_ID = 2**31 - 1
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a positive id the database can hold."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def refuse_nul_bytes():
    """Before every request: no page has a NUL byte in its address (404), and text sent
    cannot carry one (a readable 400, nothing stored)."""
    if "\x00" in request.path:
        return render_error(404)
    if any("\x00" in text for text in _sent_text()):
        return render_error(400, _("Something in that form could not be read"),
                            _("A field held a hidden control character (a NUL byte), so nothing was "
                              "saved. Please retype the text and send the form again."))
    return None


def _sent_text():
    """The names and values of the query and form fields, and the names of uploaded files
    (they are stored with the file)."""
    for values in (request.args, request.form):
        for name, items in values.lists():
            yield name
            yield from items
    for name, uploads in request.files.lists():
        yield name
        yield from (upload.filename or "" for upload in uploads)


def whole_number(text: str | None, maximum: int = MAX_ID) -> int | None:
    """A whole number written in plain digits (0-9 only: "²" and "٣" are digits to Python,
    but not numbers a form sends), from 0 to `maximum`; None for anything else. The one way
    views read an id or an index from a form or a query."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


class FiniteDecimalField(DecimalField):
    """A decimal number that is a real number: not NaN, sNaN or Infinity."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal):
            try:
                finite = self.data.is_finite()
            except InvalidOperation:
                finite = False
            if not finite:
                self.data = None
                raise ValueError(_("Please enter a number, such as 1.5."))


class BoundedIntegerField(IntegerField):
    """A whole number the database can store."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, int) and not -MAX_ID <= self.data <= MAX_ID:
            self.data = None
            raise ValueError(_("Please enter a smaller whole number."))


class BoundedDateField(DateField):
    """A date written as YYYY-MM-DD, in a plausible range of years."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, date) and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(_("Please enter a date between %(earliest)d and %(latest)d, like 2026-11-20.",
                               earliest=EARLIEST_YEAR, latest=LATEST_YEAR))


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
