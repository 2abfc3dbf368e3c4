"""A small course with a quiz of every question type, and helpers to answer it."""
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from training.courses.files import load_library
from training.courses.operations import sync_library
from training.extensions import db
from training.models import Quiz, QuizAttempt, Role
from training.staff.cohorts import assign_supervisor

FIXTURE = Path(__file__).parent.parent / "courses" / "fixtures" / "valid"
QUIZ_FILE = "core/boundaries/quiz.yml"
QUIZ_URL = "/courses/core/boundaries/quiz"
ESSAY = """
  - id: reflect-on-gifts
    type: essay
    prompt: Describe a time a gift changed a relationship.
    guidance: Write a few sentences; you do not need to share private details.
    rubric: Names the tension between warmth and the policy.
"""


@pytest.fixture()
def content(tmp_path):
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE, target)
    return target


def set_quiz(content: Path, *, essay: bool = True, **settings) -> None:
    """Change settings of the fixture quiz (draw=None draws every question)."""
    path = content / QUIZ_FILE
    text = path.read_text()
    for name, value in settings.items():
        shown = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        text, count = re.subn(rf"^{name}:.*$", f"{name}: {shown}", text, count=1, flags=re.M)
        assert count == 1, name
    if not essay:
        assert ESSAY in text
        text = text.replace(ESSAY, "")
    path.write_text(text)


def sync(content: Path) -> Quiz:
    sync_library(load_library(content))
    db.session.commit()
    return db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))


@pytest.fixture()
def people(make_user):
    trainee = make_user(Role.TRAINEE)
    supervisor = make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    return {"trainee": trainee, "supervisor": supervisor, "other_supervisor": make_user(Role.SUPERVISOR),
            "other_trainee": make_user(Role.TRAINEE), "staff": make_user(Role.STAFF)}


@pytest.fixture()
def every_question(content):
    """The fixture quiz with every question drawn, no cool-down and no essay: graded at once."""
    set_quiz(content, draw=None, cooldown_minutes=0, essay=False)
    set_quiz_draw_by_competency(content)
    return sync(content)


def set_quiz_draw_by_competency(content: Path) -> None:
    path = content / QUIZ_FILE
    path.write_text(path.read_text().replace("draw_by_competency: {C01.1: 1}", "draw_by_competency: {}"))


def start(client, trainee) -> QuizAttempt:
    client.sign_in_as(trainee)
    response = client.post(f"{QUIZ_URL}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(QuizAttempt, attempt_id)


def right_answer(item) -> dict:
    """Form fields answering `item` correctly, in the page's terms (shown positions)."""
    data, name = item.question, f"q{item.position}"
    kind = data["type"]
    if kind == "single":
        index = next(i for i, o in enumerate(data["options"]) if o.get("correct"))
        return {name: str(item.shown_order.index(index))}
    if kind == "multiple":
        return {name: [str(item.shown_order.index(i)) for i, o in enumerate(data["options"]) if o.get("correct")]}
    if kind == "true_false":
        return {name: "true" if data["answer"] else "false"}
    if kind == "short":
        return {name: f"  {data['answers'][0].upper()} "}
    if kind == "numerical":
        return {name: str(data["answer"] if data.get("answer") is not None else data["min"])}
    if kind == "matching":
        return {f"{name}-{left}": str(item.shown_order.index(left)) for left in range(len(data["pairs"]))}
    return {name: "A gift once made a participant feel they owed me, and we talked it through."}


def wrong_answer(item) -> dict:
    data, name = item.question, f"q{item.position}"
    kind = data["type"]
    if kind in ("single", "multiple"):
        index = next(i for i, o in enumerate(data["options"]) if not o.get("correct"))
        return {name: str(item.shown_order.index(index))}
    if kind == "true_false":
        return {name: "false" if data["answer"] else "true"}
    if kind == "matching":
        count = len(data["pairs"])
        return {f"{name}-{left}": str(item.shown_order.index((left + 1) % count)) for left in range(count)}
    if kind == "numerical":
        return {name: "-999"}
    return {name: "no idea"}


def answers(attempt, *, wrong=()) -> dict:
    """Every item answered, right except the positions in `wrong`."""
    fields = {}
    for item in attempt.items:
        fields.update(wrong_answer(item) if item.position in wrong else right_answer(item))
    return fields
