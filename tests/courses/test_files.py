"""Loading a valid content tree, exporting it byte for byte, and editing order lists."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from training.courses.content import Problem, level_meets
from training.courses.export import export_library, library_files, set_yaml_list
from training.courses.files import ContentProblems, check_library, load_library
from training.courses.lessonlinks import LessonLink, lesson_link_target

VALID = Path(__file__).parent / "fixtures" / "valid"
REAL_CONTENT = Path(__file__).parents[2] / "courses"


@pytest.fixture(scope="module")
def library():
    library, problems = check_library(VALID)
    assert problems == []
    return library


def content_files(root: Path) -> dict[str, bytes]:
    """Every content file under root (README.md is documentation, not content)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*") if path.is_file() and path.name != "README.md"
    }


def test_valid_tree_has_no_problems_and_everything_in_order(library):
    assert list(library.courses) == ["core"]
    course = library.courses["core"]
    assert [module.slug for module in course.modules] == ["boundaries", "ethics"]
    assert [lesson.slug for lesson in course.module("boundaries").lessons] == ["why-boundaries-matter", "gifts"]
    assert [lesson.slug for lesson in course.module("ethics").lessons] == ["scope-of-practice", "confidentiality"]


def test_module_fields(library):
    module = library.courses["core"].module("boundaries")
    assert module.title == "Boundaries and dual relationships"
    assert module.summary == "Why boundaries protect both you and the people you support."
    assert module.objectives == ["Explain why a peer relationship is mutual but not a friendship."]
    assert module.contact_hours == {"ethical-responsibility": 0.25}
    assert [(lab.slug, lab.minutes, lab.domain, lab.required) for lab in module.labs] == [
        ("boundaries-practice", 90, "ethical-responsibility", True)]
    # 71 and 60 words read in a minute each; 5 + 10 minutes of activities; 6 questions drawn at 2 minutes.
    assert (module.lesson_minutes, module.quiz_minutes, module.self_paced_minutes) == (17, 12, 29)
    assert module.competencies == ["C01.1", "C02.1"]
    assert module.prerequisites == []
    assert module.references == ["SAMHSA, Core Competencies for Peer Workers (2015)"]
    assert library.courses["core"].module("ethics").prerequisites == ["boundaries"]


def test_lesson_keeps_header_fields_and_body_position(library):
    lesson = library.courses["core"].module("boundaries").lesson("gifts")
    assert lesson.title == "Gifts and favours"
    assert (lesson.words, lesson.reading_minutes, lesson.minutes) == (lesson.words, 1, 6)
    assert [(a.title, a.minutes) for a in lesson.activities] == [("Reflection: a gift that changed a relationship", 5)]
    assert lesson.content_note == "This lesson mentions money worries."
    assert lesson.body_line == 7
    assert lesson.source.split("\n")[lesson.body_line - 1:] == lesson.body.split("\n")
    assert library.courses["core"].module("boundaries").lesson("why-boundaries-matter").content_note is None


def test_every_file_keeps_its_exact_source_and_hash(library):
    files = library_files(library)
    assert set(files) == set(content_files(VALID))
    for path, text in files.items():
        assert text.encode("utf-8") == (VALID / path).read_bytes()
    lesson = library.courses["core"].module("ethics").lesson("confidentiality")
    assert lesson.content_hash == hashlib.sha256((VALID / lesson.path).read_bytes()).hexdigest()
    assert library.courses["core"].module("boundaries").quiz.content_hash == hashlib.sha256(
        (VALID / "core/boundaries/quiz.yml").read_bytes()).hexdigest()


def test_framework(library):
    framework = library.framework
    assert [domain.code for domain in framework.training_domains] == ["advocacy", "ethical-responsibility"]
    assert [category.code for category in framework.competency_categories] == ["C01", "C02"]
    assert [item.code for item in framework.competencies()] == ["C01.1", "C01.2", "C02.1"]
    assert framework.competencies()[2].category_code == "C02"
    assert framework.rubric_level("no-opportunity").rank is None


def test_no_opportunity_never_meets_a_requirement(library):
    level = library.framework.rubric_level
    assert level_meets(level("meets"), level("meets"))
    assert level_meets(level("exceeds"), level("meets"))
    assert not level_meets(level("developing"), level("meets"))
    assert not level_meets(level("no-opportunity"), level("not-yet"))


def test_track(library):
    track = library.tracks["basic"]
    assert (track.title, track.number_prefix, track.validity_months, track.issue_automatically) == (
        "Basic Peer Credential", "BPC", 24, False)
    assert track.training.modules == ["boundaries", "ethics"]
    assert track.training.hours_by_domain == {"advocacy": 2, "ethical-responsibility": 4}
    assert track.practice.by_activity == {"individual-support": 40, "group-facilitation": 20}
    assert track.supervision.formats == ["individual", "group"]
    assert track.competencies.required == ["C01.1", "C02.1"]
    assert track.competencies.rule == "one_assigned_supervisor"
    assert [attestation.document for attestation in track.attestations] == ["code-of-ethics"]
    assert track.renewal.topic_minimums == {"ethics": 6}
    assert (track.provisional.months, track.provisional.extensions) == (6, 1)


def test_document(library):
    document = library.documents["code-of-ethics"]
    assert (document.title, document.version, document.effective) == ("Code of Ethics", "2026.1", date(2026, 1, 1))
    assert document.body.startswith("\n## 1. Choice and hope")


def test_quiz_settings_and_every_question_type(library):
    quiz = library.courses["core"].module("boundaries").quiz
    assert (quiz.pass_mark, quiz.attempts, quiz.cooldown_minutes, quiz.draw) == (80, 3, 60, 6)
    assert (quiz.review, quiz.counts, quiz.shuffle_options, quiz.time_limit_minutes) == (
        "after_pass", "highest", True, None)
    assert quiz.draw_by_competency == {"C01.1": 1}
    questions = {question.id: question for question in quiz.questions}
    assert {question.type for question in quiz.questions} == {
        "single", "multiple", "true_false", "scenario", "matching", "numerical", "essay"}
    single = questions["gift-card"]
    assert [option.correct for option in single.options] == [True, False]
    assert single.competencies == ["C01.1"] and single.tags == ["gifts"]
    assert [option.weight for option in questions["peer-role"].options] == [50, 50, -50]
    assert questions["peer-role"].points == 2
    assert questions["peer-support-is-clinical"].answer is False
    scenario = questions["scenario-late-call"]
    assert scenario.vignette.startswith("It is 11 pm")
    assert [(sub.id, sub.type) for sub in scenario.questions] == [
        ("late-call-first-step", "single"), ("late-call-number", "short")]
    assert scenario.questions[1].answers == ["988"]
    assert [(pair.left, pair.right) for pair in questions["match-terms"].pairs][0] == (
        "Warm line", "Support before a crisis")
    assert (questions["supervision-hours"].answer, questions["supervision-hours"].tolerance) == (10, 0)
    assert (questions["gift-range"].minimum, questions["gift-range"].maximum) == (0, 10)
    assert questions["reflect-on-gifts"].rubric.startswith("Names the tension")


def test_load_library_raises_with_every_problem(tmp_path):
    shutil.copytree(VALID, tmp_path / "courses")
    (tmp_path / "courses" / "framework.yml").unlink()
    with pytest.raises(ContentProblems) as raised:
        load_library(tmp_path / "courses")
    assert raised.value.problems[0].path == "framework.yml"


def test_missing_content_folder(tmp_path):
    assert check_library(tmp_path / "nowhere") == (
        None, [Problem(str(tmp_path / "nowhere"), 1, "this content folder does not exist")])


def test_round_trip_export_is_byte_identical(library, tmp_path):
    written = export_library(library, tmp_path / "export")
    assert len(written) == len(content_files(VALID))
    assert content_files(tmp_path / "export") == content_files(VALID)
    assert check_library(tmp_path / "export")[1] == []


def test_round_trip_keeps_crlf_line_endings_and_unicode(tmp_path):
    shutil.copytree(VALID, tmp_path / "courses")
    lesson = tmp_path / "courses" / "core" / "ethics" / "confidentiality.md"
    lesson.write_bytes(lesson.read_bytes().replace(b"\n", b"\r\n").replace(b"private", "privée ✓".encode()))
    library, problems = check_library(tmp_path / "courses")
    assert problems == []
    export_library(library, tmp_path / "export")
    assert content_files(tmp_path / "export") == content_files(tmp_path / "courses")


def test_export_from_a_plain_mapping_refuses_paths_outside_the_folder(tmp_path):
    export_library({"core/course.yml": "title: x\n"}, tmp_path)
    assert (tmp_path / "core" / "course.yml").read_text() == "title: x\n"
    for bad_path in ("../escape.yml", "/etc/passwd", "core/../../x.md", "", "core\\x.md"):
        with pytest.raises(ValueError):
            export_library({bad_path: "x"}, tmp_path)


@pytest.mark.skipif(not (REAL_CONTENT / "framework.yml").exists(), reason="no course content in this checkout")
def test_shipped_course_content_checks_clean():
    problems = check_library(REAL_CONTENT)[1]
    assert [str(problem) for problem in problems] == []


# --- set_yaml_list ---------------------------------------------------------------------------

MODULE_YML = (VALID / "core" / "boundaries" / "module.yml").read_text(encoding="utf-8")


def test_set_yaml_list_reorders_and_adds_and_keeps_everything_else():
    changed = set_yaml_list(MODULE_YML, "lessons", ["gifts", "why-boundaries-matter", "new-lesson"])
    assert yaml.safe_load(changed)["lessons"] == ["gifts", "why-boundaries-matter", "new-lesson"]
    assert changed == MODULE_YML.replace(
        "  - why-boundaries-matter\n  - gifts\n", "  - gifts\n  - why-boundaries-matter\n  - new-lesson\n")
    assert "lessons:                       # in reading order\n" in changed
    assert "objectives:                    # what a trainee can do afterwards\n" in changed


def test_set_yaml_list_keeps_item_comments_with_their_items():
    source = "title: x\nlessons:\n  - a  # the opener\n  # the middle\n  - b\n  - c\n\n# after the list\nquiz: q.yml\n"
    assert set_yaml_list(source, "lessons", ["c", "b", "a"]) == (
        "title: x\nlessons:\n  - c\n  # the middle\n  - b\n  - a  # the opener\n\n# after the list\nquiz: q.yml\n")


def test_set_yaml_list_on_flow_empty_and_missing_lists():
    assert set_yaml_list("competencies: [C01.1, C02.1]  # codes\n", "competencies", ["C02.1"]) == (
        "competencies: [C02.1]  # codes\n")
    assert set_yaml_list("prerequisites: []\n", "prerequisites", ["orientation"]) == "prerequisites: [orientation]\n"
    assert set_yaml_list("title: x\nlessons:\n", "lessons", ["a"]) == "title: x\nlessons:\n  - a\n"
    assert set_yaml_list("title: x", "lessons", ["a", "b"]) == "title: x\nlessons:\n  - a\n  - b\n"
    assert set_yaml_list("lessons:  # order\n  - a\nquiz: q\n", "lessons", []) == "lessons: []  # order\nquiz: q\n"


def test_set_yaml_list_quotes_only_what_yaml_would_misread():
    changed = set_yaml_list("modules:\n  - a\n", "modules", ["no", "yes-and-no", "2024"])
    assert changed == "modules:\n  - 'no'\n  - yes-and-no\n  - '2024'\n"
    assert yaml.safe_load(changed)["modules"] == ["no", "yes-and-no", "2024"]


def test_set_yaml_list_refuses_a_key_that_is_not_a_list():
    with pytest.raises(ValueError):
        set_yaml_list("title: x\n", "title", ["a"])


# --- lesson links ----------------------------------------------------------------------------


@pytest.mark.parametrize(("href", "target"), [
    ("gifts.md", LessonLink("boundaries", "gifts", None)),
    ("./gifts.md#why", LessonLink("boundaries", "gifts", "why")),
    ("../ethics/scope-of-practice.md#part", LessonLink("ethics", "scope-of-practice", "part")),
    ("../../other-course/m/l.md", None),
    ("sub/folder.md", None),
    ("https://example.org/x.md", None),
    ("notes.txt", None),
])
def test_lesson_link_target(href, target):
    assert lesson_link_target(href, "boundaries") == target
