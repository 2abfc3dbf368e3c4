"""The columns of each report, shared by its CSV and XLSX files (and named as on its page)."""
from __future__ import annotations

from flask_babel import gettext as _

from training.localization import lazy_gettext as _l
from training.reports.exports import Column

STATUS_LABELS = {"holds": _l("Holds the certificate"), "eligible": _l("Eligible"), "in-progress": _l("In progress")}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def progress_columns(domains: dict[str, str]) -> list[Column]:
    """Per trainee: who, where they are, and every figure of the progress report."""
    columns: list[Column] = [
        (_("Name"), lambda row: row.name),
        (_("Cohort"), lambda row: row.cohort),
        (_("Primary supervisor"), lambda row: row.supervisor),
        (_("Modules completed"), lambda row: row.modules_done),
        (_("Modules in the track"), lambda row: row.modules_total),
        (_("Average best quiz score (%)"), lambda row: row.average_best_score),
    ]
    columns += [(_("Training hours: %(domain)s", domain=title), lambda row, code=code: row.hours_by_domain.get(code, 0))
                for code, title in domains.items()]
    columns += [
        (_("Practice hours verified"), lambda row: row.practice_verified),
        (_("Practice hours pending"), lambda row: row.practice_pending),
        (_("Supervision hours verified"), lambda row: row.supervision_verified),
        (_("Supervision hours pending"), lambda row: row.supervision_pending),
        (_("Competencies met"), lambda row: row.competencies_met),
        (_("Competencies required"), lambda row: row.competencies_required),
        (_("Last activity (UTC)"), lambda row: row.last_activity),
        (_("Certification status"), lambda row: status_label(row.status)),
    ]
    return columns


def module_columns() -> list[Column]:
    return [
        (_("Module"), lambda item: item.module.title),
        (_("Trainees"), lambda item: item.trainees),
        (_("Completed"), lambda item: item.completed),
        (_("Completion rate (%)"), lambda item: item.completion_rate),
        (_("Took the quiz"), lambda item: item.attempted),
        (_("Passed the quiz"), lambda item: item.passed),
        (_("Quiz pass rate (%)"), lambda item: item.pass_rate),
        (_("Median attempts to pass"), lambda item: item.median_attempts),
    ]


def certificate_columns() -> list[Column]:
    return [
        (_("Track"), lambda row: row.track_title),
        (_("Month"), lambda row: row.month),
        (_("Issued"), lambda row: row.issued),
        (_("Revoked"), lambda row: row.revoked),
        (_("Expiring within 90 days"), lambda row: row.expiring),
    ]
