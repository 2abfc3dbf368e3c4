"""Questions as plain data: to and from Question, typed-in questions, and writing quiz.yml."""
import shutil
from pathlib import Path

import pytest
import yaml

from training.courses.content import MatchPair, Option, Question
from training.courses.files import check_library
from training.quizzes.questiondata import question_data, question_from_data, quiz_file_text, read_question_text

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"
QUIZ_FILE = "core/boundaries/quiz.yml"
CODES = {"C01.1", "C01.2", "C02.1"}

EVERY_TYPE = [
    Question(id="gift-card", type="single", prompt="What do you do?", points=2, competencies=["C01.1"],
             tags=["gifts", "money"], explanation="Codes of ethics say so.",
             options=[Option(text="Explain the policy", correct=True, feedback="Yes.", weight=None),
                      Option(text="Accept it", correct=False, feedback=None, weight=None)]),
    Question(id="peer-role", type="multiple", prompt="Which are part of the role?",
             options=[Option(text="Listening", correct=True, feedback="Yes.", weight=50),
                      Option(text="Sharing", correct=True, feedback="Yes.", weight=50),
                      Option(text="Prescribing", correct=False, feedback="No.", weight=-100),
                      Option(text="Nothing", correct=False, feedback="No.", weight=0)]),
    Question(id="unweighted", type="multiple", prompt="Pick the right ones.",
             options=[Option(text="A", correct=True, feedback="", weight=None),
                      Option(text="B", correct=False, feedback=None, weight=None)]),
    Question(id="clinical", type="true_false", prompt="Peer support is clinical.", answer=False,
             feedback_true="It is not.", feedback_false="Right."),
    Question(id="bare-true", type="true_false", prompt="The sky is up.", answer=True),
    Question(id="late-call", type="scenario", prompt=None, competencies=["C02.1"],
             vignette="It is 11 pm.\n\nA participant calls your personal phone.",
             questions=[
                 Question(id="first-step", type="single", prompt="First step?",
                          options=[Option(text="Check they are safe", correct=True, feedback="Safety.", weight=None),
                                   Option(text="Let it ring", correct=False, feedback="No.", weight=None)]),
                 Question(id="crisis-number", type="short", prompt="Which number?", answers=["988"]),
             ]),
    Question(id="scenario-with-prompt", type="scenario", prompt="Read this first.", vignette="A situation.",
             explanation="Why.", questions=[Question(id="reflect", type="essay", prompt="What now?")]),
    Question(id="acronym", type="short", prompt="The acronym?", answers=["CPSS", "C.P.S.S."], case_sensitive=True),
    Question(id="match-lines", type="matching", prompt="Match them.",
             pairs=[MatchPair(left="Warm line", right="Before a crisis"),
                    MatchPair(left="Crisis line", right="During a crisis")]),
    Question(id="hours", type="numerical", prompt="How many hours?", answer=25, tolerance=0.5),
    Question(id="exact", type="numerical", prompt="How many days?", answer=3.5),
    Question(id="zero-tolerance", type="numerical", prompt="How many?", answer=10, tolerance=0),
    Question(id="gift-value", type="numerical", prompt="A small gift, in dollars?", minimum=0, maximum=10),
    Question(id="reflection", type="essay", prompt="Describe a time.", guidance="A few sentences.",
             rubric="Names the tension."),
    Question(id="bare-essay", type="essay", prompt="Anything else?"),
]


def fixture_quiz() -> tuple[dict, list[dict]]:
    """The fixture quiz's settings and its questions as data, read straight from the YAML."""
    quiz = yaml.safe_load((FIXTURE / QUIZ_FILE).read_text())
    questions = quiz.pop("questions")
    return quiz, questions


def loaded_quiz(root: Path):
    library, problems = check_library(root)
    assert problems == []
    return library.courses["core"].module("boundaries").quiz


@pytest.fixture()
def content(tmp_path):
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.mark.parametrize("question", EVERY_TYPE, ids=[question.id for question in EVERY_TYPE])
def test_question_data_reads_back_to_the_same_question(question):
    assert question_from_data(question_data(question)) == question


@pytest.mark.parametrize("data", fixture_quiz()[1], ids=[data["id"] for data in fixture_quiz()[1]])
def test_data_from_a_quiz_file_reads_back_to_the_same_data(data):
    assert question_data(question_from_data(data)) == data


def test_question_data_leaves_out_fields_at_their_defaults():
    assert question_data(Question(id="bare-essay", type="essay", prompt="Anything?")) == {
        "id": "bare-essay", "type": "essay", "prompt": "Anything?"}
    assert question_data(EVERY_TYPE[2])["options"] == [{"text": "A", "correct": True, "feedback": ""},
                                                       {"text": "B"}]
    assert question_data(EVERY_TYPE[-3]) == {"id": "gift-value", "type": "numerical",
                                             "prompt": "A small gift, in dollars?", "min": 0, "max": 10}


def stripped(value):
    """The reader drops the spaces around a text, such as the newline a | block ends with."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [stripped(item) for item in value]
    if isinstance(value, dict):
        return {name: stripped(item) for name, item in value.items()}
    return value


def test_question_data_matches_what_the_quiz_file_reader_makes_of_the_file(content):
    _, questions = fixture_quiz()
    assert [question_data(question) for question in loaded_quiz(content).questions] == stripped(questions)


TYPED_QUESTION = """\
id: new-question
type: single
competencies: [C01.1]
prompt: |
  Maria offers you a gift.
  What do you do?
options:
  - {text: Explain the policy, correct: true, feedback: Warmth and safety.}
  - {text: Accept it, feedback: It creates a debt.}
"""


def test_read_question_text_returns_the_questions_data():
    data, problems = read_question_text(TYPED_QUESTION, {"gift-card"}, CODES)
    assert problems == []
    assert data == {
        "id": "new-question", "type": "single", "prompt": "Maria offers you a gift.\nWhat do you do?",
        "competencies": ["C01.1"],
        "options": [{"text": "Explain the policy", "correct": True, "feedback": "Warmth and safety."},
                    {"text": "Accept it", "feedback": "It creates a debt."}],
    }


def test_read_question_text_without_a_framework_accepts_any_competency_code():
    data, problems = read_question_text(TYPED_QUESTION.replace("C01.1", "C42.7"), set(), None)
    assert problems == [] and data["competencies"] == ["C42.7"]


def test_read_question_text_does_not_change_the_taken_ids():
    taken = {"gift-card"}
    read_question_text(TYPED_QUESTION, taken, CODES)
    assert taken == {"gift-card"}


def only_problem(text: str, taken_ids=frozenset({"gift-card", "first-step"})):
    data, problems = read_question_text(text, set(taken_ids), CODES)
    assert data is None and len(problems) == 1
    return problems[0]


def test_read_question_text_refuses_an_id_the_quiz_already_uses():
    problem = only_problem(TYPED_QUESTION.replace("new-question", "gift-card"))
    assert (problem.path, problem.line) == ("the question", 1)
    assert "'gift-card' is used twice" in problem.message


def test_read_question_text_refuses_an_id_used_inside_a_scenario():
    problem = only_problem(TYPED_QUESTION.replace("new-question", "first-step"))
    assert "'first-step' is used twice" in problem.message


def test_read_question_text_refuses_an_unknown_competency_code():
    problem = only_problem(TYPED_QUESTION.replace("C01.1", "C99.9"))
    assert problem.line == 3
    assert "unknown competency code 'C99.9'" in problem.message


def test_read_question_text_refuses_bad_yaml():
    problem = only_problem("id: new-question\ntype: essay\nprompt: [never closed\n")
    assert problem.line >= 3
    assert problem.message.startswith("YAML syntax error")


def test_read_question_text_reports_problems_of_the_question_with_their_lines():
    problem = only_problem("id: new-question\ntype: essay\nprompt: Why?\nrubrik: Names the tension.\n")
    assert problem.line == 4 and "rubrik" in problem.message


def test_read_question_text_refuses_a_list_item_instead_of_a_question():
    problem = only_problem("- id: new-question\n  type: essay\n  prompt: Why?\n")
    assert problem.line == 1 and "'name: value' fields" in problem.message


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_read_question_text_refuses_an_empty_question(text):
    problem = only_problem(text)
    assert problem.line == 1
    assert "empty" in problem.message


def test_an_empty_typed_question_says_how_to_start():
    assert "start with 'id:' and 'type:'" in only_problem("").message


def test_quiz_file_text_is_a_quiz_file_the_reader_accepts_with_the_same_quiz(content):
    original = loaded_quiz(content)
    settings, questions = fixture_quiz()
    (content / QUIZ_FILE).write_text(quiz_file_text(settings, questions))
    written = loaded_quiz(content)
    assert written.questions == original.questions
    for name in settings:
        assert getattr(written, name) == getattr(original, name), name
    assert written.source != original.source  # the file was rewritten, not left as it was


def test_quiz_file_text_keeps_awkward_texts(content):
    settings, questions = fixture_quiz()
    awkward = {
        "id": "awkward-texts", "type": "multiple",
        "prompt": "Line one: with a colon\n# not a comment\n- not a list\n\n    indented code\nA hard break  \nend",
        "tags": ["yes", "null", "1.0", "@home"],
        "options": [{"text": text, **({"correct": True} if index == 0 else {}), "feedback": f"'{text}' & \"{text}\""}
                    for index, text in enumerate(["yes", "no", "~", "1.0", "- dash", "key: value", "[link]",
                                                  "{brace}", "%20", "*star*", "café ✓", "!tag", "> quote"])],
        "explanation": "Ends with a line break\nthat is kept | > ' \"",
    }
    short = {"id": "awkward-answers", "type": "short", "prompt": "Which?", "answers": ["007", "True", "3.50"]}
    (content / QUIZ_FILE).write_text(quiz_file_text(settings, [*questions, awkward, short]))
    written = loaded_quiz(content)
    assert [question_data(question) for question in written.questions[-2:]] == [awkward, short]


def test_quiz_file_text_writes_multi_line_text_as_a_block(content):
    settings, questions = fixture_quiz()
    text = quiz_file_text(settings, questions)
    assert "    vignette: |\n      It is 11 pm. A participant calls your personal phone.\n" in text
    assert text.startswith("pass_mark: 80\nattempts: 3\n")


def test_quiz_file_text_without_questions_is_refused_by_the_reader(content):
    settings, _ = fixture_quiz()
    text = quiz_file_text(settings, [])
    assert yaml.safe_load(text)["questions"] == []
    (content / QUIZ_FILE).write_text(text)
    library, problems = check_library(content)
    assert library is None
    assert any("at least one question" in problem.message for problem in problems)
