"""Reports as files: CSV streamed row by row, XLSX written by openpyxl in write-only mode.
Both have the same columns; no cell can run as a formula in a spreadsheet."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[str, Callable[[object], object]]  # (header, value of a row)


def safe_cell(value: object) -> object:
    """A cell value a spreadsheet shows as written: text that would start a formula gets a
    leading apostrophe; numbers and dates stay what they are."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (bool, int, float, date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(columns: list[Column], rows: Iterable[object]) -> Iterator[str]:
    """The CSV text, one line at a time (a generator: nothing is built up in memory). A byte
    order mark first, so spreadsheet programs read the names' accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text
    writer.writerow([safe_cell(header) for header, _value in columns])
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([safe_cell(value(row)) for _header, value in columns])
        yield flush()


def xlsx_bytes(title: str, columns: list[Column], rows: Iterable[object]) -> bytes:
    """The report as an XLSX workbook of one sheet (write-only mode keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(header) for header, _value in columns])
    for row in rows:
        sheet.append([safe_cell(value(row)) for _header, value in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
