"""The module and quiz report, and the per-trainee module counts behind the progress charts:
grouped SQL over everyone at once, a fixed number of queries.

A module counts as completed, as for certificates, when every current lesson is read, its quiz
(if any) has a passing attempt and every required lab is attended (the attendance record in
force says present). Quizzes that count the latest or first attempt rather than the highest are
counted here by any passing attempt."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select

from training.certification import facts as facts_module
from training.extensions import db
from training.models import (AttendanceStatus, Enrolment, Lab, LabAttendance, LabBooking, LabSession, Lesson,
                             LessonProgress, Module, Quiz, QuizAttempt, QuizKind, Role, SupervisorAssignment, User,
                             UserRole)


@dataclass
class ModuleFigures:
    module: Module
    quiz_id: int | None
    trainees: int       # trainees the filters select
    completed: int
    attempted: int      # trainees with a graded attempt at the quiz
    passed: int
    median_attempts: float | None  # attempts to the first pass, among those who passed

    @property
    def completion_rate(self) -> float:
        return round(100 * self.completed / self.trainees, 1) if self.trainees else 0.0

    @property
    def pass_rate(self) -> float | None:
        return round(100 * self.passed / self.attempted, 1) if self.attempted else None


def selected_trainees(cohort_id: int | None = None, supervisor_id: int | None = None):
    """A select of the ids of active trainees, in a cohort and/or with a supervisor if given."""
    query = (select(User.id).join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.TRAINEE))
             .where(User.is_active_account.is_(True)))
    if cohort_id is not None:
        query = query.where(User.id.in_(select(Enrolment.trainee_id).where(Enrolment.cohort_id == cohort_id)))
    if supervisor_id is not None:
        query = query.where(User.id.in_(select(SupervisorAssignment.trainee_id)
                                        .where(SupervisorAssignment.supervisor_id == supervisor_id)))
    return query


def completions(module_ids: list[int], trainees):
    """A subquery of (module_id, trainee_id): each module each selected trainee completed.
    Plain joins of grouped subqueries, no correlated ones: PostgreSQL hashes them once."""
    live = and_(Lesson.retired_at.is_(None), Lesson.module_id.in_(module_ids))
    counts = select(Lesson.module_id, func.count(Lesson.id).label("lessons")).where(live).group_by(
        Lesson.module_id).subquery()
    done = (select(Lesson.module_id, LessonProgress.trainee_id, func.count(Lesson.id).label("read"))
            .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(live, LessonProgress.completed_at.is_not(None), LessonProgress.trainee_id.in_(trainees))
            .group_by(Lesson.module_id, LessonProgress.trainee_id).subquery())
    module_quiz = and_(Quiz.module_id.in_(module_ids), Quiz.kind == QuizKind.MODULE, Quiz.retired_at.is_(None))
    quizzes = select(Quiz.module_id).where(module_quiz).subquery()
    passed = (select(Quiz.module_id, QuizAttempt.user_id).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
              .where(module_quiz, QuizAttempt.passed.is_(True)).distinct().subquery())
    required = and_(Lab.module_id.in_(module_ids), Lab.required.is_(True), Lab.retired_at.is_(None))
    labs = select(Lab.module_id, func.count(Lab.id).label("labs")).where(required).group_by(Lab.module_id).subquery()
    latest = select(func.max(LabAttendance.id)).group_by(LabAttendance.booking_id)
    present = (select(LabBooking.trainee_id, LabSession.lab_id).join(LabSession, LabSession.id == LabBooking.session_id)
               .join(LabAttendance, LabAttendance.booking_id == LabBooking.id)
               .where(LabBooking.cancelled_at.is_(None), LabAttendance.id.in_(latest),
                      LabAttendance.status == AttendanceStatus.PRESENT).distinct().subquery())
    attended = (select(Lab.module_id, present.c.trainee_id, func.count(Lab.id).label("attended"))
                .join(present, present.c.lab_id == Lab.id).where(required)
                .group_by(Lab.module_id, present.c.trainee_id).subquery())
    return (select(done.c.module_id, done.c.trainee_id)
            .join(counts, and_(counts.c.module_id == done.c.module_id, counts.c.lessons == done.c.read))
            .outerjoin(quizzes, quizzes.c.module_id == done.c.module_id)
            .outerjoin(passed, and_(passed.c.module_id == done.c.module_id, passed.c.user_id == done.c.trainee_id))
            .outerjoin(labs, labs.c.module_id == done.c.module_id)
            .outerjoin(attended, and_(attended.c.module_id == done.c.module_id,
                                      attended.c.trainee_id == done.c.trainee_id))
            .where(or_(quizzes.c.module_id.is_(None), passed.c.user_id.is_not(None)),
                   or_(labs.c.labs.is_(None), attended.c.attended == labs.c.labs)).subquery())


def track_modules(track: dict) -> list[Module]:
    """The track's modules, in course order."""
    wanted = (track.get("training") or {}).get("modules")
    modules = facts_module.course_modules(track)
    chosen = [module for module in modules if wanted is None or module.slug in wanted]
    return sorted(chosen, key=lambda module: (module.position, module.id))


def module_report(track: dict, cohort_id: int | None = None, supervisor_id: int | None = None) -> list[ModuleFigures]:
    """Per module of the track: completions, completion rate, quiz pass rate and the median
    number of attempts to pass (six queries)."""
    modules = track_modules(track)
    if not modules:
        return []
    ids = [module.id for module in modules]
    trainees = selected_trainees(cohort_id, supervisor_id)
    total = db.session.scalar(select(func.count()).select_from(trainees.subquery()))
    done = completions(ids, trainees)
    completed = dict(db.session.execute(select(done.c.module_id, func.count()).group_by(done.c.module_id)).all())
    quizzes = dict(db.session.execute(select(Quiz.module_id, Quiz.id).where(
        Quiz.module_id.in_(ids), Quiz.kind == QuizKind.MODULE, Quiz.retired_at.is_(None))).all())
    graded = (select(QuizAttempt.quiz_id, func.count(distinct(QuizAttempt.user_id)))
              .where(QuizAttempt.quiz_id.in_(list(quizzes.values()) or [0]), QuizAttempt.percent.is_not(None),
                     QuizAttempt.user_id.in_(trainees)).group_by(QuizAttempt.quiz_id))
    attempted = dict(db.session.execute(graded).all())
    first_pass = (select(QuizAttempt.quiz_id, QuizAttempt.user_id, func.min(QuizAttempt.number).label("number"))
                  .where(QuizAttempt.quiz_id.in_(list(quizzes.values()) or [0]), QuizAttempt.passed.is_(True),
                         QuizAttempt.user_id.in_(trainees))
                  .group_by(QuizAttempt.quiz_id, QuizAttempt.user_id).subquery())
    histogram: dict[int, dict[int, int]] = defaultdict(dict)
    for quiz_id, number, people in db.session.execute(
            select(first_pass.c.quiz_id, first_pass.c.number, func.count())
            .group_by(first_pass.c.quiz_id, first_pass.c.number)):
        histogram[quiz_id][number] = people
    figures = []
    for module in modules:
        quiz_id = quizzes.get(module.id)
        counts = histogram.get(quiz_id, {})
        figures.append(ModuleFigures(module, quiz_id, total, completed.get(module.id, 0), attempted.get(quiz_id, 0),
                                     sum(counts.values()), median_of(counts)))
    return figures


def median_of(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    size = sum(counts.values())
    if not size:
        return None
    ordered = sorted(counts.items())

    def nth(position: int) -> int:
        seen = 0
        for value, times in ordered:
            seen += times
            if position < seen:
                return value
        return ordered[-1][0]
    return (nth((size - 1) // 2) + nth(size // 2)) / 2


def modules_done_by_trainee(track: dict, trainees) -> dict[int, int]:
    """How many of the track's modules each selected trainee completed (one query; absent: none)."""
    ids = [module.id for module in track_modules(track)]
    if not ids:
        return {}
    done = completions(ids, trainees)
    return dict(db.session.execute(select(done.c.trainee_id, func.count()).group_by(done.c.trainee_id)).all())
