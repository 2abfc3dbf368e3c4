"""The real curriculum in courses/ meets what the program promised trainees and the
credential track (issue: the curriculum). A content edit that breaks a promise fails here."""
import re
from pathlib import Path

import pytest

from training.courses.files import load_library

CURRICULUM = Path(__file__).resolve().parents[2] / "courses"
CORE_MODULES = ["boundaries", "ethics", "cultural-humility", "sharing-your-story"]


@pytest.fixture(scope="module")
def library():
    return load_library(CURRICULUM)


@pytest.fixture(scope="module")
def course(library):
    return library.courses["peer-support-core"]


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9'’-]+", text))


def test_one_course_with_orientation_and_four_core_modules(course):
    assert course.title == "Peer Support Specialist Core Training"
    assert [m.slug for m in course.modules] == ["orientation", *CORE_MODULES]


@pytest.mark.parametrize("slug", CORE_MODULES)
def test_each_core_module_has_enough_teaching_text(course, slug):
    module = next(m for m in course.modules if m.slug == slug)
    assert 4 <= len(module.lessons) <= 6
    assert sum(words(lesson.body) for lesson in module.lessons) >= 2500
    assert module.objectives and module.references and module.competencies
    bodies = "\n".join(lesson.body for lesson in module.lessons)
    for callout in ("scenario", "reflection", "takeaways"):
        assert f"!!! {callout}" in bodies, f"{slug} has no {callout} callout"


@pytest.mark.parametrize("slug", ["orientation", *CORE_MODULES])
def test_each_quiz_draws_ten_of_at_least_fifteen_with_feedback_everywhere(course, slug):
    quiz = next(m for m in course.modules if m.slug == slug).quiz
    assert quiz is not None and len(quiz.questions) >= 15
    assert (quiz.draw, quiz.pass_mark) == (10, 80)
    for question in quiz.questions:
        for part in [question, *question.questions]:
            assert all(option.feedback for option in part.options), f"{slug}/{part.id}: option without feedback"
            if part.type == "true_false":
                assert part.feedback_true and part.feedback_false, f"{slug}/{part.id}: true/false without feedback"


def test_modules_claim_contact_hours_that_fit_their_time(course):
    for module in course.modules:
        hours = sum(module.contact_hours.values())
        assert abs(hours * 60 - module.estimated_minutes) <= 60, module.slug


def test_the_framework_has_twelve_categories_of_observable_competencies(library):
    categories = library.framework.competency_categories
    assert len(categories) == 12 and all(len(c.items) >= 3 for c in categories)
    assert [level.code for level in library.framework.rubric_levels] == [
        "not-yet", "developing", "meets", "exceeds", "no-opportunity"]


def test_the_track_follows_the_peer_recovery_rules(library):
    track = library.tracks["cpss"]
    assert track.validity_months == 24
    assert track.practice.total_hours == 500 and track.supervision.hours == 25
    assert track.renewal.ce_hours == 20 and track.renewal.topic_minimums.get("ethics") == 6
    assert sum(track.training.hours_by_domain.values()) == 46
    assert track.attestations and track.attestations[0].document in library.documents
