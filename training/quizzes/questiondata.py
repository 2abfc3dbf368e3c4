"""Questions as plain data: the fields of one question exactly as quiz.yml writes them.

The database keeps questions in this form (QuizQuestion.data, AttemptItem.question), the
quiz file is written from it, and a question typed in the browser is checked by the same
reader that checks quiz files, so there is one set of rules for every way in.
"""
from __future__ import annotations

import yaml

from training.courses.content import MatchPair, NumberAnswer, Option, Problem, Question, ShortAnswer, short_answer
from training.courses.questions import read_question
from training.courses.reading import FileReader, parse_yaml

QUIZ_SETTING_NAMES = ("pass_mark", "attempts", "cooldown_minutes", "draw", "draw_by_competency",
                      "shuffle_options", "time_limit_minutes", "review", "counts")


def question_data(question: Question) -> dict:
    """A Question as the mapping quiz.yml holds, leaving out fields at their defaults."""
    data: dict = {"id": question.id, "type": question.type}
    if question.prompt is not None:
        data["prompt"] = question.prompt
    if question.points != 1:
        data["points"] = question.points
    if question.competencies:
        data["competencies"] = list(question.competencies)
    if question.tags:
        data["tags"] = list(question.tags)
    if question.type in ("single", "multiple"):
        data["options"] = [_option_data(option) for option in question.options]
    elif question.type == "true_false":
        data["answer"] = question.answer
        _put_if_set(data, feedback_true=question.feedback_true, feedback_false=question.feedback_false)
    elif question.type == "scenario":
        data["vignette"] = question.vignette
        data["questions"] = [question_data(part) for part in question.questions]
    elif question.type == "short":
        data["answers"] = [_short_answer_data(answer) for answer in question.answers]
        if question.case_sensitive:
            data["case_sensitive"] = True
    elif question.type == "matching":
        data["pairs"] = [{"left": pair.left, "right": pair.right} for pair in question.pairs]
        if question.distractors:
            data["distractors"] = list(question.distractors)
    elif question.type == "numerical":
        data.update(_number_data(question))
        if question.other_answers:
            data["other_answers"] = [_number_data(answer) | {"weight": answer.weight} for answer in question.other_answers]
            for answer, answer_data in zip(question.other_answers, data["other_answers"]):
                _put_if_set(answer_data, feedback=answer.feedback)
        _put_if_set(data, wrong_feedback=question.wrong_feedback)
    elif question.type == "essay":
        _put_if_set(data, guidance=question.guidance, rubric=question.rubric)
    _put_if_set(data, explanation=question.explanation)
    return data


def _option_data(option: Option) -> dict:
    data = {"text": option.text}
    if option.correct:
        data["correct"] = True
    if option.weight is not None:
        data["weight"] = option.weight
    if option.feedback is not None:
        data["feedback"] = option.feedback
    return data


def _number_data(answer: Question | NumberAnswer) -> dict:
    """A number with its tolerance, or a range."""
    if answer.answer is None:
        return {"min": answer.minimum, "max": answer.maximum}
    data = {"answer": answer.answer}
    _put_if_set(data, tolerance=answer.tolerance)
    return data


def _short_answer_data(answer: str | ShortAnswer) -> str | dict:
    if isinstance(answer, str):
        return answer
    data = {"text": answer.text, "weight": answer.weight}
    _put_if_set(data, feedback=answer.feedback)
    return data


def _put_if_set(data: dict, **values) -> None:
    data.update({name: value for name, value in values.items() if value is not None})


def question_from_data(data: dict) -> Question:
    """The Question a stored mapping describes (the mapping was checked when stored)."""
    return Question(
        id=data["id"], type=data["type"], prompt=data.get("prompt"), points=data.get("points", 1),
        competencies=list(data.get("competencies", [])), tags=list(data.get("tags", [])),
        explanation=data.get("explanation"),
        options=[Option(text=o["text"], correct=bool(o.get("correct")), feedback=o.get("feedback"),
                        weight=o.get("weight")) for o in data.get("options", [])],
        answer=data.get("answer"), feedback_true=data.get("feedback_true"),
        feedback_false=data.get("feedback_false"), vignette=data.get("vignette"),
        questions=[question_from_data(part) for part in data.get("questions", [])],
        answers=[answer if isinstance(answer, str) else short_answer(**answer) for answer in data.get("answers", [])],
        case_sensitive=bool(data.get("case_sensitive")),
        pairs=[MatchPair(left=p["left"], right=p["right"]) for p in data.get("pairs", [])],
        distractors=list(data.get("distractors", [])),
        tolerance=data.get("tolerance"), minimum=data.get("min"), maximum=data.get("max"),
        other_answers=[NumberAnswer(answer=a.get("answer"), tolerance=a.get("tolerance"), minimum=a.get("min"),
                                    maximum=a.get("max"), weight=a["weight"], feedback=a.get("feedback"))
                       for a in data.get("other_answers", [])],
        wrong_feedback=data.get("wrong_feedback"),
        guidance=data.get("guidance"), rubric=data.get("rubric"),
    )


def question_ids(data: dict) -> set[str]:
    """The ids a question uses: its own and, for a scenario, its questions' ids."""
    return {data["id"], *(part["id"] for part in data.get("questions", []))}


def read_question_text(text: str, taken_ids: set[str], competency_codes: set[str] | None,
                       label: str = "the question") -> tuple[dict | None, list[Problem]]:
    """Check one question written as YAML (as in quiz.yml, without the leading '- ').

    Returns the question's data, or None with the problems found; `taken_ids` are the ids
    of the quiz's other questions, which this one may not reuse.
    """
    if not text.strip():
        return None, [Problem(label, 1, "the question is empty; start with 'id:' and 'type:'")]
    problems: list[Problem] = []
    reader = FileReader(label, problems)
    node = parse_yaml(reader, text)
    if node is None:
        return None, problems
    question = read_question(reader, node, set(taken_ids), competency_codes, in_scenario=False)
    if question is None or problems:
        return None, problems
    return question_data(question), []


class _QuizDumper(yaml.SafeDumper):
    """Writes multi-line text as '|' blocks, so a written quiz file reads like a hand-made one."""


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuizDumper.add_representer(str, _represent_text)


def dump_yaml(value) -> str:
    return yaml.dump(value, Dumper=_QuizDumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def quiz_file_text(settings: dict, questions: list[dict]) -> str:
    """quiz.yml for these settings and questions (comments of the original file are not kept)."""
    ordered = {name: settings[name] for name in QUIZ_SETTING_NAMES if name in settings}
    head = dump_yaml(ordered)
    if not questions:
        return head + "questions: []\n"
    body = "\n".join(_indent_item(dump_yaml(data)) for data in questions)
    return head + "questions:\n" + body


def _indent_item(text: str) -> str:
    lines = text.splitlines()
    return "\n".join(("  - " if index == 0 else "    ") + line if line else ""
                     for index, line in enumerate(lines)) + "\n"
