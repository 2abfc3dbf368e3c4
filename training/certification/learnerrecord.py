"""A trainee's learner record: every achievement the program can vouch for, each from the
record that proves it (a module passed, a graded quiz attempt, a competency rating with its
assessor, hours a supervisor verified, a lab attendance record, an exam result, a
certificate), never from a number someone typed into the record itself.

`gather_record` reads them in a fixed number of queries, however many modules, ratings or
hours there are (recordsupervised.py reads the competencies, hours and outside exams); `clr.py` turns the result into a CLR 2.0 ClrCredential and the transcript
PDF is drawn from that credential, so the two never disagree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from training.certification.facts import modules_passed
from training.certification.recordparts import Entry, Goal, LearnerRecord, Measure, hours_text
from training.certification.recordsupervised import competency_entries, external_exam_entries, hours_entries
from training.courses.published import framework, tracks
from training.extensions import db
from training.localization import long_date
from training.models import (AttendanceStatus, Certificate, Course, Lab, LabAttendance, LabBooking, LabSession, Lesson,
                             LessonProgress, Module, Quiz, QuizAttempt, QuizKind, User)
from training.quizzes.grading import counting_attempt
from training.supervision.totals import last_verified, verified_minutes


def gather_record(holder: User, now: datetime) -> LearnerRecord:
    """Everything `holder` has achieved, as of `now` (about twenty queries, however much)."""
    view, track_list = framework(), list(tracks().values())
    domains = dict(view.domains)
    rows = db.session.execute(select(Module, Course.slug, Course.title).join(Course, Course.id == Module.course_id)
                              .where(Module.retired_at.is_(None), Course.retired_at.is_(None))
                              .order_by(Course.id, Module.position, Module.id)).all()
    modules = [row[0] for row in rows]
    course_of = {row[0].id: (row[1], row[2]) for row in rows}
    courses = {slug: title for _, slug, title in rows}
    labs = _labs_attended(holder.id)
    passed = modules_passed(modules, [holder.id], {holder.id: {lab.lab_id for lab in labs if lab.full}})
    passed_ids = passed.get(holder.id, set())
    attempts = _counting_attempts(holder.id)
    lessons_done = dict(db.session.execute(
        select(Lesson.module_id, func.max(LessonProgress.completed_at)).join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.trainee_id == holder.id, LessonProgress.completed_at.is_not(None))
        .group_by(Lesson.module_id)).all())
    hours = verified_minutes([holder.id])
    names = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_({row[3] for row in hours} | {lab.recorded_by_id for lab in labs}))).all())

    entries: list[Entry] = []
    keys = {module.id: f"module/{course_of[module.id][0]}/{module.slug}" for module in modules}
    titles = {module.id: module.title for module in modules}
    for module in modules:
        if module.id in passed_ids:
            entries.append(_module_entry(module, course_of[module.id], keys[module.id], domains, attempts,
                                         lessons_done, labs))
    for quiz, attempt in attempts.values():
        if not attempt.passed:
            continue
        if quiz.kind == QuizKind.MODULE and quiz.module_id in keys:
            entries.append(_quiz_entry(quiz, attempt, keys[quiz.module_id], titles[quiz.module_id]))
        elif quiz.kind == QuizKind.EXAM and quiz.course_slug in courses:
            entries.append(_internal_exam_entry(quiz, attempt, courses[quiz.course_slug], track_list))
    for lab in labs:
        if lab.minutes > 0 and lab.module_id in keys:
            entries.append(_lab_entry(lab, keys[lab.module_id], domains, names))
    entries += competency_entries(holder.id, view, track_list)
    entries += hours_entries(hours, names, track_list, last_verified(holder.id))
    entries += external_exam_entries(holder.id, track_list)
    certificates = list(db.session.scalars(select(Certificate).where(
        Certificate.holder_id == holder.id, Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None))
        .order_by(Certificate.issued_at, Certificate.id)))
    for certificate in certificates:
        entries.append(Entry(f"achievement-{certificate.track}", "certificate", certificate.track_title, "", "",
                             certificate.issued_at, certificate=certificate))
    entries.sort(key=lambda entry: (entry.achieved_at, entry.key))
    return LearnerRecord(holder, now, entries, _goals(entries, courses, track_list, certificates))


@dataclass(frozen=True)
class _Attended:
    lab_id: int
    module_id: int
    slug: str
    course_slug: str
    title: str
    domain: str
    planned: int
    minutes: int
    full: bool
    starts_at: datetime
    recorded_by_id: int


def _labs_attended(holder_id: int) -> list[_Attended]:
    """The attendance record in force for each of the holder's bookings (one query)."""
    latest = {}
    for row in db.session.execute(
            select(LabBooking.id, Lab.id, Lab.module_id, Lab.slug, Course.slug, Lab.title, Lab.domain, Lab.minutes,
                   LabAttendance.minutes, LabAttendance.status, LabSession.starts_at, LabAttendance.recorded_by_id)
            .join(LabAttendance, LabAttendance.booking_id == LabBooking.id)
            .join(LabSession, LabSession.id == LabBooking.session_id).join(Lab, Lab.id == LabSession.lab_id)
            .join(Course, Course.id == Lab.course_id)
            .where(LabBooking.trainee_id == holder_id, LabBooking.cancelled_at.is_(None), Lab.retired_at.is_(None))
            .order_by(LabAttendance.id)):
        latest[row[0]] = _Attended(row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                                   row[9] == AttendanceStatus.PRESENT, row[10], row[11])
    return sorted(latest.values(), key=lambda lab: lab.starts_at)


@dataclass(frozen=True)
class _Quiz:
    id: int
    kind: str
    module_id: int | None
    course_slug: str | None
    pass_mark: int


def _counting_attempts(holder_id: int) -> dict[int, tuple[_Quiz, object]]:
    """Per quiz (module quizzes and final exams), the graded attempt that counts (one query)."""
    attempts: dict[int, list] = defaultdict(list)
    for row in db.session.execute(
            select(QuizAttempt.quiz_id, QuizAttempt.number, QuizAttempt.percent, QuizAttempt.passed,
                   QuizAttempt.pass_mark, QuizAttempt.started_at, QuizAttempt.submitted_at, QuizAttempt.graded_at,
                   Quiz.kind, Quiz.module_id,
                   Course.slug, Quiz.settings)
            .join(Quiz, Quiz.id == QuizAttempt.quiz_id).outerjoin(Course, Course.id == Quiz.course_id)
            .where(QuizAttempt.user_id == holder_id, QuizAttempt.percent.is_not(None), Quiz.retired_at.is_(None))):
        attempts[row.quiz_id].append(row)
    counted = {}
    for quiz_id, mine in attempts.items():
        quiz = mine[0]  # every row carries its quiz's columns
        attempt = counting_attempt(mine, (quiz.settings or {}).get("counts", "highest"))
        counted[quiz_id] = (_Quiz(quiz_id, quiz.kind, quiz.module_id, quiz.slug, attempt.pass_mark), attempt)
    return counted


def _when(attempt) -> datetime:
    """When an attempt's result was settled (an attempt recorded by hand may carry only its start)."""
    return attempt.graded_at or attempt.submitted_at or attempt.started_at


def _module_entry(module: Module, course: tuple[str, str], key: str, domains: dict, attempts: dict,
                  lessons_done: dict, labs: list[_Attended]) -> Entry:
    """A module passed: its contact hours by domain, as the course content gives them."""
    contact = (module.details or {}).get("contact_hours") or {}
    moments = [lessons_done.get(module.id)]
    moments += [_when(attempt) for quiz, attempt in attempts.values() if quiz.module_id == module.id]
    moments += [lab.starts_at + timedelta(minutes=lab.minutes) for lab in labs if lab.module_id == module.id and lab.full]
    total = sum(float(hours) for hours in contact.values())
    return Entry(
        key, "module", module.title,
        f"Module of the course {course[1]}" + (f": {total:g} contact hours of self-paced training." if total else "."),
        "Every lesson of the module read, its quiz passed and its required practice labs attended.",
        max(moment for moment in moments if moment is not None),
        [Measure(f"contact-hours/{domain}", f"Contact hours: {domains.get(domain, domain)}", "ext:ContactHours",
                 f"{float(hours):g}", status="Completed") for domain, hours in contact.items()],
        parents=[("isChildOf", f"course/{course[0]}")])


def _quiz_entry(quiz: _Quiz, attempt, module_key: str, module_title: str) -> Entry:
    return Entry(
        f"quiz/{module_key.removeprefix('module/')}", "quiz", f"Quiz: {module_title}",
        f"The quiz of the module {module_title}.", f"A score of at least {quiz.pass_mark}%.", _when(attempt),
        [Measure("score", "Score", "Percent", f"{attempt.percent:.0f}", "100", str(quiz.pass_mark), status="Completed")],
        parents=[("isPartOf", module_key)])


def _internal_exam_entry(quiz: _Quiz, attempt, course_title: str, track_list: list[dict]) -> Entry:
    parents = [("isPartOf", f"course/{quiz.course_slug}")]
    parents += [("isPartOf", f"achievement-{track['slug']}") for track in track_list
                if (track.get("exam") or {}).get("type") == "internal"
                and (track.get("training") or {}).get("course") == quiz.course_slug]
    return Entry(
        f"exam/{quiz.course_slug}", "exam", f"Final exam: {course_title}",
        f"The proctored final exam of the course {course_title}.", f"A score of at least {quiz.pass_mark}%.",
        _when(attempt),
        [Measure("score", "Score", "Percent", f"{attempt.percent:.0f}", "100", str(quiz.pass_mark), status="Completed")],
        parents=parents)


def _lab_entry(lab: _Attended, module_key: str, domains: dict, names: dict) -> Entry:
    attended = "in full" if lab.full else f"for {lab.minutes} of {lab.planned} minutes"
    return Entry(
        f"lab/{lab.course_slug}/{lab.slug}", "lab", f"Practice lab: {lab.title}",
        f"A facilitated practice lab of {lab.planned} minutes, counted toward {domains.get(lab.domain, lab.domain)}.",
        "Attendance recorded by the facilitator.", lab.starts_at,
        [Measure(f"contact-hours/{lab.domain}", f"Contact hours: {domains.get(lab.domain, lab.domain)}",
                 "ext:ContactHours", hours_text(lab.minutes), status="Completed")],
        [("Attendance", f"Attended {attended} on {long_date(lab.starts_at.date())}; recorded by "
                        f"{names.get(lab.recorded_by_id, 'the facilitator')}.")],
        parents=[("isPartOf", module_key)])


def _goals(entries: list[Entry], courses: dict[str, str], track_list: list[dict],
           certificates: list[Certificate]) -> list[Goal]:
    """The courses the entries belong to (each part of the tracks that train with it), and the
    tracks they count toward that are not awarded yet."""
    targets = {key for entry in entries for _, key in entry.parents}
    goals = [Goal(f"course/{slug}", "course", title, f"The course {title}.",
                  [("isPartOf", f"achievement-{track['slug']}") for track in track_list
                   if (track.get("training") or {}).get("course") == slug])
             for slug, title in courses.items() if f"course/{slug}" in targets]
    targets |= {key for goal in goals for _, key in goal.parents}
    held = {f"achievement-{certificate.track}" for certificate in certificates}
    for track in track_list:
        key, title = f"achievement-{track['slug']}", track.get("title", track["slug"])
        if key in targets and key not in held:
            goals.append(Goal(key, track.get("kind", "certification"), title,
                              f"The requirements of the {title}, toward which this record counts: not awarded yet."))
    return goals
