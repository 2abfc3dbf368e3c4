"""Writing our questions as Moodle GIFT text (see training.quizzes.gift for the conventions)."""
from __future__ import annotations

from training.courses.content import NumberAnswer, Question, ShortAnswer
from training.quizzes.giftformats import (answer_text, category_path, escaped, metadata_comments, moodle_weights,
                                          number_text)

ARROW, ESCAPED_ARROW = "->", "-\\>"


def write_gift(questions: list[Question]) -> str:
    """GIFT text for the questions, in order; `parse_gift` reads it back to equal questions."""
    blocks, category = [], None
    for question in questions:
        question_category = category_path(question)
        if question_category != category:
            # Moodle reads a $CATEGORY line only as a block of its own; "$course$" alone is the top.
            blocks.append("$CATEGORY: $course$" + (f"/{question_category}" if question_category else ""))
            category = question_category
        blocks.append(write_question(question, question.id, top_level=True))
        blocks.extend(write_question(part, f"{question.id}/{part.id}", top_level=False)
                      for part in question.questions)
    return "".join(block + "\n\n" for block in blocks)


def write_question(question: Question, title: str, *, top_level: bool) -> str:
    head = f"::{escaped(title)}::"
    if question.type == "scenario":
        body = f"{head}[markdown]{escaped(question.vignette or '')}"
    elif question.type == "description":  # Moodle's description: text and no answer block
        body = f"{head}[markdown]{escaped(question.prompt or '')}"
    else:
        body = f"{head}[markdown]{escaped(question.prompt or '')}{WRITE_ANSWERS[question.type](question)}"
    return "\n".join([*metadata_comments(question, top_level), body])


def general_feedback(question: Question, indent: str = "") -> str:
    if not question.explanation:
        return ""
    return f"{indent}####{answer_text(question.explanation)}" + ("\n" if indent else "")


def answer_lines(lines: list[str], question: Question, opening: str = "{") -> str:
    """Moodle's layout: one answer per line, general feedback last."""
    return opening + "\n" + "".join(f"\t{line}\n" for line in lines) + general_feedback(question, "\t") + "}"


def write_choice(question: Question) -> str:
    weights = [option.weight for option in question.options]
    if question.type == "multiple" and None in weights:
        weights = moodle_weights(question)
    lines = []
    for option, weight in zip(question.options, weights):
        if question.type == "single":
            marker = "=" if option.correct else f"~%{weight}%" if weight else "~"
        else:
            marker = f"~%{weight}%" if weight else "~"
        feedback = f"#{answer_text(option.feedback)}" if option.feedback else ""
        lines.append(marker + answer_text(option.text) + feedback)
    return answer_lines(lines, question)


def write_true_false(question: Question) -> str:
    # Moodle's order is {TRUE#feedback for a wrong answer#feedback for a right answer}.
    right, wrong = ((question.feedback_true, question.feedback_false) if question.answer
                    else (question.feedback_false, question.feedback_true))
    block = "TRUE" if question.answer else "FALSE"
    if wrong or right:
        block += "#" + answer_text(wrong or "")
    if right:
        block += "#" + answer_text(right)
    return "{" + block + general_feedback(question) + "}"


def write_short(question: Question) -> str:
    if all(isinstance(answer, str) for answer in question.answers):
        return answer_lines([f"={answer_text(answer)}" for answer in question.answers], question)
    # As Moodle's short-answer export: each answer with its weight (0 for a wrong one) and feedback.
    answers = [ShortAnswer(text=answer) if isinstance(answer, str) else answer for answer in question.answers]
    return answer_lines([f"=%{answer.weight}%{answer_text(answer.text)}"
                         + (f"#{answer_text(answer.feedback)}" if answer.feedback else "") for answer in answers],
                        question)


def write_matching(question: Question) -> str:
    # GIFT splits a pair at its first "->", so one inside a left side is written "-\>" (Markdown for "->").
    return answer_lines([f"={answer_text(pair.left).replace(ARROW, ESCAPED_ARROW)} -> {escaped(pair.right)}"
                         for pair in question.pairs] + [f"= -> {escaped(right)}" for right in question.distractors],
                        question)


def write_numerical(question: Question) -> str:
    if not question.other_answers and not question.wrong_feedback:
        return "{#" + number_spec(question) + general_feedback(question) + "}"
    # As Moodle writes several answers: one a line, each with its weight and feedback, ~#… last.
    lines = [f"={number_spec(question)}"]
    lines += [f"=%{answer.weight}%{number_spec(answer)}" + (f"#{answer_text(answer.feedback)}" if answer.feedback
                                                            else "") for answer in question.other_answers]
    if question.wrong_feedback:
        lines.append(f"~#{answer_text(question.wrong_feedback)}")
    return answer_lines(lines, question, opening="{#")


def number_spec(answer: Question | NumberAnswer) -> str:
    """3.5, 3.5:0.5 or 1..5."""
    if answer.answer is None:
        return f"{number_text(answer.minimum)}..{number_text(answer.maximum)}"
    tolerance = f":{number_text(answer.tolerance)}" if answer.tolerance is not None else ""
    return number_text(answer.answer) + tolerance


def write_essay(question: Question) -> str:
    return "{" + general_feedback(question) + "}"


WRITE_ANSWERS = {
    "single": write_choice,
    "multiple": write_choice,
    "true_false": write_true_false,
    "short": write_short,
    "matching": write_matching,
    "numerical": write_numerical,
    "essay": write_essay,
}
