"""The real curriculum in courses/ meets what the program promised trainees and the
credential track (issue: the curriculum). A content edit that breaks a promise fails here."""
import re
from pathlib import Path

import pytest

from tests.conftest import content_library
from training.courses.quizchecks import quiz_figures, similar_stems, stems_of
from training.quizzes.questiondata import question_data

CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
CORE_MODULES = ["boundaries", "ethics", "cultural-humility", "sharing-your-story"]
NEW_MODULES = ["listening-and-engagement", "facilitating-groups", "recovery-planning-and-wellness",
               "crisis-overdose-and-trauma", "advocacy-rights-and-systems"]
PRACTICE_MODULES = [*CORE_MODULES, *NEW_MODULES]  # every module but orientation has a required lab
ALL_MODULES = ["orientation", *PRACTICE_MODULES]
IC_RC_HOURS = {"advocacy": 10, "mentoring-education": 10, "recovery-wellness-support": 10,
               "ethical-responsibility": 16}


@pytest.fixture(scope="module")
def library():
    return content_library(CURRICULUM)


@pytest.fixture(scope="module")
def course(library):
    return library.courses["peer-support-core"]


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9'’-]+", text))


def test_one_course_with_orientation_and_nine_modules(course):
    assert course.title == "Peer Support Specialist Core Training"
    assert sorted(m.slug for m in course.modules) == sorted(ALL_MODULES)
    assert course.modules[0].slug == "orientation"


@pytest.mark.parametrize("slug", ALL_MODULES)
def test_each_module_has_enough_teaching_text(course, slug):
    module = next(m for m in course.modules if m.slug == slug)
    assert 4 <= len(module.lessons) <= 7
    assert sum(words(lesson.body) for lesson in module.lessons) >= (3000 if slug in NEW_MODULES else 2500)
    assert module.objectives and module.references and module.competencies
    bodies = "\n".join(lesson.body for lesson in module.lessons)
    for callout in ("scenario", "reflection", "takeaways"):
        assert f"!!! {callout}" in bodies, f"{slug} has no {callout} callout"


@pytest.mark.parametrize("slug", ALL_MODULES)
def test_each_quiz_draws_ten_of_at_least_twenty_with_feedback_everywhere(course, slug):
    quiz = next(m for m in course.modules if m.slug == slug).quiz
    assert quiz is not None and len(quiz.questions) >= 20
    assert (quiz.draw, quiz.pass_mark, quiz.cooldown_minutes) == (10, 80, 60)
    for question in quiz.questions:
        for part in [question, *question.questions]:
            assert all(option.feedback for option in part.options), f"{slug}/{part.id}: option without feedback"
            if part.type == "true_false":
                assert part.feedback_true and part.feedback_false, f"{slug}/{part.id}: true/false without feedback"
        assert question.explanation or question.type == "scenario", f"{slug}/{question.id}: no explanation"


@pytest.mark.parametrize("slug", ALL_MODULES)
def test_quizzes_cannot_be_passed_by_length_or_by_always_answering_one_way(course, slug):
    quiz = next(m for m in course.modules if m.slug == slug).quiz
    figures = quiz_figures([question_data(q) for q in quiz.questions], quiz.draw)
    assert figures.longest_share <= 0.30, figures.summary()
    assert abs(figures.true_count - figures.false_count) <= 1, figures.summary()
    assert not figures.repeated_options


def test_no_two_items_in_the_course_ask_nearly_the_same_thing(course):
    stems = [stem for m in course.modules for stem in stems_of(m.slug, [question_data(q) for q in m.quiz.questions])]
    assert similar_stems(stems) == []


def test_modules_claim_only_the_hours_their_lessons_and_quiz_give(course):
    """Honest hours: the claim fits the computed time, and the course no longer claims role-plays as reading."""
    for module in course.modules:
        assert sum(module.contact_hours.values()) * 60 <= module.self_paced_minutes, module.slug
    claimed = sum(sum(module.contact_hours.values()) for module in course.modules)
    assert claimed <= sum(module.self_paced_minutes for module in course.modules) / 60


def test_the_course_and_its_labs_give_the_ic_rc_hours_in_every_domain(course, library):
    """46 honest hours: module claims (covered by their lessons and quiz) plus labs, by domain."""
    offered = dict.fromkeys(IC_RC_HOURS, 0.0)
    for module in course.modules:
        for domain, hours in module.contact_hours.items():
            offered[domain] += hours
        for lab in module.labs:
            offered[lab.domain] += lab.minutes / 60
    assert all(offered[domain] >= need for domain, need in IC_RC_HOURS.items()), offered
    assert library.tracks["core-training"].training.hours_by_domain == IC_RC_HOURS


def test_every_competency_the_credential_requires_is_taught_and_assessed(course, library):
    taught = {code for m in course.modules for lesson in m.lessons for code in lesson.competencies}
    assessed = {code for m in course.modules for q in m.quiz.questions for item in [q, *q.questions]
                for code in item.competencies}
    required = set(library.tracks["cpss"].competencies.required)
    assert required <= taught and required <= assessed, (required - taught, required - assessed)


@pytest.mark.parametrize("slug", ALL_MODULES)
def test_each_module_lists_what_its_lessons_teach(course, slug):
    module = next(m for m in course.modules if m.slug == slug)
    taught = {code for lesson in module.lessons for code in lesson.competencies}
    assert taught and set(module.competencies) == taught


@pytest.mark.parametrize("slug", PRACTICE_MODULES)
def test_partner_practice_is_a_required_lab_not_lesson_time(course, slug):
    module = next(m for m in course.modules if m.slug == slug)
    assert module.labs and all(lab.required and lab.minutes >= 60 for lab in module.labs)
    for lesson in module.lessons:
        assert not any("role-play" in activity.title.lower() for activity in lesson.activities)


def test_the_framework_has_twelve_categories_of_observable_competencies(library):
    categories = library.framework.competency_categories
    assert len(categories) == 12 and all(len(c.items) >= 3 for c in categories)
    assert [level.code for level in library.framework.rubric_levels] == [
        "not-yet", "developing", "meets", "exceeds", "no-opportunity"]


def test_the_program_issues_completion_and_the_board_track_requires_the_exam(library):
    completion, certification = library.tracks["core-training"], library.tracks["cpss"]
    assert completion.kind == "completion" and "certif" not in completion.title.lower()
    assert completion.validity_months is None and "IC&RC Peer Recovery" in completion.counts_toward
    assert certification.kind == "certification" and certification.exam.type == "external"
    assert "Peer Recovery" in certification.exam.name
    assert {item.kind for item in certification.eligibility} == {
        "education", "jurisdiction", "lived-experience", "statement"}
    assert certification.supervisors.qualified_only


def test_the_track_follows_the_peer_recovery_rules(library):
    track = library.tracks["cpss"]
    assert track.validity_months == 24
    assert track.practice.total_hours == 500 and track.supervision.hours == 25
    assert track.renewal.ce_hours == 20 and track.renewal.topic_minimums.get("ethics") == 6
    assert sum(track.training.hours_by_domain.values()) == 46
    assert track.attestations and track.attestations[0].document in library.documents
