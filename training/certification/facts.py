"""The facts eligibility is computed from, for many people at once in a fixed number of
queries (the staff list of everyone who can be issued a certificate must not grow by a
query per trainee)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.certification.eligibility import Facts, Names
from training.courses.published import document, framework, tracks
from training.extensions import db
from training.models import (Attestation, CompetencyRating, ContinuingEducation, Course, Decision, ExternalTraining,
                             HoursEntry, HoursKind, Lesson, LessonProgress, Module, Quiz, QuizAttempt,
                             SupervisorAssignment)
from training.quizzes.grading import counting_attempt
from training.supervision.hours import ACTIVITY_LABELS
from training.supervision.signoffs import is_met

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


def _modules_passed(modules: list[Module], ids: list[int]) -> dict[int, set[str]]:
    """Per person, the modules with every lesson complete and the quiz (if any) passed."""
    if not modules:
        return {}
    by_id = {module.id: module for module in modules}
    lessons: dict[int, set[int]] = defaultdict(set)
    for lesson_id, module_id in db.session.execute(select(Lesson.id, Lesson.module_id).where(
            Lesson.module_id.in_(by_id), Lesson.retired_at.is_(None))):
        lessons[module_id].add(lesson_id)
    all_lessons = {lesson_id for group in lessons.values() for lesson_id in group}
    completed: dict[int, set[int]] = defaultdict(set)
    for trainee_id, lesson_id in db.session.execute(select(LessonProgress.trainee_id, LessonProgress.lesson_id).where(
            LessonProgress.trainee_id.in_(ids), LessonProgress.lesson_id.in_(all_lessons),
            LessonProgress.completed_at.is_not(None))):
        completed[trainee_id].add(lesson_id)
    quizzes = {quiz.id: quiz for quiz in db.session.scalars(select(Quiz).where(
        Quiz.module_id.in_(by_id), Quiz.retired_at.is_(None)))}
    attempts: dict[tuple[int, int], list[QuizAttempt]] = defaultdict(list)
    for attempt in db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.user_id.in_(ids), QuizAttempt.quiz_id.in_(quizzes), QuizAttempt.percent.is_not(None))):
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    quiz_of = {quiz.module_id: quiz for quiz in quizzes.values()}
    passed: dict[int, set[str]] = defaultdict(set)
    for trainee_id in ids:
        for module in modules:
            quiz = quiz_of.get(module.id)
            result = quiz and counting_attempt(attempts[(trainee_id, quiz.id)], quiz.settings.get("counts", "highest"))
            if lessons[module.id] and lessons[module.id] <= completed[trainee_id] and (
                    quiz is None or (result is not None and result.passed)):
                passed[trainee_id].add(module.slug)
    return passed


def _hours(ids: list[int]) -> tuple[dict, dict]:
    practice: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    supervision: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entry in db.session.scalars(select(HoursEntry).where(HoursEntry.trainee_id.in_(ids))
                                    .options(selectinload(HoursEntry.decisions))):
        if entry.status == Decision.VERIFIED:
            target = practice if entry.kind == HoursKind.PRACTICE else supervision
            target[entry.trainee_id][entry.activity] += entry.minutes / 60
    return practice, supervision


def _competencies(track: dict, ids: list[int]) -> dict[int, set[str]]:
    supervisors: dict[int, set[int]] = defaultdict(set)
    for trainee_id, supervisor_id in db.session.execute(
            select(SupervisorAssignment.trainee_id, SupervisorAssignment.supervisor_id)
            .where(SupervisorAssignment.trainee_id.in_(ids))):
        supervisors[trainee_id].add(supervisor_id)
    ratings = db.session.scalars(select(CompetencyRating).where(CompetencyRating.trainee_id.in_(ids))).all()
    superseded = {rating.supersedes_id for rating in ratings if rating.supersedes_id}
    in_force: dict[tuple[int, str], list[CompetencyRating]] = defaultdict(list)
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
            .where(Attestation.user_id.in_(ids))):
        signed[user_id][slug].add(version)
    return {user_id: {slug: frozenset(v) for slug, v in docs.items()} for user_id, docs in signed.items()}


def gather(track: dict, ids: list[int], modules: list[Module] | None = None) -> dict[int, Facts]:
    """Facts for each person in `ids` toward `track` (twelve queries, however many people;
    eleven when the caller passes the course's modules)."""
    if not ids:
        return {}
    modules = course_modules(track) if modules is None else modules
    passed = _modules_passed(modules, ids)
    contact = {module.slug: (module.details or {}).get("contact_hours") or {} for module in modules}
    external: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for record in db.session.scalars(select(ExternalTraining).where(ExternalTraining.trainee_id.in_(ids))):
        external[record.trainee_id][record.domain] += record.minutes / 60
    practice, supervision = _hours(ids)
    met = _competencies(track, ids)
    signed = signed_versions(ids)
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
            competencies_met=frozenset(met.get(trainee_id, ())), signed=signed.get(trainee_id, {}))
    return facts


def ce_hours(holder_ids: list[int]) -> dict[int, list[ContinuingEducation]]:
    """Every continuing-education record of these holders, oldest first (one query)."""
    records: dict[int, list[ContinuingEducation]] = defaultdict(list)
    for record in db.session.scalars(select(ContinuingEducation).where(ContinuingEducation.holder_id.in_(holder_ids))
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
    versions = {}
    for item in track.get("attestations") or []:
        current = document(item.get("document", ""))
        versions[item.get("document")] = current.version if current else ""
    return versions


def names(track: dict, modules: list[Module] | None = None) -> Names:
    """Readable names for the track's codes."""
    view = framework()
    documents = {}
    for item in track.get("attestations") or []:
        current = document(item.get("document", ""))
        documents[item.get("document")] = current.title if current else item.get("document")
    return Names(
        modules={module.slug: module.title for module in (course_modules(track) if modules is None else modules)},
        domains=dict(view.domains), activities=ACTIVITY_LABELS,
        competencies={item.code: item.title for category in view.categories for item in category.items},
        documents=documents, topics=ce_topics())
