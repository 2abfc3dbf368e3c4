"""The question bank: quizzes synced from files, questions edited, retired and imported.

Like lessons, a quiz file is applied only when it changed since the last sync
(`files_hash`), so a question edited in the browser is not overwritten by an untouched
file. After a browser change `Quiz.source` is rewritten from the questions, ready for
`courses export`. Questions are never deleted: attempts point at them, and a retired
question simply stops being drawn.

These functions add and flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from training.courses import content as files
from training.courses.published import framework
from training.courses.quizchecks import QuizFigures, pool_warnings, quiz_figures
from training.courses.revision import current as content_revision
from training.extensions import Kept, db
from training.models import Course, Module, Quiz, QuizKind, QuizQuestion, User, utcnow
from training.quizzes.drawing import AttemptSize, attempt_size, question_sizes
from training.quizzes.questiondata import (QUIZ_SETTING_NAMES, dump_yaml, question_data, question_ids,
                                           quiz_file_text, read_question_text)

def quiz_settings(parsed: files.Quiz) -> dict:
    return {name: getattr(parsed, name) for name in QUIZ_SETTING_NAMES}


def sync_quiz(module: Module, parsed: files.Quiz | None, counts) -> Quiz | None:
    """Bring a module's quiz in line with its checked quiz file; `counts` is a Counter."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))
    return _sync(quiz, parsed, counts, lambda: Quiz(kind=QuizKind.MODULE, module_id=module.id), "quizzes")


def sync_exam(course: Course, parsed: files.Quiz | None, counts) -> Quiz | None:
    """Bring a course's final exam in line with its checked exam file."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.EXAM))
    return _sync(quiz, parsed, counts, lambda: Quiz(kind=QuizKind.EXAM, course_id=course.id), "exams")


def _sync(quiz: Quiz | None, parsed: files.Quiz | None, counts, new_quiz, noun: str) -> Quiz | None:
    if parsed is None:
        if quiz is not None and quiz.retired_at is None and quiz.files_hash:
            quiz.retired_at = utcnow()
            counts[f"{noun} retired"] += 1
        return quiz
    if quiz is None:
        quiz = new_quiz()
        quiz.path, quiz.settings, quiz.source, quiz.files_hash = parsed.path, {}, "", ""
        db.session.add(quiz)
        counts[f"{noun} added"] += 1
    elif quiz.files_hash == parsed.content_hash:
        if quiz.retired_at is not None:
            quiz.retired_at = None
            counts[f"{noun} restored"] += 1
        return quiz
    else:
        counts[f"{noun} updated"] += 1
    quiz.path, quiz.settings, quiz.source = parsed.path, quiz_settings(parsed), parsed.source
    quiz.files_hash, quiz.retired_at = parsed.content_hash, None
    db.session.flush()
    existing = {q.key: q for q in db.session.scalars(select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id))}
    for position, question in enumerate(parsed.questions):
        data = question_data(question)
        row = existing.get(question.id)
        if row is None:
            db.session.add(QuizQuestion(quiz_id=quiz.id, key=question.id, position=position, data=data))
            counts["questions added"] += 1
            continue
        if row.data != data or row.retired_at is not None:
            row.data, row.retired_at = data, None
            counts["questions updated"] += 1
        row.position = position
    wanted = {question.id for question in parsed.questions}
    for key, row in existing.items():
        if key not in wanted and row.retired_at is None:
            row.retired_at = utcnow()
            counts["questions retired"] += 1
    db.session.flush()
    return quiz


def active_pool(quiz: Quiz) -> list[tuple[int, dict]]:
    """[(question id, data)] of the questions an attempt may draw, in the authors' order."""
    rows = db.session.execute(
        select(QuizQuestion.id, QuizQuestion.data)
        .where(QuizQuestion.quiz_id == quiz.id, QuizQuestion.retired_at.is_(None))
        .order_by(QuizQuestion.position, QuizQuestion.id)).all()
    return [(row.id, row.data) for row in rows]


_sizes = Kept(1024)  # (quiz id, revision)


def quiz_size(quiz: Quiz) -> AttemptSize:
    """How many questions an attempt at `quiz` will have, for its overview page. The sizes of the
    questions in use depend only on content, so they are read once per process and content
    revision (training/courses/revision.py), not with every view."""
    sizes = _sizes.get((quiz.id, content_revision()),  # the revision is read before the questions
                       lambda: question_sizes(active_pool(quiz)))
    return attempt_size([], quiz.settings, sizes)


def judgement(quiz: Quiz) -> tuple[QuizFigures, list[str]]:
    """The pool's figures and what the judgement checks say about it (courses/quizchecks.py):
    in the bank these are warnings, shown after every change; `courses check` refuses the worst."""
    questions = [data for _, data in active_pool(quiz)]
    return quiz_figures(questions, quiz.settings.get("draw")), pool_warnings(questions, quiz.settings.get("draw"))


def refresh_source(quiz: Quiz) -> None:
    """Rewrite the quiz file from the settings and the questions in use."""
    db.session.flush()
    quiz.source = quiz_file_text(quiz.settings, [data for _, data in active_pool(quiz)])


def competency_codes() -> set[str] | None:
    """Competency codes of the synced framework.yml; None (no check) when there is none."""
    view = framework()
    return {item.code for category in view.categories for item in category.items} if view.categories else None


def taken_ids(rows: list[QuizQuestion], *, leaving_out: QuizQuestion | None = None) -> set[str]:
    """Ids in use by a quiz's questions, retired ones too (their attempts keep them)."""
    return {key for row in rows if row is not leaving_out for key in question_ids(row.data)}


class QuestionProblems(Exception):
    """A question (or an import) was refused; `problems` say what to fix."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def check_question(quiz: Quiz, text: str, question: QuizQuestion | None = None) -> dict:
    """The data of a question written as YAML, checked as `courses check` would; raises
    QuestionProblems. Replacing `question` may not change its id (attempts and statistics
    follow it)."""
    data, problems = read_question_text(text, taken_ids(quiz.questions, leaving_out=question), competency_codes())
    if data is None:
        raise QuestionProblems([_("line %(line)d: %(message)s", line=p.line, message=p.message) for p in problems])
    if question is not None and data["id"] != question.key:
        raise QuestionProblems([_("the id stays '%(id)s': attempts and statistics follow it. To make a different "
                                  "question, add a new one and retire this one.", id=question.key)])
    return data


def save_question(quiz: Quiz, text: str, author: User, question: QuizQuestion | None = None) -> QuizQuestion:
    """Add a question written as YAML, or replace `question` with it."""
    data = check_question(quiz, text, question)
    if question is None:
        last = max((row.position for row in quiz.questions), default=-1)
        question = QuizQuestion(quiz_id=quiz.id, key=data["id"], position=last + 1, data=data)
        db.session.add(question)
    question.data, question.updated_by_id, question.updated_at = data, author.id, utcnow()
    refresh_source(quiz)
    return question


def set_retired(quiz: Quiz, question: QuizQuestion, retired: bool, author: User) -> None:
    """Retire a question (no longer drawn; past attempts keep it) or bring it back."""
    question.retired_at = utcnow() if retired else None
    question.updated_by_id = author.id
    refresh_source(quiz)


def question_text(data: dict) -> str:
    """A question as the YAML an author edits."""
    return dump_yaml(data)


def _blank_feedback_dropped(question: files.Question) -> files.Question:
    """GIFT options often carry no feedback; in our files that is a missing field, not an empty one."""
    options = [replace(option, feedback=option.feedback or None) for option in question.options]
    parts = [_blank_feedback_dropped(part) for part in question.questions]
    return replace(question, options=options, questions=parts)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # with skip_invalid: each refused question and why

    def summary(self) -> str:
        return _("%(added)d added, %(updated)d updated, %(unchanged)d unchanged",
                 added=len(self.added), updated=len(self.updated), unchanged=len(self.unchanged))


def import_questions(quiz: Quiz, questions: list[files.Question], author: User | None, *,
                     skip_invalid: bool = False) -> ImportReport:
    """Add questions to the pool, or replace those with the same id. Every question is
    checked first; if any has a problem, nothing is imported, unless `skip_invalid`: then the
    others are imported and the report's `skipped` lists each refused one with its reasons."""
    rows = list(quiz.questions)
    existing = {row.key: row for row in rows}
    codes = competency_codes()
    problems: list[str] = []
    checked: list[dict] = []
    seen: set[str] = set()
    for number, question in enumerate(questions, start=1):
        row = existing.get(question.id)
        taken = taken_ids(rows, leaving_out=row) | seen
        data, found = read_question_text(dump_yaml(question_data(_blank_feedback_dropped(question))), taken, codes)
        if data is None:
            problems.extend(_("question %(number)d ('%(id)s'): %(message)s", number=number, id=question.id,
                              message=p.message) for p in found)
            continue
        seen |= question_ids(data)
        checked.append(data)
    if problems and not skip_invalid:
        raise QuestionProblems(problems)
    report = ImportReport(skipped=problems)
    position = max((row.position for row in rows), default=-1)
    for data in checked:
        row = existing.get(data["id"])
        if row is None:
            position += 1
            db.session.add(QuizQuestion(quiz_id=quiz.id, key=data["id"], position=position, data=data,
                                        updated_by_id=author.id if author else None))
            report.added.append(data["id"])
        elif row.data == data and row.retired_at is None:
            report.unchanged.append(data["id"])
        else:
            row.data, row.retired_at, row.updated_by_id = data, None, author.id if author else None
            report.updated.append(data["id"])
    refresh_source(quiz)
    return report
