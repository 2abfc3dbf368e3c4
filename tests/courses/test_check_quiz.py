"""check_library on broken quiz.yml: settings and every question type.

Each case makes one replacement in the valid fixture's core/boundaries/quiz.yml and expects exactly these
problems (see test_check.py for the rest of the content tree).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.courses.files import check_library

VALID = Path(__file__).parent / "fixtures" / "valid"
QUIZ_FILE = "core/boundaries/quiz.yml"


def case(name: str, old: str, new: str, *expected: str):
    return pytest.param(old, new, list(expected), id=name)


def check_with_quiz_edit(tmp_path: Path, old: str, new: str) -> list[str]:
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    text = (root / QUIZ_FILE).read_text(encoding="utf-8")
    assert old in text, f"the fixture {QUIZ_FILE} no longer contains {old!r}"
    (root / QUIZ_FILE).write_text(text.replace(old, new, 1), encoding="utf-8")
    library, problems = check_library(root)
    assert (library is None) == bool(problems)
    return [str(problem) for problem in problems]


CASES = [
    case('quiz-unknown-question-type', 'type: essay', 'type: long_answer',
         "core/boundaries/quiz.yml:77: unknown question type 'long_answer'; use one of single, multiple, "
         "true_false, scenario, short, matching, numerical, essay, description"),
    case('quiz-single-without-options',
         '    options:\n      - text: Thank her', '    choices:\n      - text: Thank her',
         "core/boundaries/quiz.yml:11: question 'gift-card' needs the field 'options'",
         "core/boundaries/quiz.yml:16: unknown field 'choices' in question 'gift-card'; the fields here are: "
         "competencies, explanation, id, options, points, prompt, tags, type"),
    case('quiz-single-no-correct-option',
         '        correct: true\n        feedback: Warmth', '        feedback: Warmth',
         "core/boundaries/quiz.yml:17: no option of question 'gift-card' is marked correct: true; a single "
         "question has exactly one"),
    case('quiz-single-two-correct-options',
         '        feedback: Kind in the moment', '        correct: true\n        feedback: Kind in the moment',
         "core/boundaries/quiz.yml:17: 2 options of question 'gift-card' are marked correct, but a single "
         "question has exactly one; use type: multiple for several right answers"),
    case('quiz-single-one-option', '          - {text: Let it ring, feedback: They may be in danger.}\n', '',
         "core/boundaries/quiz.yml:50: question 'late-call-first-step' needs at least two options"),
    case('quiz-option-with-empty-feedback',
         'judging, correct: true, weight: 50, feedback: Yes.}', 'judging, correct: true, weight: 50, feedback: ""}',
         "core/boundaries/quiz.yml:30: 'feedback' is empty; give it some text"),
    case('quiz-duplicate-question-id', 'id: late-call-number', 'id: gift-card',
         "core/boundaries/quiz.yml:52: the question id 'gift-card' is used twice in this quiz; ids must be "
         "unique, because answers are stored by id"),
    case('quiz-draw-larger-than-pool', 'draw: 6', 'draw: 9',
         'core/boundaries/quiz.yml:4: draw is 9, but the pool has only 8 questions; lower draw or add questions'),
    case('quiz-pass-mark-out-of-range', 'pass_mark: 80', 'pass_mark: 120',
         "core/boundaries/quiz.yml:1: 'pass_mark' is 120; it should be from 0 to 100"),
    case('quiz-unknown-review-and-counts', 'review: after_pass\ncounts: highest', 'review: always\ncounts: best',
         "core/boundaries/quiz.yml:8: 'review' should be one of after_pass, after_last_attempt, never, but it "
         "is text ('always')",
         "core/boundaries/quiz.yml:9: 'counts' should be one of highest, latest, first, but it is text ('best')"),
    case('quiz-unknown-competency', 'competencies: [C02.1]', 'competencies: [C09.9]',
         "core/boundaries/quiz.yml:42: unknown competency code 'C09.9'; codes are listed in framework.yml"),
    case('quiz-draw-by-unknown-competency', 'draw_by_competency: {C01.1: 1}', 'draw_by_competency: {C07.1: 1}',
         "core/boundaries/quiz.yml:5: unknown competency code 'C07.1' in 'draw_by_competency'; codes are listed "
         "in framework.yml"),
    case('quiz-draw-by-competency-too-few-tagged',
         'draw_by_competency: {C01.1: 1}', 'draw_by_competency: {C01.1: 2}',
         'core/boundaries/quiz.yml:5: draw_by_competency asks for 2 questions tagged C01.1, but the pool has '
         'only 1 tagged with it'),
    case('quiz-weights-do-not-add-up',
         'a purpose, correct: true, weight: 50,', 'a purpose, correct: true, weight: 40,',
         'core/boundaries/quiz.yml:29: the weights of the correct options should add up to 100'),
    case('quiz-weight-out-of-range', 'weight: -50', 'weight: -150',
         "core/boundaries/quiz.yml:31: 'weight' is -150; it should be from -100 to 100"),
    case('quiz-some-weights-missing',
         "medication, weight: -50, feedback", "medication, feedback",
         'core/boundaries/quiz.yml:29: give every option a weight, or give none'),
    case('quiz-weight-on-single',
         'they are safe, correct: true,', 'they are safe, correct: true, weight: 100,',
         "core/boundaries/quiz.yml:50: the option 'Check they are safe' of question 'late-call-first-step' has "
         "weight 100: in a single question only a wrong option takes a weight, the share of the points it still "
         "earns, from 1 to 99"),
    case('quiz-true-false-answer-not-bool', 'answer: false', 'answer: maybe',
         "core/boundaries/quiz.yml:36: 'answer' should be true or false, but it is text ('maybe')"),
    case('quiz-nested-scenario', '        type: short', '        type: scenario',
         "core/boundaries/quiz.yml:53: unknown question type 'scenario' inside a scenario; use one of single, "
         "multiple, true_false, short, matching, numerical, essay"),
    case('quiz-scenario-without-vignette',
         '    vignette: |\n      It is 11 pm. A participant calls your personal phone.\n', '',
         "core/boundaries/quiz.yml:40: question 'scenario-late-call' needs the field 'vignette'"),
    case('quiz-short-without-answers', 'answers: ["988"]', 'answers: []',
         'core/boundaries/quiz.yml:55: list at least one accepted answer that earns every point (plain text, or '
         'weight: 100)'),
    case('quiz-matching-one-pair', '      - {left: Crisis line, right: Help during a crisis}\n', '',
         "core/boundaries/quiz.yml:61: question 'match-terms' needs at least two pairs"),
    case('quiz-numerical-answer-and-range', '    answer: 10\n', '    answer: 10\n    min: 5\n    max: 15\n',
         'core/boundaries/quiz.yml:64: give either answer (with an optional tolerance) or min and max, not both'),
    case('quiz-numerical-without-answer', '    min: 0\n    max: 10\n', '',
         'core/boundaries/quiz.yml:70: a numerical question needs an answer (with an optional tolerance) or a '
         'range with min and max'),
    case('quiz-numerical-min-above-max', '    min: 0\n    max: 10\n', '    min: 20\n    max: 10\n',
         'core/boundaries/quiz.yml:73: min (20) is larger than max (10)'),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_broken_quiz_reports_exactly(tmp_path, old, new, expected):
    assert check_with_quiz_edit(tmp_path, old, new) == expected
