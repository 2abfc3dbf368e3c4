"""Program staff: reports on the program (progress, modules and quizzes, certificates), each
filterable, as a page with charts, a CSV file or an XLSX workbook."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from training import audit
from training.access import role_required
from training.courses.published import tracks
from training.extensions import commit_keeping_loaded, db
from training.inputs import whole_number
from training.jobs.files import send_built_file
from training.models import ReportExport, Role, utcnow
from training.reports import charts, exports
from training.reports import jobs as report_jobs
from training.reports.certificates import certificate_report, issued_per_month
from training.reports.columns import certificate_columns, module_columns, progress_columns
from training.reports.forms import filter_form
from training.reports.modules import module_report
from training.reports.progress import SORTS, STATUSES, ProgressFilters, all_progress_rows, default_track, \
    domains_of, progress_page, store_standings

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")
FORMATS = ("csv", "xlsx")


def _number(name: str) -> int | None:
    return whole_number(request.args.get(name, ""))


def _track_slug() -> str:
    slug = request.args.get("track", "")
    return slug if slug in tracks() else default_track()


def _download(name: str, title: str, columns, rows):
    """The report as a file: CSV streamed as it is written, or an XLSX workbook."""
    stamp = utcnow().strftime("%Y-%m-%d")
    audit.record("report.exported", object_type="report", object_id=name,
                 details={"format": request.args.get("format"), "filters": {
                     key: value[:100] for key, value in request.args.items() if key not in ("format", "page")}})
    commit_keeping_loaded()
    if request.args.get("format") == "csv":
        response = Response(stream_with_context(exports.csv_lines(columns, rows)), mimetype=exports.CSV_MIMETYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
    response = Response(exports.xlsx_bytes(title, columns, rows), mimetype=exports.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def _queue_export(filters: ProgressFilters, file_format: str, rows: int):
    export = report_jobs.request_export(current_user, filters, file_format, rows)
    audit.record("report.exported", object_type="report_export", object_id=export.id,
                 details={"format": file_format, "rows": rows, "filters": export.filters})
    db.session.commit()
    flash(ngettext("The file of %(num)d trainee is being prepared. It appears below, ready to download, in a "
                   "minute or two: reload this page to see it, or wait for the notification that it is ready.",
                   "The file of %(num)d trainees is being prepared. It appears below, ready to download, in a "
                   "minute or two: reload this page to see it, or wait for the notification that it is ready.",
                   rows), "success")
    return redirect(url_for("reports.exports_list"))


@bp.route("/exports")
@role_required(Role.STAFF)
def exports_list():
    """Staff: the report files you asked for that were too large for one request, and whether each is ready."""
    mine = db.session.scalars(select(ReportExport).where(ReportExport.requested_by_id == current_user.id)
                              .order_by(ReportExport.id.desc()).limit(50)).all()
    return render_template("reports/exports.html", exports=mine, kept_days=report_jobs.KEPT_DAYS)


@bp.route("/exports/<int:export_id>")
@role_required(Role.STAFF)
def export_file(export_id):
    """Staff: download a report file a job built for you (only its requester can)."""
    return send_built_file(ReportExport, export_id, "requested_by_id", url_for("reports.exports_list"),
                           lambda export: exports.CSV_MIMETYPE if export.format == "csv" else exports.XLSX_MIMETYPE)


@bp.route("/")
@role_required(Role.STAFF)
def index():
    """Staff: the reports there are, and what each answers."""
    return render_template("reports/index.html")


@bp.route("/progress")
@role_required(Role.STAFF)
def progress():
    """Staff: every trainee's progress on a track, filtered, sorted and a page at a time;
    or all of it as CSV or XLSX (?format=csv|xlsx)."""
    status = request.args.get("status")
    sort = request.args.get("sort", "name")
    filters = ProgressFilters(track=_track_slug(), cohort_id=_number("cohort"), supervisor_id=_number("supervisor"),
                              status=status if status in STATUSES else None,
                              sort=sort if sort in SORTS else "name", descending=request.args.get("order") == "desc",
                              page=max(1, _number("page") or 1))
    track = tracks().get(filters.track) or {}
    store_standings(track)
    commit_keeping_loaded()  # the standings computed on the way
    if request.args.get("format") in FORMATS:
        rows = report_jobs.progress_rows(filters)
        if rows > report_jobs.IN_REQUEST:
            return _queue_export(filters, request.args["format"], rows)
        return _download("progress", _("Progress"), progress_columns(domains_of(track)), all_progress_rows(filters))
    report = progress_page(filters)
    form = filter_form(filters.track, filters.cohort_id, filters.supervisor_id, filters.status,
                       ("track", "cohort", "supervisor", "status"))
    done = charts.modules_done(track, filters.cohort_id, filters.supervisor_id)
    distribution = charts.progress_distribution(track, done, filters.cohort_id, filters.supervisor_id)
    return render_template("reports/progress.html", report=report, filters=report.filters, form=form, track=track,
                           distribution=distribution, all_cohorts=charts.all_cohorts(distribution),
                           charted_cohorts=charts.CHARTED_COHORTS,
                           funnel=charts.funnel(track, done, utcnow().date(), filters.cohort_id, filters.supervisor_id))


@bp.route("/modules")
@role_required(Role.STAFF)
def modules():
    """Staff: per module, completions, quiz pass rates and attempts needed; as CSV or XLSX too."""
    slug, cohort_id, supervisor_id = _track_slug(), _number("cohort"), _number("supervisor")
    track = tracks().get(slug) or {}
    figures = module_report(track, cohort_id, supervisor_id)
    if request.args.get("format") in FORMATS:
        return _download("modules", _("Modules"), module_columns(), figures)
    form = filter_form(slug, cohort_id, supervisor_id, None, ("track", "cohort", "supervisor"))
    args = {key: value for key, value in (("track", slug), ("cohort", cohort_id), ("supervisor", supervisor_id))
            if value is not None}
    return render_template("reports/modules.html", figures=figures, form=form, track=track, args=args)


@bp.route("/certificates")
@role_required(Role.STAFF)
def certificates():
    """Staff: certificates issued, revoked and expiring soon, by track and month; as CSV or XLSX too."""
    slug = request.args.get("track", "")
    slug = slug if slug in tracks() else None
    cohort_id, today = _number("cohort"), utcnow().date()
    rows = certificate_report(today, slug, cohort_id)
    if request.args.get("format") in FORMATS:
        return _download("certificates", _("Certificates"), certificate_columns(), rows)
    form = filter_form(slug or "", cohort_id, None, None, ("track", "cohort"))
    if form.track is not None:
        form.track.choices.insert(0, SelectChoice("", _("All tracks")))
    args = {key: value for key, value in (("track", slug), ("cohort", cohort_id)) if value is not None}
    return render_template("reports/certificates.html", rows=rows, form=form,
                           per_month=[charts.Bar(month, issued) for month, issued in issued_per_month(rows)],
                           args=args, today=today)
