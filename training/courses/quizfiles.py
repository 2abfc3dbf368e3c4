"""Quiz files: a module's quiz.yml and a course's final exam, their settings and pools of questions
(each question is read by questions.py), and the judgement checks over a course's quizzes."""
from __future__ import annotations

from pathlib import Path

from training.courses.content import (COMPETENCY_CODE_PATTERN, COUNTS_CHOICES, REVIEW_CHOICES, Course, Problem,
                                     Question, Quiz)
from training.courses.fields import read_amounts, read_bool, read_choice, read_items, read_number, read_text
from training.courses.frameworkfiles import KnownCodes
from training.courses.questions import read_question
from training.courses.quizchecks import judgement_findings, quiz_figures, similar_stem_findings, stems_of
from training.courses.reading import Fields, FileReader, mapping_fields, parse_yaml, read_source
from training.quizzes.questiondata import question_data

QUIZ_REQUIRED = {"pass_mark", "questions"}
QUIZ_OPTIONAL = {
    "attempts", "cooldown_minutes", "draw", "draw_by_competency", "shuffle_options", "time_limit_minutes",
    "review", "counts",
}
EXAM_REVIEW = "never"  # an exam's questions and answers never reach a trainee's page


def load_quiz(root: Path, path: str, problems: list[Problem], competency_codes: set[str] | None, *,
              exam: bool = False) -> Quiz | None:
    """Read a quiz file; None (with problems recorded) when anything in it is wrong.

    An `exam` (a course's final exam) is proctored, marked automatically (no essays) and
    never reviewed by trainees, so its pool stays unseen."""
    source = read_source(root, path, problems)
    if source is None:
        return None
    problems_before = len(problems)
    reader = FileReader(path, problems)
    fields = mapping_fields(reader, parse_yaml(reader, source), required=QUIZ_REQUIRED, optional=QUIZ_OPTIONAL,
                            what="the quiz")
    if fields is None:
        return None
    question_ids: set[str] = set()
    questions = [
        read_question(reader, node, question_ids, competency_codes, in_scenario=False)
        for node in read_items(reader, fields, "questions")
    ]
    if fields.get("questions") is not None and not questions:
        reader.report(fields.get("questions"), "the quiz needs at least one question")
    quiz_settings = dict(
        pass_mark=read_number(reader, fields, "pass_mark", whole=True, maximum=100),
        attempts=read_number(reader, fields, "attempts", whole=True),
        cooldown_minutes=read_number(reader, fields, "cooldown_minutes", whole=True),
        draw=read_number(reader, fields, "draw", whole=True, minimum=1),
        draw_by_competency=read_amounts(
            reader, fields, "draw_by_competency", known=competency_codes, kind="competency", whole=True,
            key_pattern=COMPETENCY_CODE_PATTERN,
        ),
        shuffle_options=read_bool(reader, fields, "shuffle_options"),
        time_limit_minutes=read_number(reader, fields, "time_limit_minutes", whole=True, minimum=1),
        review=read_choice(reader, fields, "review", REVIEW_CHOICES),
        counts=read_choice(reader, fields, "counts", COUNTS_CHOICES),
    )
    check_draw(reader, fields, quiz_settings["draw"], quiz_settings["draw_by_competency"], questions)
    if exam:
        check_exam(reader, fields, quiz_settings["review"], questions)
        quiz_settings["review"] = EXAM_REVIEW
    if len(problems) > problems_before:
        return None
    return Quiz(
        path=path, source=source,
        pass_mark=quiz_settings["pass_mark"],
        attempts=quiz_settings["attempts"] or 0,
        cooldown_minutes=quiz_settings["cooldown_minutes"] or 0,
        draw=quiz_settings["draw"],
        draw_by_competency=quiz_settings["draw_by_competency"],
        shuffle_options=True if quiz_settings["shuffle_options"] is None else quiz_settings["shuffle_options"],
        time_limit_minutes=quiz_settings["time_limit_minutes"],
        review=quiz_settings["review"] or "after_pass",
        counts=quiz_settings["counts"] or "highest",
        questions=questions,
        proctored=exam,
    )


def check_exam(reader: FileReader, fields: Fields, review: str | None, questions: list[Question | None]) -> None:
    """An exam is graded the moment it is submitted, and its questions are never shown back."""
    if review not in (None, EXAM_REVIEW):
        reader.report(fields.get("review"), "an exam's questions are never shown back to trainees, so the pool "
                                            "stays unseen; use review: never or leave the line out")
    for question in questions:
        parts = [question, *question.questions] if question else []
        if any(part.type == "essay" for part in parts):
            reader.report(fields.get("questions"), f"question '{question.id}' is an essay, but an exam is marked "
                                                   "automatically the moment it is submitted; use another type")


def check_draw(
    reader: FileReader, fields: Fields, draw: int | None, by_competency: dict[str, int],
    questions: list[Question | None],
) -> None:
    """Enough questions in the pool for what each attempt draws; a scenario is drawn whole, as one.

    `questions` holds None for a question with problems of its own; it still counts in the pool.
    A description is no question: it is shown, never drawn.
    """
    pool = sum(question is None or question.type != "description" for question in questions)
    if draw is not None and draw > pool:
        reader.report(fields.get("draw"), f"draw is {draw}, but the pool has only {pool} questions; "
                                          f"lower draw or add questions")
    wanted_total = sum(by_competency.values())
    if by_competency and wanted_total > (draw or pool):
        reader.report(fields.get("draw_by_competency"), f"draw_by_competency asks for {wanted_total} questions, "
                                                        f"more than the {draw or pool} drawn for each attempt")
    if None in questions:
        return  # the tags of a question with problems are not known, so counting them would mislead
    for code, wanted in by_competency.items():
        tagged = sum(1 for question in questions if code in all_competencies(question))
        if tagged < wanted:
            reader.report(fields.get("draw_by_competency"), f"draw_by_competency asks for {wanted} questions tagged "
                                                            f"{code}, but the pool has only {tagged} tagged with it")


def all_competencies(question: Question) -> set[str]:
    codes = set(question.competencies)
    for sub_question in question.questions:
        codes |= set(sub_question.competencies)
    return codes


def judge_quizzes(course: Course, problems: list[Problem], warnings: list[Problem]) -> None:
    """The judgement rules (quizchecks.py) on every quiz of a course, and near-duplicate
    stems across all of them: errors go to `problems`, the rest to `warnings`."""
    quizzes = [module.quiz for module in course.modules if module.quiz] + (
        [course.final_exam] if course.final_exam else [])
    stems = []
    for quiz in quizzes:
        questions = [question_data(question) for question in quiz.questions]
        line = questions_line(quiz.source)
        figures = quiz_figures(questions, quiz.draw)
        for finding in judgement_findings(figures):
            (problems if finding.severity == "error" else warnings).append(Problem(quiz.path, line, finding.message))
        stems += stems_of(quiz.path, questions)
    for finding in similar_stem_findings(stems):
        warnings.append(Problem(course.path, 1, finding.message))


def questions_line(source: str) -> int:
    """The line of the `questions:` key, where findings about the whole pool are reported."""
    for number, text in enumerate(source.splitlines(), start=1):
        if text.startswith("questions:"):
            return number
    return 1


def read_quiz(
    reader: FileReader, fields: Fields, root: Path, folder: str, quiz_name: str | None, codes: KnownCodes
) -> Quiz | None:
    if quiz_name is None:
        return None
    if "/" in quiz_name or not quiz_name.endswith(".yml") or quiz_name == "module.yml":
        reader.report(fields.get("quiz"), "quiz should name a .yml file beside module.yml, such as quiz.yml")
        return None
    if not (root / folder / quiz_name).is_file():
        reader.report(fields.get("quiz"), f"there is no {quiz_name} beside this file; create it or remove "
                                          "the quiz line")
        return None
    return load_quiz(root, f"{folder}/{quiz_name}", reader.problems, codes.competencies)


def read_final_exam(reader: FileReader, fields: Fields, root: Path, course_slug: str, codes: KnownCodes
                    ) -> Quiz | None:
    """The course's proctored final exam: a quiz file beside course.yml, marked automatically."""
    name = read_text(reader, fields, "final_exam")
    if name is None:
        return None
    if "/" in name or not name.endswith(".yml") or name in ("course.yml", "module.yml"):
        reader.report(fields.get("final_exam"), "final_exam should name a .yml file beside course.yml, such as "
                                                "final-exam.yml")
        return None
    if not (root / course_slug / name).is_file():
        reader.report(fields.get("final_exam"), f"there is no {name} beside this file; create it or remove the "
                                                "final_exam line")
        return None
    return load_quiz(root, f"{course_slug}/{name}", reader.problems, codes.competencies, exam=True)
