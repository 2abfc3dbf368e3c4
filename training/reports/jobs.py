"""Report files too large for one request (more than IN_REQUEST trainees): a job builds the
file and keeps it for its requester, who downloads it from the Exports page."""
from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import delete, func, select

from training.courses.published import tracks
from training.extensions import db
from training.jobs.files import build_file
from training.models import NotificationKind, ReportExport, User, utcnow
from training.reports import exports
from training.reports.columns import progress_columns
from training.reports.progress import ProgressFilters, _rows_query, all_progress_rows, domains_of

IN_REQUEST = 2000   # trainees: a larger progress export is built by a job
KEPT_DAYS = 7       # a finished export is kept this long (removed when its requester asks for another)


def progress_rows(filters: ProgressFilters) -> int:
    return db.session.scalar(select(func.count()).select_from(_rows_query(filters).order_by(None).subquery()))


def request_export(by: User, filters: ProgressFilters, file_format: str, rows: int) -> ReportExport:
    """Queue the progress export (the job starts when the caller commits); the requester's
    exports older than KEPT_DAYS go."""
    from training.jobs import after_commit
    db.session.execute(delete(ReportExport).where(ReportExport.requested_by_id == by.id,
                                                  ReportExport.created_at < utcnow() - timedelta(days=KEPT_DAYS)))
    export = ReportExport(requested_by_id=by.id, report="progress", format=file_format, rows=rows,
                          filters={key: value for key, value in asdict(filters).items() if key != "page"})
    db.session.add(export)
    db.session.flush()
    after_commit("build_export", export.id)
    return export


def build(export_id: int) -> str:
    """The job: build the file once (nothing if it is built already)."""
    return build_file(ReportExport, export_id, lambda export: (
        _file(ProgressFilters(**export.filters), export.format), f"progress-{utcnow():%Y-%m-%d}.{export.format}"),
        owner="requested_by_id", ready=NotificationKind.REPORT_READY, kept_days=KEPT_DAYS)


def _file(filters: ProgressFilters, file_format: str) -> bytes:
    track = tracks().get(filters.track) or {}
    columns, rows = progress_columns(domains_of(track)), all_progress_rows(filters)
    if file_format == "csv":
        return "".join(exports.csv_lines(columns, rows)).encode("utf-8")
    return exports.xlsx_bytes("Progress", columns, rows)
