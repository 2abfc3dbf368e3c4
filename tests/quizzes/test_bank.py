"""The question bank: sync from files, browser edits, retiring, export, GIFT in and out, statistics."""
import re

from sqlalchemy import func, select

from training.courses.files import check_library
from training.courses.export import export_library
from training.courses.operations import database_files
from training.extensions import db
from training.models import QuizAttempt, QuizQuestion, utcnow
from training.quizzes.attempts import start_attempt
from training.quizzes.stats import quiz_statistics
from tests.quizzes.conftest import QUIZ_FILE, QUIZ_URL, set_quiz, sync

NEW_QUESTION = """id: warm-line-purpose
type: single
competencies: [C01.1]
prompt: What is a warm line for?
options:
  - text: Support from a peer before things reach a crisis.
    correct: true
    feedback: Yes; crisis lines are for crises.
  - text: Emergency help during a crisis.
    feedback: That is a crisis line, such as 988.
"""

GIFT = """// A file as Moodle exports it
$CATEGORY: $course$/Boundaries

::gift-policy::[markdown]Maria offers a **$20** gift card. What do you do?{
=Thank her and explain the policy.#Warm and clear.
~Accept it quietly.#This creates a debt and a secret.
}

::peer-is-clinical::Peer support is clinical treatment.{FALSE#It is non-clinical.#Right.}

::crisis-number::Which number reaches the US crisis line?{=988 =nine eight eight}
"""


def question(key) -> QuizQuestion:
    db.session.expire_all()
    return db.session.scalar(select(QuizQuestion).where(QuizQuestion.key == key))


def test_sync_creates_the_bank_and_a_second_sync_changes_nothing(content, people):
    quiz = sync(content)
    assert quiz.settings["pass_mark"] == 80 and quiz.settings["draw"] == 6
    assert [q.key for q in quiz.questions][:3] == ["gift-card", "peer-role", "peer-support-is-clinical"]
    from training.courses.files import load_library
    from training.courses.operations import sync_library
    assert sync_library(load_library(content)).summary() == "Nothing changed."


def test_a_changed_file_updates_questions_and_retires_removed_ones(content, people):
    sync(content)
    path = content / QUIZ_FILE
    text = path.read_text().replace("What do you do next?", "What would you do next?")
    text = text.replace(text[text.index("  - id: gift-range"):text.index("  - id: reflect-on-gifts")], "")
    path.write_text(text)
    sync(content)
    assert "What would you do next?" in question("gift-card").data["prompt"]
    assert question("gift-range").retired_at is not None


def test_staff_add_edit_and_retire_questions_in_the_browser(client, login_as, content, people):
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    added = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": NEW_QUESTION, "action": "save"})
    assert added.status_code == 302
    row = question("warm-line-purpose")
    assert row.data["options"][0]["correct"] is True and row.updated_by_id == people["staff"].id
    edited = client.post(f"/author/quizzes/{quiz.id}/questions/{row.id}",
                         {"text": NEW_QUESTION.replace("What is a warm line for?", "Why call a warm line?"),
                          "action": "save"})
    assert edited.status_code == 302 and question("warm-line-purpose").data["prompt"] == "Why call a warm line?"
    client.post(f"/author/quizzes/{quiz.id}/questions/{row.id}/retire", {"retired": "1"})
    assert question("warm-line-purpose").retired_at is not None
    db.session.expire_all()
    assert "warm-line-purpose" not in db.session.get(type(quiz), quiz.id).source


def test_the_quiz_page_counts_the_questions_after_every_bank_change(client, content, people):
    """The overview's count is kept per content revision: adding or retiring a question shows at once."""
    set_quiz(content, draw=None)
    quiz = sync(content)

    def said() -> str:
        client.sign_in_as(people["trainee"])
        page = client.get(QUIZ_URL).get_data(as_text=True)
        return re.search(r"Each attempt has (\d+) questions?", page).group(1)
    before = int(said())
    client.sign_in_as(people["staff"])
    client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": NEW_QUESTION, "action": "save"})
    assert int(said()) == before + 1
    client.sign_in_as(people["staff"])
    client.post(f"/author/quizzes/{quiz.id}/questions/{question('warm-line-purpose').id}/retire", {"retired": "1"})
    assert int(said()) == before


def test_a_bad_question_is_explained_and_nothing_is_saved(client, content, people):
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    bad = NEW_QUESTION.replace("    correct: true\n", "")
    response = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": bad, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was saved" in page and "no option" in page
    duplicate = NEW_QUESTION.replace("id: warm-line-purpose", "id: gift-card")
    response = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": duplicate, "action": "save"})
    assert response.status_code == 400 and "used twice" in response.get_data(as_text=True)
    broken = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": "id: [unclosed", "action": "save"})
    assert broken.status_code == 400
    assert question("warm-line-purpose") is None
    row = question("gift-card")
    renamed = client.post(f"/author/quizzes/{quiz.id}/questions/{row.id}",
                          {"text": NEW_QUESTION, "action": "save"})
    assert renamed.status_code == 400 and "the id stays" in renamed.get_data(as_text=True)


def test_preview_shows_the_question_with_its_answers_and_saves_nothing(client, content, people):
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    response = client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": NEW_QUESTION, "action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Correct answer" in page and "crisis lines are for crises" in page
    assert question("warm-line-purpose") is None


def test_a_browser_edit_survives_a_sync_of_the_untouched_file_and_exports(client, content, people, tmp_path):
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    client.post(f"/author/quizzes/{quiz.id}/questions/new", {"text": NEW_QUESTION, "action": "save"})
    sync(content)
    assert question("warm-line-purpose").retired_at is None
    export_library(database_files(), content)
    library, problems = check_library(content)
    assert problems == []
    pool = library.courses["core"].modules[0].quiz.questions
    assert "warm-line-purpose" in [q.id for q in pool] and len(pool) == 9
    assert sync(content) and question("warm-line-purpose").retired_at is None


def test_a_retired_question_is_never_drawn(content, people):
    set_quiz(content, draw=None)
    quiz = sync(content)
    question("gift-card").retired_at = utcnow()
    db.session.commit()
    attempt = start_attempt(quiz, people["trainee"], utcnow())
    assert "gift-card" not in {item.question["id"] for item in attempt.items}


def test_gift_import_in_the_browser_then_export_and_import_again(client, content, people):
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    response = client.post(f"/author/quizzes/{quiz.id}/import", {"gift_text": GIFT})
    assert response.status_code == 302
    assert question("gift-policy").data["options"][1]["feedback"] == "This creates a debt and a secret."
    assert question("crisis-number").data["answers"] == ["988", "nine eight eight"]
    assert question("peer-is-clinical").data["answer"] is False
    exported = client.get(f"/author/quizzes/{quiz.id}/gift")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    again = client.post(f"/author/quizzes/{quiz.id}/import", {"gift_text": exported.get_data(as_text=True)})
    assert again.status_code == 302
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "0 added, 0 updated, 11 unchanged" in page


def test_untitled_questions_from_two_files_are_both_kept(client, content, people):
    """Before, an untitled question's id was its place in the file, so a second file's first
    untitled question replaced the first file's, and the summary said "updated"."""
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    before = db.session.scalar(select(func.count(QuizQuestion.id)))
    for text in ("What is a warm line for? {=Peer support by phone ~Emergencies only}",
                 "Who may read a shared story draft? {=Your supervisor ~Everyone in the cohort}"):
        response = client.post(f"/author/quizzes/{quiz.id}/import", {"gift_text": text})
        assert "1 added, 0 updated" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == before + 2


def test_a_malformed_gift_file_imports_nothing_and_names_the_question(client, content, people):
    quiz = sync(content)
    before = db.session.scalar(select(func.count(QuizQuestion.id)))
    client.sign_in_as(people["staff"])
    broken = GIFT + "\n::unclosed::What is missing?{=this\n"
    response = client.post(f"/author/quizzes/{quiz.id}/import", {"gift_text": broken})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported" in page and "question 4" in page
    unknown_code = "// competencies: C99.9\n::coded::A coded question{T}\n"
    response = client.post(f"/author/quizzes/{quiz.id}/import", {"gift_text": GIFT + "\n" + unknown_code})
    assert response.status_code == 400 and "question 4" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == before


def test_gift_cli_exports_and_imports(app, content, people, tmp_path):
    sync(content)
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["quizzes", "export-gift", "--module", "boundaries"])
    assert exported.exit_code == 0 and "::gift-card::" in exported.output
    path = tmp_path / "boundaries.gift"
    path.write_text(exported.output + "\n" + GIFT)
    imported = runner.invoke(args=["quizzes", "import-gift", str(path), "--module", "boundaries"])
    assert imported.exit_code == 0, imported.output
    assert "3 added, 0 updated, 8 unchanged" in imported.output
    path.write_text("::bad::{=a ~%50%b}\n")
    refused = runner.invoke(args=["quizzes", "import-gift", str(path), "--module", "boundaries"])
    assert refused.exit_code == 1 and "question 1" in refused.output and "nothing was imported" in refused.output
    missing = runner.invoke(args=["quizzes", "export-gift", "--module", "no-such-module"])
    assert missing.exit_code != 0 and "no module 'no-such-module'" in missing.output


def test_gift_cli_skip_invalid_imports_the_good_questions_and_lists_the_others(app, content, people, tmp_path):
    sync(content)
    before = db.session.scalar(select(func.count(QuizQuestion.id)))
    path = tmp_path / "mixed.gift"
    path.write_text("::good-one::What is a warm line for? {=Peer support by phone ~Emergencies only}\n\n"
                    "::bad::A question with {=a ~%-50%b}\n\n"
                    "// competencies: C99.9\n::unknown-code::Coded question {T}\n\n"
                    "::good-two::Who may read a shared story draft? {=Your supervisor ~Everyone in the cohort}\n")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["quizzes", "import-gift", str(path), "--module", "boundaries"])
    assert refused.exit_code == 1 and db.session.scalar(select(func.count(QuizQuestion.id))) == before
    result = runner.invoke(args=["quizzes", "import-gift", str(path), "--module", "boundaries", "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated" in result.output
    assert "skipped: question 2" in result.output and "'bad'" in result.output  # a GIFT problem, by its place
    assert "unknown-code" in result.output and "C99.9" in result.output  # refused by the bank's checks
    assert "2 problem(s): those questions were not imported." in result.output
    db.session.expire_all()
    assert question("good-one") is not None and question("good-two") is not None
    assert db.session.scalar(select(func.count(QuizQuestion.id))) == before + 2


def test_statistics_appear_once_attempts_are_marked(client, content, people, make_user):
    set_quiz(content, draw=None, essay=False, cooldown_minutes=0)
    quiz = sync(content)
    for number in range(6):
        trainee = make_user()
        attempt = start_attempt(quiz, trainee, utcnow())
        for item in attempt.items:  # stronger trainees get more right, in pool order
            item.points = item.max_points if item.position <= number + 2 else 0.0
        attempt.status, attempt.percent, attempt.submitted_at = "graded", 50.0, utcnow()
    db.session.commit()
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 6
    stats = quiz_statistics(quiz.id)
    first, fourth = (question(key) for key in ("gift-card", "scenario-late-call"))
    assert stats[first.id].facility == 1.0 and stats[first.id].discrimination is None  # all alike
    assert 0 < stats[fourth.id].facility < 1 and stats[fourth.id].discrimination > 0.5
    client.sign_in_as(people["staff"])
    page = client.get(f"/author/quizzes/{quiz.id}").get_data(as_text=True)
    assert f"{stats[fourth.id].discrimination:.2f}" in page and f"{round(stats[fourth.id].facility * 100)}%" in page


def test_a_lesson_cannot_take_the_quiz_pages_address(content, client, people):
    module = content / "core/boundaries"
    (module / "gifts.md").rename(module / "quiz.md")
    (module / "module.yml").write_text((module / "module.yml").read_text().replace("  - gifts", "  - quiz"))
    library, problems = check_library(content)
    assert library is None and any("cannot be called 'quiz'" in p.message for p in problems)
    (module / "quiz.md").rename(module / "gifts.md")
    (module / "module.yml").write_text((module / "module.yml").read_text().replace("  - quiz", "  - gifts"))
    quiz = sync(content)
    client.sign_in_as(people["staff"])
    client.post(f"/author/modules/{quiz.module_id}/lessons", {"lesson-slug": "quiz", "lesson-title": "Quiz"})
    db.session.expire_all()
    assert [lesson.slug for lesson in quiz.module.lessons] == ["why-boundaries-matter", "gifts"]
