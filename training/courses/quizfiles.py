"""quiz.yml: a module's quiz settings and its pool of questions (read by questions.py)."""
from __future__ import annotations

from pathlib import Path

from training.courses.content import COMPETENCY_CODE_PATTERN, COUNTS_CHOICES, REVIEW_CHOICES, Problem, Question, Quiz
from training.courses.fields import read_amounts, read_bool, read_choice, read_items, read_number
from training.courses.questions import read_question
from training.courses.reading import Fields, FileReader, mapping_fields, parse_yaml, read_source

QUIZ_REQUIRED = {"pass_mark", "questions"}
QUIZ_OPTIONAL = {
    "attempts", "cooldown_minutes", "draw", "draw_by_competency", "shuffle_options", "time_limit_minutes",
    "review", "counts",
}


def load_quiz(root: Path, path: str, problems: list[Problem], competency_codes: set[str] | None) -> Quiz | None:
    """Read a quiz file; None (with problems recorded) when anything in it is wrong."""
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
    )


def check_draw(
    reader: FileReader, fields: Fields, draw: int | None, by_competency: dict[str, int],
    questions: list[Question | None],
) -> None:
    """Enough questions in the pool for what each attempt draws; a scenario is drawn whole, as one.

    `questions` holds None for a question with problems of its own; it still counts in the pool.
    """
    pool = len(questions)
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
