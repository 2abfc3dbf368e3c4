"""Questions of every type in a quiz.yml, each checked against the rules of its type."""
from __future__ import annotations

import yaml

from training.courses.content import (QUESTION_TYPES, MatchPair, NumberAnswer, Option, Question, ShortAnswer, is_slug,
                                      short_answer)
from training.courses.fields import (
    bad_slug_message, read_bool, read_competency_codes, read_items, read_number, read_text, read_text_list,
)
from training.courses.reading import FileReader, describe, mapping_fields, scalar_value, shown

COMMON_FIELDS = {"id", "type", "prompt", "points", "competencies", "tags", "explanation"}
REQUIRED_BY_TYPE = {
    "single": {"prompt", "options"},
    "multiple": {"prompt", "options"},
    "true_false": {"prompt", "answer"},
    "scenario": {"vignette", "questions"},
    "short": {"prompt", "answers"},
    "matching": {"prompt", "pairs"},
    "numerical": {"prompt"},
    "essay": {"prompt"},
    "description": {"prompt"},
}
NOT_FOR_TYPE = {"description": {"points", "competencies", "explanation"}}  # text to read: nothing to score
OPTIONAL_BY_TYPE = {
    "single": set(),
    "multiple": set(),
    "true_false": {"feedback_true", "feedback_false"},
    "scenario": set(),
    "short": {"case_sensitive"},
    "matching": {"distractors"},
    "numerical": {"answer", "tolerance", "min", "max", "other_answers", "wrong_feedback"},
    "essay": {"guidance", "rubric"},
    "description": set(),
}


def read_question(
    reader: FileReader, node: yaml.Node, question_ids: set[str], competency_codes: set[str] | None,
    *, in_scenario: bool,
) -> Question | None:
    """One question of any type; `question_ids` collects ids so repeats across the quiz are found."""
    if not isinstance(node, yaml.MappingNode):
        reader.report(node, "each question should be a set of 'name: value' fields, starting with id and type")
        return None
    type_node = field_node(node, "type")
    if type_node is None:
        reader.report(node, "this question needs a 'type': one of " + ", ".join(QUESTION_TYPES))
        return None
    question_type = scalar_value(type_node)
    if question_type not in QUESTION_TYPES or (in_scenario and question_type in ("scenario", "description")):
        allowed = [kind for kind in QUESTION_TYPES if not (in_scenario and kind in ("scenario", "description"))]
        reader.report(type_node, f"unknown question type '{shown(type_node)}'"
                                 f"{' inside a scenario' if in_scenario else ''}; use one of " + ", ".join(allowed))
        return None
    problems_before = len(reader.problems)
    id_node = field_node(node, "id")
    label = f"question '{id_node.value}'" if isinstance(id_node, yaml.ScalarNode) else f"a {question_type} question"
    required = REQUIRED_BY_TYPE[question_type] | {"id", "type"}
    optional = (COMMON_FIELDS | OPTIONAL_BY_TYPE[question_type]) - required - NOT_FOR_TYPE.get(question_type, set())
    fields = mapping_fields(reader, node, required=required, optional=optional, what=label)
    question_id = read_text(reader, fields, "id")
    if question_id is not None and not is_slug(question_id):
        reader.report(fields.get("id"), "question id " + bad_slug_message(question_id))
    elif question_id in question_ids:
        reader.report(fields.get("id"), f"the question id '{question_id}' is used twice in this quiz; "
                                        "ids must be unique, because answers are stored by id")
    elif question_id is not None:
        question_ids.add(question_id)
    common = dict(
        id=question_id,
        type=question_type,
        prompt=read_text(reader, fields, "prompt"),
        points=read_number(reader, fields, "points", whole=True, minimum=1) or 1,
        competencies=read_competency_codes(reader, fields, "competencies", competency_codes),
        tags=read_text_list(reader, fields, "tags"),
        explanation=read_text(reader, fields, "explanation"),
    )
    specific = READ_BY_TYPE[question_type](reader, fields, label, question_ids, competency_codes)
    if len(reader.problems) > problems_before:
        return None
    return Question(**common, **specific)


def field_node(node: yaml.MappingNode, name: str) -> yaml.Node | None:
    return next((value for key, value in node.value if key.value == name), None)


def read_choice_options(reader: FileReader, fields, label: str, question_type: str) -> list[Option]:
    options = []
    for node in read_items(reader, fields, "options"):
        option_fields = mapping_fields(reader, node, required={"text"}, optional={"correct", "weight", "feedback"},
                                       what=f"an option of {label}")
        if option_fields is None:
            continue
        options.append(Option(
            text=read_text(reader, option_fields, "text"),
            correct=bool(read_bool(reader, option_fields, "correct")),
            feedback=read_text(reader, option_fields, "feedback"),
            weight=read_number(reader, option_fields, "weight", whole=True, minimum=-100, maximum=100),
        ))
    where = fields.get("options")
    if where is not None and len(options) < 2:
        reader.report(where, f"{label} needs at least two options")
    texts = [option.text for option in options]
    for text in {text for text in texts if text and texts.count(text) > 1}:
        reader.report(where, f"the option '{text}' appears twice; make each option different")
    return options


def read_single(reader, fields, label, question_ids, competency_codes) -> dict:
    options = read_choice_options(reader, fields, label, "single")
    correct = sum(option.correct for option in options)
    if options and correct == 0:
        reader.report(fields.get("options"), f"no option of {label} is marked correct: true; "
                                             "a single question has exactly one")
    elif correct > 1:
        reader.report(fields.get("options"), f"{correct} options of {label} are marked correct, but a single "
                                             "question has exactly one; use type: multiple for several right answers")
    for option in options:
        if option.weight is not None and (option.correct or not 0 < option.weight < 100):
            reader.report(fields.get("options"), f"the option '{option.text}' of {label} has weight {option.weight}: "
                                                 "in a single question only a wrong option takes a weight, the share "
                                                 "of the points it still earns, from 1 to 99")
    return {"options": options}


def read_multiple(reader, fields, label, question_ids, competency_codes) -> dict:
    problems_before = len(reader.problems)
    options = read_choice_options(reader, fields, label, "multiple")
    where = fields.get("options")
    if len(reader.problems) > problems_before:
        return {"options": options}  # the weight rules below only make sense once each option reads well
    if options and not any(option.correct for option in options):
        reader.report(where, f"no option of {label} is marked correct: true; a multiple question needs at least one")
    weights = [option.weight for option in options]
    if any(weight is not None for weight in weights):
        if None in weights:
            reader.report(where, "give every option a weight, or give none")
        elif any((option.weight > 0) != option.correct for option in options):
            reader.report(where, "correct options need a positive weight and the others zero or a negative one")
        elif sum(weight for weight in weights if weight > 0) != 100:
            reader.report(where, "the weights of the correct options should add up to 100")
    return {"options": options}


def read_true_false(reader, fields, label, question_ids, competency_codes) -> dict:
    return {
        "answer": read_bool(reader, fields, "answer"),
        "feedback_true": read_text(reader, fields, "feedback_true"),
        "feedback_false": read_text(reader, fields, "feedback_false"),
    }


def read_scenario(reader, fields, label, question_ids, competency_codes) -> dict:
    sub_questions = [
        read_question(reader, node, question_ids, competency_codes, in_scenario=True)
        for node in read_items(reader, fields, "questions")
    ]
    if fields.get("questions") is not None and not sub_questions:
        reader.report(fields.get("questions"), "a scenario needs at least one question about its vignette")
    return {"vignette": read_text(reader, fields, "vignette"), "questions": sub_questions}


def read_short(reader, fields, label, question_ids, competency_codes) -> dict:
    answers = [read_short_answer(reader, node, label) for node in read_items(reader, fields, "answers")]
    answers = [answer for answer in answers if answer is not None]
    if fields.get("answers") is not None and not any(isinstance(answer, str) or answer.weight == 100
                                                     for answer in answers):
        reader.report(fields.get("answers"), "list at least one accepted answer that earns every point "
                                             "(plain text, or weight: 100)")
    return {"answers": answers, "case_sensitive": bool(read_bool(reader, fields, "case_sensitive"))}


def read_short_answer(reader: FileReader, node: yaml.Node, label: str) -> str | ShortAnswer | None:
    """An answer as plain text (every point, no feedback), or as text with a weight (the percent
    of the points it earns, 0 for an expected wrong answer) and feedback."""
    if isinstance(node, yaml.MappingNode):
        answer_fields = mapping_fields(reader, node, required={"text"}, optional={"weight", "feedback"},
                                       what=f"an answer of {label}")
        if answer_fields is None:
            return None
        weight = read_number(reader, answer_fields, "weight", whole=True, minimum=0, maximum=100)
        text = read_text(reader, answer_fields, "text")
        return None if text is None else short_answer(text, 100 if weight is None else weight,
                                                      read_text(reader, answer_fields, "feedback"))
    value = scalar_value(node)
    if isinstance(node, yaml.ScalarNode) and isinstance(value, str) and value.strip():
        return value.strip()
    reader.report(node, f"each answer of {label} should be text, or text with a weight and feedback, but this one "
                        f"is {describe(node)}")
    return None


def read_matching(reader, fields, label, question_ids, competency_codes) -> dict:
    pairs = []
    for node in read_items(reader, fields, "pairs"):
        pair_fields = mapping_fields(reader, node, required={"left", "right"}, optional=set(),
                                     what=f"a pair of {label}")
        if pair_fields is not None:
            pairs.append(MatchPair(left=read_text(reader, pair_fields, "left"),
                                   right=read_text(reader, pair_fields, "right")))
    if fields.get("pairs") is not None and len(pairs) < 2:
        reader.report(fields.get("pairs"), f"{label} needs at least two pairs")
    lefts = [pair.left for pair in pairs]
    for left in {left for left in lefts if left and lefts.count(left) > 1}:
        reader.report(fields.get("pairs"), f"'{left}' is on the left of two pairs; each left side must differ")
    distractors = read_text_list(reader, fields, "distractors")
    for distractor in set(distractors) & {pair.right for pair in pairs}:
        reader.report(fields.get("distractors"), f"'{distractor}' is the right side of a pair, so it cannot also be "
                                                 "a choice that matches nothing; remove it from distractors")
    return {"pairs": pairs, "distractors": distractors}


def read_numerical(reader, fields, label, question_ids, competency_codes) -> dict:
    others = []
    for node in read_items(reader, fields, "other_answers"):
        answer_fields = mapping_fields(reader, node, required={"weight"},
                                       optional={"answer", "tolerance", "min", "max", "feedback"},
                                       what=f"another answer of {label}")
        if answer_fields is not None:
            others.append(NumberAnswer(**read_number_answer(reader, answer_fields),
                                       weight=read_number(reader, answer_fields, "weight", whole=True, maximum=100),
                                       feedback=read_text(reader, answer_fields, "feedback")))
    return read_number_answer(reader, fields) | {"other_answers": others,
                                                 "wrong_feedback": read_text(reader, fields, "wrong_feedback")}


def read_number_answer(reader, fields) -> dict:
    """A number with an optional tolerance, or a range from min to max."""
    answer = read_number(reader, fields, "answer", minimum=None)
    tolerance = read_number(reader, fields, "tolerance")
    minimum = read_number(reader, fields, "min", minimum=None)
    maximum = read_number(reader, fields, "max", minimum=None)
    has_answer = fields.get("answer") is not None
    has_range = fields.get("min") is not None or fields.get("max") is not None
    if has_answer and has_range:
        reader.report(fields.line, "give either answer (with an optional tolerance) or min and max, not both")
    elif not has_answer and not has_range:
        reader.report(fields.line, "a numerical question needs an answer (with an optional tolerance) "
                                   "or a range with min and max")
    elif has_range and (fields.get("min") is None or fields.get("max") is None):
        reader.report(fields.line, "a range needs both min and max")
    elif minimum is not None and maximum is not None and minimum > maximum:
        reader.report(fields.get("min"), f"min ({minimum}) is larger than max ({maximum})")
    if fields.get("tolerance") is not None and not has_answer:
        reader.report(fields.get("tolerance"), "tolerance goes with answer; a range does not need one")
    return {"answer": answer, "tolerance": tolerance, "minimum": minimum, "maximum": maximum}


def read_essay(reader, fields, label, question_ids, competency_codes) -> dict:
    return {"guidance": read_text(reader, fields, "guidance"), "rubric": read_text(reader, fields, "rubric")}


READ_BY_TYPE = {
    "single": read_single,
    "multiple": read_multiple,
    "true_false": read_true_false,
    "scenario": read_scenario,
    "short": read_short,
    "matching": read_matching,
    "numerical": read_numerical,
    "essay": read_essay,
    "description": lambda reader, fields, label, question_ids, competency_codes: {},
}
