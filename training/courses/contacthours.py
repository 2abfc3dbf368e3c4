"""The arithmetic of honest contact hours: what a module's parts give, and whether its
claim fits (courses/README.md, "Contact hours")."""
from __future__ import annotations

from flask_babel import gettext

from training.courses.content import QUESTION_MINUTES, WORDS_PER_MINUTE, Module

SLACK_MINUTES = 0.5  # claims are decimals of an hour; allow for rounding to the minute


def hours_text(minutes: float) -> str:
    """90 -> '1 h 30 min'; 45 -> '45 min'."""
    minutes = round(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(minutes)d min", minutes=rest)
    return (gettext("%(hours)d h %(minutes)d min", hours=hours, minutes=rest) if rest
            else gettext("%(hours)d h", hours=hours))


def module_arithmetic(module: Module) -> str:
    """How the module's self-paced time adds up, lesson by lesson, for messages and pages."""
    lessons = "; ".join(
        f"{lesson.slug} {lesson.reading_minutes} (reading {lesson.words:,} words)"
        + (f" + {sum(a.minutes for a in lesson.activities)} (activities)" if lesson.activities else "")
        for lesson in module.lessons)
    quiz = (f" + quiz {module.quiz_minutes} min ({module.quiz.drawn} questions × {QUESTION_MINUTES} min)"
            if module.quiz else "")
    return (f"lessons {module.lesson_minutes} min [{lessons}]{quiz} = {module.self_paced_minutes} min "
            f"({hours_text(module.self_paced_minutes)}) at {WORDS_PER_MINUTE} words a minute")


def claim_problem(module: Module) -> str | None:
    """The message when `contact_hours` claims more than the lessons and quiz give, else None."""
    claimed = sum(module.contact_hours.values())
    if claimed * 60 <= module.self_paced_minutes + SLACK_MINUTES:
        return None
    most = int(module.self_paced_minutes / 15) / 4  # rounded down to a quarter hour
    return (f"contact_hours claims {claimed:g} h ({round(claimed * 60)} min), but the module's lessons and quiz "
            f"give {module.self_paced_minutes} min: {module_arithmetic(module)}. Lower contact_hours to {most:g} h "
            "or less in total, or add teaching; labs count separately, for those who attend")
