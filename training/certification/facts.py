"""The facts eligibility is computed from, for many people at once in a fixed number of
queries (the staff list of everyone who can be issued a certificate must not grow by a
query per trainee)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from training.certification.eligibility import ExamStanding, Facts, Names, StatementStanding
from training.courses.published import document, framework, tracks
from training.extensions import among, db
from training.labs.progress import attended
from training.localization import long_date
from training.models import (Attestation, CompetencyRating, ContinuingEducation, Course, EligibilityRecord,
                             ExamResult, ExternalTraining, HoursKind, Lab, Lesson, LessonProgress,
                             LivedExperienceStatement, Module, Quiz, QuizAttempt, QuizKind, StatementStatus,
                             SupervisorAssignment, SupervisorQualification)
from training.quizzes.grading import counting_attempt
from training.supervision.hours import ACTIVITY_LABELS
from training.supervision.signoffs import is_met
from training.supervision.totals import verified_minutes

CE_TOPICS = {
    "ethics": "Ethics",
    "peer-practice": "Peer support practice",
    "cultural-responsiveness": "Cultural responsiveness",
    "recovery-wellness": "Recovery and wellness",
    "supervision-leadership": "Supervision and leadership",
    "other": "Other approved topic",
}


def ce_topics() -> dict[str, str]:
    """The topics holders can log: the usual ones plus any topic a track sets a minimum for."""
    topics = dict(CE_TOPICS)
    for track in tracks().values():
        for topic in ((track.get("renewal") or {}).get("topic_minimums") or {}):
            topics.setdefault(topic, topic.replace("-", " ").capitalize())
    return topics


def course_modules(track: dict) -> list[Module]:
    slug = (track.get("training") or {}).get("course")
    if not slug:
        return []
    return list(db.session.scalars(
        select(Module).join(Course, Course.id == Module.course_id)
        .where(Course.slug == slug, Module.retired_at.is_(None))))


def _modules_passed(modules: list[Module], ids: list[int], labs_done: dict[int, set[int]]) -> dict[int, set[str]]:
    """Per person, the slugs of the modules passed (see `modules_passed`)."""
    by_id = {module.id: module for module in modules}
    return {trainee_id: {by_id[module_id].slug for module_id in passed}
            for trainee_id, passed in modules_passed(modules, ids, labs_done).items()}


def modules_passed(modules: list[Module], ids: list[int], labs_done: dict[int, set[int]]) -> dict[int, set[int]]:
    """Per person, the ids of the modules with every lesson complete, the quiz (if any) passed
    and every required lab attended (`labs_done`: lab ids attended in full, per person), in
    five queries however many people and modules."""
    if not modules:
        return {}
    by_id = {module.id: module for module in modules}
    lessons: dict[int, set[int]] = defaultdict(set)
    for lesson_id, module_id in db.session.execute(select(Lesson.id, Lesson.module_id).where(
            Lesson.module_id.in_(by_id), Lesson.retired_at.is_(None))):
        lessons[module_id].add(lesson_id)
    # Lessons completed per person and module, counted in SQL (a person has one progress row per lesson).
    completed: dict[tuple[int, int], int] = {}
    for trainee_id, module_id, count in db.session.execute(
            select(LessonProgress.trainee_id, Lesson.module_id, func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(among(LessonProgress.trainee_id, ids), Lesson.module_id.in_(by_id), Lesson.retired_at.is_(None),
                   LessonProgress.completed_at.is_not(None))
            .group_by(LessonProgress.trainee_id, Lesson.module_id)):
        completed[(trainee_id, module_id)] = count
    quizzes = {quiz.id: quiz for quiz in db.session.scalars(select(Quiz).where(
        Quiz.module_id.in_(by_id), Quiz.retired_at.is_(None), Quiz.kind == QuizKind.MODULE))}
    attempts: dict[tuple[int, int], list] = defaultdict(list)
    for attempt in db.session.execute(select(
            QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number, QuizAttempt.percent, QuizAttempt.passed)
            .where(among(QuizAttempt.user_id, ids), QuizAttempt.quiz_id.in_(quizzes), QuizAttempt.percent.is_not(None))):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    quiz_of = {quiz.module_id: quiz for quiz in quizzes.values()}
    required_labs: dict[int, set[int]] = defaultdict(set)
    for lab_id, module_id in db.session.execute(select(Lab.id, Lab.module_id).where(
            Lab.module_id.in_(by_id), Lab.required.is_(True), Lab.retired_at.is_(None))):
        required_labs[module_id].add(lab_id)
    passed: dict[int, set[int]] = defaultdict(set)
    for trainee_id in ids:
        for module in modules:
            quiz = quiz_of.get(module.id)
            result = quiz and counting_attempt(attempts[(trainee_id, quiz.id)], quiz.settings.get("counts", "highest"))
            if lessons[module.id] and completed.get((trainee_id, module.id)) == len(lessons[module.id]) and (
                    quiz is None or (result is not None and result.passed)) \
                    and required_labs[module.id] <= labs_done.get(trainee_id, set()):
                passed[trainee_id].add(module.id)
    return passed


def qualified_supervisors(min_years: int | None = None) -> set[int]:
    """Ids of supervisors with a qualification in force (the newest record, not withdrawn)."""
    latest: dict[int, SupervisorQualification] = {}
    for record in db.session.scalars(select(SupervisorQualification).order_by(SupervisorQualification.id)):
        latest[record.supervisor_id] = record
    return {supervisor_id for supervisor_id, record in latest.items()
            if record.withdrawn_at is None and record.years_in_role >= (min_years or 0)}


def _hours(track: dict, ids: list[int]) -> tuple[dict, dict, dict]:
    """Verified practice and supervision hours per person, and the verified hours that do not
    count because the track counts only hours verified by a qualified supervisor (one
    aggregate query, plus one for the qualifications when the track asks for them)."""
    rule = track.get("supervisors") or {}
    qualified = qualified_supervisors(rule.get("min_years")) if rule.get("qualified_only") else None
    practice: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    supervision: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    not_counted: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for trainee_id, kind, activity, reviewer_id, minutes in verified_minutes(ids):
        if qualified is not None and reviewer_id not in qualified:
            not_counted[trainee_id][kind] += minutes / 60
            continue
        target = practice if kind == HoursKind.PRACTICE else supervision
        target[trainee_id][activity] += minutes / 60
    return practice, supervision, not_counted


def _competencies(track: dict, ids: list[int]) -> dict[int, set[str]]:
    supervisors: dict[int, set[int]] = defaultdict(set)
    for trainee_id, supervisor_id in db.session.execute(
            select(SupervisorAssignment.trainee_id, SupervisorAssignment.supervisor_id)
            .where(among(SupervisorAssignment.trainee_id, ids))):
        supervisors[trainee_id].add(supervisor_id)
    ratings = db.session.execute(select(
        CompetencyRating.id, CompetencyRating.trainee_id, CompetencyRating.competency, CompetencyRating.rater_id,
        CompetencyRating.level, CompetencyRating.supersedes_id).where(among(CompetencyRating.trainee_id, ids))).all()
    superseded = {rating.supersedes_id for rating in ratings if rating.supersedes_id}
    in_force: dict[tuple[int, str], list] = defaultdict(list)
    for rating in ratings:
        if rating.id not in superseded:
            in_force[(rating.trainee_id, rating.competency)].append(rating)
    minimum = str((track.get("competencies") or {}).get("minimum_level") or "meets")
    levels = framework().levels
    met: dict[int, set[str]] = defaultdict(set)
    for (trainee_id, code), mine in in_force.items():
        if is_met(mine, minimum, supervisors[trainee_id], levels):
            met[trainee_id].add(code)
    return met


def signed_versions(ids: list[int]) -> dict[int, dict[str, frozenset[str]]]:
    signed: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for user_id, slug, version in db.session.execute(
            select(Attestation.user_id, Attestation.document, Attestation.version)
            .where(among(Attestation.user_id, ids))):
        signed[user_id][slug].add(version)
    return {user_id: {slug: frozenset(v) for slug, v in docs.items()} for user_id, docs in signed.items()}


def _exam(track: dict, ids: list[int]) -> dict[int, ExamStanding]:
    """Per person, the exam result that stands: external results as staff recorded them (the
    newest record not corrected), or the counting attempt at the course's final exam."""
    exam = track.get("exam") or {}
    if not exam:
        return {}
    if exam.get("type") == "internal":
        return _internal_exam(track, ids)
    records = db.session.scalars(select(ExamResult).where(among(ExamResult.trainee_id, ids),
                                                          ExamResult.track == track.get("slug"))
                                 .order_by(ExamResult.taken_on, ExamResult.id)).all()
    corrected = {record.corrects_id for record in records if record.corrects_id}
    standing: dict[int, ExamStanding] = {}
    for record in records:
        if record.id in corrected:
            continue
        score = f", score {record.score:g}" if record.score is not None else ""
        result = ExamStanding(record.passed, f"{'Passed' if record.passed else 'Not passed'} on "
                                             f"{long_date(record.taken_on)}{score}.")
        if result.passed or not standing.get(record.trainee_id, result).passed:
            standing[record.trainee_id] = result  # a pass stands; otherwise the latest result
    return standing


def _internal_exam(track: dict, ids: list[int]) -> dict[int, ExamStanding]:
    quiz = db.session.scalar(select(Quiz).join(Course, Course.id == Quiz.course_id).where(
        Course.slug == (track.get("training") or {}).get("course"), Quiz.kind == QuizKind.EXAM))
    if quiz is None:
        return {}
    attempts: dict[int, list[QuizAttempt]] = defaultdict(list)
    for attempt in db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.quiz_id == quiz.id, among(QuizAttempt.user_id, ids), QuizAttempt.percent.is_not(None))):
        attempts[attempt.user_id].append(attempt)
    standing = {}
    for trainee_id, mine in attempts.items():
        result = counting_attempt(mine, quiz.settings.get("counts", "highest"))
        standing[trainee_id] = ExamStanding(bool(result.passed), f"{'Passed' if result.passed else 'Not passed'} "
                                                                 f"on {long_date(result.submitted_at)} "
                                                                 f"({result.percent:.0f}%).")
    return standing


def _eligibility(ids: list[int]) -> tuple[dict, set[int], dict[int, StatementStanding]]:
    """Per person: versions attested by (kind, region), whether staff checked an education
    proof, and the standing of their statement of lived experience."""
    attested: dict[int, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    checked: set[int] = set()
    for record in db.session.scalars(select(EligibilityRecord).where(among(EligibilityRecord.user_id, ids))):
        attested[record.user_id][(record.kind, record.region)].add(record.version)
        if record.kind == "education" and record.checked_at is not None:
            checked.add(record.user_id)
    statements: dict[int, list[LivedExperienceStatement]] = defaultdict(list)
    for statement in db.session.scalars(select(LivedExperienceStatement).where(
            among(LivedExperienceStatement.user_id, ids)).order_by(LivedExperienceStatement.id)):
        statements[statement.user_id].append(statement)
    standing = {
        user_id: StatementStanding(mine[-1].status, mine[-1].words, max(
            (s.words for s in mine if s.status == StatementStatus.ACCEPTED), default=0))
        for user_id, mine in statements.items()}
    frozen = {user_id: {key: frozenset(v) for key, v in kinds.items()} for user_id, kinds in attested.items()}
    return frozen, checked, standing


def gather(track: dict, ids: list[int], modules: list[Module] | None = None) -> dict[int, Facts]:
    """Facts for each person in `ids` toward `track` (a fixed number of queries, however many
    people; one fewer when the caller passes the course's modules)."""
    if not ids:
        return {}
    modules = course_modules(track) if modules is None else modules
    labs = attended(ids)
    passed = _modules_passed(modules, ids, {trainee_id: labs[trainee_id].completed for trainee_id in ids})
    contact = {module.slug: (module.details or {}).get("contact_hours") or {} for module in modules}
    external: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for record in db.session.scalars(select(ExternalTraining).where(among(ExternalTraining.trainee_id, ids))):
        external[record.trainee_id][record.domain] += record.minutes / 60
    practice, supervision, not_counted = _hours(track, ids)
    met = _competencies(track, ids)
    signed = signed_versions(ids)
    exams = _exam(track, ids)
    attested, checked, statements = _eligibility(ids) if track.get("eligibility") else ({}, set(), {})
    facts = {}
    for trainee_id in ids:
        module_hours: dict[str, float] = defaultdict(float)
        for slug in passed.get(trainee_id, ()):
            for domain, hours in contact.get(slug, {}).items():
                module_hours[domain] += float(hours)
        facts[trainee_id] = Facts(
            modules_passed=frozenset(passed.get(trainee_id, ())), module_hours=dict(module_hours),
            external_hours=dict(external.get(trainee_id, {})), practice_hours=dict(practice.get(trainee_id, {})),
            supervision_hours=dict(supervision.get(trainee_id, {})),
            competencies_met=frozenset(met.get(trainee_id, ())), signed=signed.get(trainee_id, {}),
            lab_hours={domain: minutes / 60 for domain, minutes in labs[trainee_id].minutes_by_domain.items()},
            unqualified_hours=dict(not_counted.get(trainee_id, {})), exam=exams.get(trainee_id),
            attested=attested.get(trainee_id, {}), education_checked=trainee_id in checked,
            statement=statements.get(trainee_id))
    return facts


def ce_hours(holder_ids: list[int]) -> dict[int, list[ContinuingEducation]]:
    """Every continuing-education record of these holders, oldest first (one query)."""
    records: dict[int, list[ContinuingEducation]] = defaultdict(list)
    for record in db.session.scalars(select(ContinuingEducation).where(among(ContinuingEducation.holder_id, holder_ids))
                                     .order_by(ContinuingEducation.completed_on, ContinuingEducation.id)):
        records[record.holder_id].append(record)
    return records


def hours_by_topic(records: list[ContinuingEducation], start: date, end: date) -> dict[str, float]:
    """The hours of the records dated within [start, end), by topic."""
    totals: dict[str, float] = defaultdict(float)
    for record in records:
        if start <= record.completed_on < end:
            totals[record.topic] += record.minutes / 60
    return dict(totals)


def current_versions(track: dict) -> dict[str, str]:
    """The current version of every document the track asks people to sign or attest to."""
    slugs = [item.get("document", "") for item in track.get("attestations") or []]
    slugs += [item.get("document") or f"eligibility-{item.get('kind')}" for item in track.get("eligibility") or []]
    versions = {}
    for slug in slugs:
        current = document(slug)
        versions[slug] = current.version if current else ""
    return versions


def names(track: dict, modules: list[Module] | None = None) -> Names:
    """Readable names for the track's codes."""
    view = framework()
    documents = {}
    for item in track.get("attestations") or []:
        current = document(item.get("document", ""))
        documents[item.get("document")] = current.title if current else item.get("document")
    modules = course_modules(track) if modules is None else modules
    return Names(
        modules={module.slug: module.title for module in modules},
        domains=dict(view.domains), activities=ACTIVITY_LABELS,
        competencies={item.code: item.title for category in view.categories for item in category.items},
        documents=documents, topics=ce_topics(), offered_hours=offered_hours(track, modules))


def offered_hours(track: dict, modules: list[Module]) -> dict[str, float]:
    """What the track's modules offer by domain: their contact hours plus their labs (one query)."""
    wanted = {module.id: module for module in modules
              if module.slug in ((track.get("training") or {}).get("modules") or [])}
    offered: dict[str, float] = defaultdict(float)
    for module in wanted.values():
        for domain, hours in ((module.details or {}).get("contact_hours") or {}).items():
            offered[domain] += float(hours)
    if wanted:
        for domain, minutes in db.session.execute(select(Lab.domain, Lab.minutes).where(
                Lab.module_id.in_(wanted), Lab.retired_at.is_(None))):
            offered[domain] += minutes / 60
    return {domain: round(hours, 2) for domain, hours in offered.items()}
