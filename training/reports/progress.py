"""The cohort progress report: one row per trainee, filtered, sorted and paginated in SQL, its
figures computed for the page's trainees only, in a fixed number of set-based queries."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from training.certification import facts as facts_module
from training.certification.eligibility import evaluate
from training.certification import stored
from training.certification.standing import earned_hours, trainee_ids
from training.courses.published import tracks
from training.extensions import among, db
from training.models import (Certificate, Cohort, Decision, Enrolment, HoursDecision, HoursEntry, HoursKind,
                             LessonProgress, Quiz, QuizAttempt, QuizKind, Role, SupervisorAssignment, TrackStanding,
                             User, UserRole)

PER_PAGE = 50
EXPORT_BATCH = 2000
# The status filter: holds a certificate in force; eligible (every requirement met, from the stored
# standings) but not holding one; in progress (neither); or simply not holding one yet.
STATUSES = ("holds", "eligible", "in-progress", "not-yet")
SORTS = ("name", "cohort", "supervisor", "activity", "status", "practice", "supervision", "pending")


@dataclass(frozen=True)
class ProgressFilters:
    track: str
    cohort_id: int | None = None
    supervisor_id: int | None = None
    status: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1

    def query_args(self, **changes) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        values = {"track": self.track, "cohort": self.cohort_id, "supervisor": self.supervisor_id,
                  "status": self.status, "sort": self.sort, "order": "desc" if self.descending else None,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class ProgressRow:
    trainee_id: int
    name: str
    cohort: str
    supervisor: str
    last_activity: datetime | None
    holds: bool
    modules_done: int = 0
    modules_total: int = 0
    average_best_score: float | None = None
    hours_by_domain: dict[str, float] = field(default_factory=dict)
    practice_verified: float = 0.0
    practice_pending: float = 0.0
    supervision_verified: float = 0.0
    supervision_pending: float = 0.0
    competencies_met: int = 0
    competencies_required: int = 0
    eligible: bool = False

    @property
    def status(self) -> str:
        return "holds" if self.holds else "eligible" if self.eligible else "in-progress"


@dataclass
class ProgressPage:
    filters: ProgressFilters
    rows: list[ProgressRow]
    total: int
    domains: dict[str, str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def default_track() -> str:
    """The program's own track (a certificate of completion) if there is one, else the first."""
    known = tracks()
    completion = [slug for slug, track in known.items() if track.get("kind") == "completion"]
    return (completion or list(known) or [""])[0]


def _last_activity_subquery():
    moments = union_all(
        select(User.id.label("trainee_id"), User.last_login_at.label("moment")),
        select(LessonProgress.trainee_id, LessonProgress.last_viewed_at),
        select(QuizAttempt.user_id, QuizAttempt.started_at),
        select(HoursEntry.trainee_id, HoursEntry.created_at)).subquery()
    return (select(moments.c.trainee_id, func.max(moments.c.moment).label("moment"))
            .group_by(moments.c.trainee_id).subquery())


def _latest_decisions():
    """Each decided entry's latest decision id (a decision can be corrected)."""
    return select(HoursDecision.entry_id, func.max(HoursDecision.id).label("id")).group_by(
        HoursDecision.entry_id).subquery()


def _hours_subquery(kind: str | None, verified: bool):
    """Hours per trainee of `kind` (None: both kinds): verified (the latest decision verified) or
    pending (no decision, not withdrawn)."""
    latest = _latest_decisions()
    query = select(HoursEntry.trainee_id, (func.sum(HoursEntry.minutes) / 60.0).label("hours"))
    if kind is not None:
        query = query.where(HoursEntry.kind == kind)
    if verified:
        query = (query.join(latest, latest.c.entry_id == HoursEntry.id)
                 .join(HoursDecision, HoursDecision.id == latest.c.id)
                 .where(HoursDecision.decision == Decision.VERIFIED))
    else:
        query = query.outerjoin(latest, latest.c.entry_id == HoursEntry.id).where(
            latest.c.id.is_(None), HoursEntry.withdrawn_at.is_(None))
    return query.group_by(HoursEntry.trainee_id).subquery()


def _rows_query(filters: ProgressFilters):
    """Every trainee the filters select, with the columns SQL can sort by."""
    supervisor = aliased(User)
    cohort_name = (select(func.min(Cohort.name)).join(Enrolment, Enrolment.cohort_id == Cohort.id)
                   .where(Enrolment.trainee_id == User.id).scalar_subquery())
    supervisor_name = (select(supervisor.display_name)
                       .join(SupervisorAssignment, SupervisorAssignment.supervisor_id == supervisor.id)
                       .where(SupervisorAssignment.trainee_id == User.id, SupervisorAssignment.is_primary.is_(True))
                       .limit(1).scalar_subquery())
    holds = (select(Certificate.id).where(
        Certificate.holder_id == User.id, Certificate.track == filters.track, Certificate.revoked_at.is_(None),
        Certificate.superseded_by_id.is_(None),
        or_(Certificate.expires_on.is_(None), Certificate.expires_on > date.today())).exists())
    activity = _last_activity_subquery()
    query = (select(User.id, User.display_name, cohort_name.label("cohort"), supervisor_name.label("supervisor"),
                    activity.c.moment, holds.label("holds"))
             .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.TRAINEE))
             .outerjoin(activity, activity.c.trainee_id == User.id)
             .where(User.is_active_account.is_(True)))
    if filters.cohort_id is not None:
        query = query.where(select(Enrolment.id).where(Enrolment.trainee_id == User.id,
                                                       Enrolment.cohort_id == filters.cohort_id).exists())
    if filters.supervisor_id is not None:
        query = query.where(select(SupervisorAssignment.id).where(
            SupervisorAssignment.trainee_id == User.id,
            SupervisorAssignment.supervisor_id == filters.supervisor_id).exists())
    eligible = select(TrackStanding.holder_id).where(  # a stored standing still good (see store_standings)
        TrackStanding.holder_id == User.id, TrackStanding.version == User.standing_version,
        TrackStanding.track == filters.track, TrackStanding.eligible.is_(True)).exists()
    if filters.status == "holds":
        query = query.where(holds)
    elif filters.status == "not-yet":
        query = query.where(~holds)
    elif filters.status == "eligible":
        query = query.where(~holds, eligible)
    elif filters.status == "in-progress":
        query = query.where(~holds, ~eligible)
    sort_key = {"name": func.lower(User.display_name), "cohort": cohort_name, "supervisor": supervisor_name,
                "activity": activity.c.moment, "status": holds}.get(filters.sort)
    if sort_key is None:  # hours: join the one aggregate the sort needs
        kind, verified = {"practice": (HoursKind.PRACTICE, True), "supervision": (HoursKind.SUPERVISION, True),
                          "pending": (None, False)}[filters.sort]
        hours = _hours_subquery(kind, verified)
        query = query.outerjoin(hours, hours.c.trainee_id == User.id)
        sort_key = func.coalesce(hours.c.hours, literal(0.0))
    ordered = sort_key.desc() if filters.descending else sort_key.asc()
    # Empty values last either way, then by name, then id: a stable order for pagination.
    return query.order_by(sort_key.is_(None), ordered, func.lower(User.display_name), User.id)


@dataclass(frozen=True)
class TrackContext:
    """What every batch of rows needs to know about the track (read once per request)."""
    track: dict
    modules: list
    wanted: frozenset[str]
    versions: dict
    names: object
    required: frozenset[str]


def track_context(track: dict) -> TrackContext:
    modules = facts_module.course_modules(track)
    return TrackContext(
        track, modules, frozenset((track.get("training") or {}).get("modules") or [m.slug for m in modules]),
        facts_module.current_versions(track), facts_module.names(track, modules),
        frozenset((track.get("competencies") or {}).get("required") or []))


def _figures(context: TrackContext, rows: list[ProgressRow]) -> None:
    """Fill in the computed figures for `rows` (a fixed number of queries for any number of rows)."""
    ids = [row.trainee_id for row in rows]
    if not ids:
        return
    track, modules, wanted, names = context.track, context.modules, context.wanted, context.names
    versions, required = context.versions, context.required
    gathered = facts_module.gather(track, ids, modules)
    # Verified hours come with the facts (those a track does not count, too); pending ones: one query.
    pending: dict[tuple[int, str], float] = defaultdict(float)
    for trainee_id, kind, minutes in db.session.execute(
            select(HoursEntry.trainee_id, HoursEntry.kind, func.sum(HoursEntry.minutes))
            .where(among(HoursEntry.trainee_id, ids), HoursEntry.withdrawn_at.is_(None),
                   ~select(HoursDecision.id).where(HoursDecision.entry_id == HoursEntry.id).exists())
            .group_by(HoursEntry.trainee_id, HoursEntry.kind)):
        pending[(trainee_id, kind)] += (minutes or 0) / 60
    best = _average_best_scores(ids, [module.id for module in modules if module.slug in wanted])
    for row in rows:
        facts = gathered[row.trainee_id]
        row.modules_total = len(wanted)
        row.modules_done = len(facts.modules_passed & wanted)
        row.average_best_score = best.get(row.trainee_id)
        row.hours_by_domain = {code: item["hours"] for code, item in earned_hours(facts, dict(names.domains)).items()}
        row.practice_verified = round(sum(facts.practice_hours.values())
                                      + facts.unqualified_hours.get(HoursKind.PRACTICE, 0), 2)
        row.supervision_verified = round(sum(facts.supervision_hours.values())
                                         + facts.unqualified_hours.get(HoursKind.SUPERVISION, 0), 2)
        row.practice_pending = round(pending[(row.trainee_id, HoursKind.PRACTICE)], 2)
        row.supervision_pending = round(pending[(row.trainee_id, HoursKind.SUPERVISION)], 2)
        row.competencies_required = len(required)
        row.competencies_met = len(facts.competencies_met & required)
        row.eligible = not row.holds and evaluate(track, facts, versions, names).eligible


def _average_best_scores(ids: list[int], module_ids: list[int]) -> dict[int, float]:
    """Per trainee, the average of their best graded score on each module quiz they took (one query)."""
    if not module_ids:
        return {}
    best = (select(QuizAttempt.user_id, func.max(QuizAttempt.percent).label("best"))
            .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
            .where(among(QuizAttempt.user_id, ids), Quiz.module_id.in_(module_ids), Quiz.kind == QuizKind.MODULE,
                   QuizAttempt.percent.is_not(None))
            .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id).subquery())
    return {user_id: round(average, 1) for user_id, average in db.session.execute(
        select(best.c.user_id, func.avg(best.c.best)).group_by(best.c.user_id))}


def _rows(context: TrackContext, result) -> list[ProgressRow]:
    rows = [ProgressRow(trainee_id, name, cohort or "", supervisor or "", moment, bool(holds))
            for trainee_id, name, cohort, supervisor, moment, holds in result]
    _figures(context, rows)
    return rows


def domains_of(track: dict) -> dict[str, str]:
    """The framework's domains, the columns of training hours."""
    return dict(facts_module.framework().domains)


def store_standings(track: dict) -> None:
    """Bring every trainee's stored standing on `track` up to date (the eligible filter and the
    funnel read them; the caller commits them with commit_keeping_loaded())."""
    if track:
        stored.standing_rows(track, trainee_ids())


def progress_page(filters: ProgressFilters) -> ProgressPage:
    """One page of the report (a fixed number of queries, however many trainees)."""
    track = tracks().get(filters.track) or {}
    query = _rows_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(filters.page, max(1, -(-total // PER_PAGE)))
    filters = replace(filters, page=page)
    rows = _rows(track_context(track), db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return ProgressPage(filters, rows, total, domains_of(track))


def all_progress_rows(filters: ProgressFilters) -> Iterator[ProgressRow]:
    """Every row the filters select, in order, for exports: the sortable columns in one query,
    the figures computed EXPORT_BATCH trainees at a time (a fixed number of queries each)."""
    context = track_context(tracks().get(filters.track) or {})
    selected = db.session.execute(_rows_query(filters)).all()
    for start in range(0, len(selected), EXPORT_BATCH):
        yield from _rows(context, selected[start:start + EXPORT_BATCH])
