"""What a track asks of its course: every required competency taught by a lesson and
assessed by a quiz item, and (for a certificate of completion) hours the course can give."""
from __future__ import annotations

import re

from training.courses.content import Course, Problem, Track
from training.courses.contacthours import SLACK_MINUTES


def line_of(source: str, key: str) -> int:
    """The line of the first `key:` in a file (findings about a section are reported there)."""
    pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}:")
    for number, text in enumerate(source.splitlines(), start=1):
        if pattern.search(text.split("#", 1)[0]):
            return number
    return 1


def _taught_and_assessed(course: Course, modules: list[str]) -> tuple[set[str], set[str]]:
    taught, assessed = set(), set()
    for module in course.modules:
        if module.slug not in modules:
            continue
        for lesson in module.lessons:
            taught |= set(lesson.competencies)
        quizzes = [module.quiz] if module.quiz else []
        for quiz in quizzes:
            for question in quiz.questions:
                for item in [question, *question.questions]:
                    assessed |= set(item.competencies)
    if course.final_exam:
        for question in course.final_exam.questions:
            for item in [question, *question.questions]:
                assessed |= set(item.competencies)
    return taught, assessed


def offered_minutes(course: Course, modules: list[str]) -> dict[str, float]:
    """Contact minutes the course's listed modules can give, by domain: their claims and their labs."""
    offered: dict[str, float] = {}
    for module in course.modules:
        if module.slug not in modules:
            continue
        for domain, hours in module.contact_hours.items():
            offered[domain] = offered.get(domain, 0) + hours * 60
        for lab in module.labs:
            offered[lab.domain] = offered.get(lab.domain, 0) + lab.minutes
    return offered


def check_coverage(tracks: dict[str, Track], courses: dict[str, Course], problems: list[Problem],
                   warnings: list[Problem]) -> None:
    for track in tracks.values():
        training = track.training
        course = courses.get(training.course) if training else None
        if course is None:
            continue
        modules = training.modules or [module.slug for module in course.modules]
        if track.competencies and track.competencies.required:
            taught, assessed = _taught_and_assessed(course, modules)
            line = line_of(track.source, "required")
            for code in track.competencies.required:
                gaps = [what for what, covered in (("taught by any lesson", taught), ("assessed by any quiz item",
                                                                                      assessed)) if code not in covered]
                if gaps:
                    problems.append(Problem(track.path, line, (
                        f"required competency {code} is not {' nor '.join(gaps)} in the modules of {course.slug}; "
                        f"tag the lesson that teaches it (competencies: [{code}] in its header) and a quiz item "
                        "that assesses it")))
        offered = offered_minutes(course, modules)
        line = line_of(track.source, "hours_by_domain")
        for domain, need in (training.hours_by_domain or {}).items():
            have = offered.get(domain, 0) / 60
            if have * 60 + SLACK_MINUTES >= need * 60:
                continue
            message = (f"the modules of {course.slug} offer {have:.2f} h of {domain} (their contact_hours and "
                       f"labs), but the track asks for {need:g} h")
            if track.kind == "completion":
                problems.append(Problem(track.path, line, message + ": nobody could complete it; lower the "
                                                                    "hours or add teaching"))
            else:
                warnings.append(Problem(track.path, line, message + "; the rest must come from training elsewhere, "
                                                                    "which staff record"))
