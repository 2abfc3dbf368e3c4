"""The learner record's entries that people vouch for: competencies a supervisor signed off,
hours a supervisor verified, and exams taken elsewhere that staff recorded (learnerrecord.py
gathers the rest and the whole)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from training.certification.recordparts import Entry, Measure, day_start, hours_text
from training.extensions import db
from training.localization import long_date
from training.models import CompetencyRating, ExamResult, HoursKind, User
from training.models.supervision import EVIDENCE_METHODS
from training.supervision.hours import ACTIVITY_LABELS
from training.supervision.signoffs import meets_level, required_level


def competency_entries(holder_id: int, view, track_list: list[dict]) -> list[Entry]:
    """A competency is signed off when a rating in force (not superseded) reaches the level the
    credential asks for; every such rating is listed with its assessor (one query)."""
    ratings = db.session.execute(
        select(CompetencyRating, User.display_name).join(User, User.id == CompetencyRating.rater_id)
        .where(CompetencyRating.trainee_id == holder_id).order_by(CompetencyRating.observed_on, CompetencyRating.id)
    ).all()
    superseded = {rating.supersedes_id for rating, _ in ratings if rating.supersedes_id}
    minimum, levels = required_level(), view.levels
    signed: dict[str, list] = defaultdict(list)
    for rating, rater in ratings:
        if rating.id not in superseded and meets_level(rating.level, minimum, levels):
            signed[rating.competency].append((rating, rater))
    entries = []
    for code, mine in signed.items():
        competency = view.competency(code)
        title = competency.title if competency else code
        entries.append(Entry(
            f"competency/{code}", "competency", f"{code} {title}",
            (competency.behaviour if competency and competency.behaviour else title),
            f"Observed and rated by a supervisor at the level '{_level_title(view, minimum)}' or above on the "
            "program's rubric.", max(day_start(rating.observed_on) for rating, _ in mine),
            [Measure(f"rating/{rating.id}", f"Rating by {rater}", "RubricCriterionLevel", level=rating.level,
                     required=minimum) for rating, rater in mine],
            [(f"Rating by {rater}", f"{_level_title(view, rating.level)}, by {rater}, from "
                                    f"{EVIDENCE_METHODS.get(rating.method, rating.method).lower()} on "
                                    f"{long_date(rating.observed_on)}.") for rating, rater in mine],
            parents=[("isPartOf", f"achievement-{track['slug']}") for track in track_list
                     if code in ((track.get("competencies") or {}).get("required") or [])]))
    return entries


def _level_title(view, code: str) -> str:
    level = view.level(code)
    return level.title if level else code


def hours_entries(hours: list, names: dict, track_list: list[dict], verified_at: dict) -> list[Entry]:
    """Verified practice and supervision hours, by activity, and who verified them, as of the
    last verification (so the same hours make the same entry whatever the day)."""
    entries = []
    for kind, title in ((HoursKind.PRACTICE, "Supervised practice hours"), (HoursKind.SUPERVISION, "Supervision hours")):
        mine = [row for row in hours if row[1] == kind]
        if not mine:
            continue
        by_activity: dict[str, float] = defaultdict(float)
        by_verifier: dict[int, float] = defaultdict(float)
        for _, _, activity, reviewer_id, minutes in mine:
            by_activity[activity] += minutes
            by_verifier[reviewer_id] += minutes
        total = sum(by_activity.values())
        entries.append(Entry(
            f"{kind}-hours", kind, title,
            f"{hours_text(total)} hours of {'peer support practice' if kind == HoursKind.PRACTICE else 'supervision received'}"
            f", each entry verified by a supervisor (totals as of {long_date(verified_at[kind].date())}).",
            "Only hours a supervisor verified count; hours waiting for a decision, rejected or withdrawn do not.",
            verified_at[kind],
            [Measure("total", "Verified hours, in total", "ext:VerifiedHours", hours_text(total))]
            + [Measure(f"activity/{activity}", f"Verified hours: {ACTIVITY_LABELS.get(activity, activity)}",
                       "ext:VerifiedHours", hours_text(minutes)) for activity, minutes in sorted(by_activity.items())],
            [(f"Verified by {names.get(reviewer_id, 'a supervisor')}",
              f"{hours_text(minutes)} hours verified by {names.get(reviewer_id, 'a supervisor')}.")
             for reviewer_id, minutes in sorted(by_verifier.items())],
            parents=[("isPartOf", f"achievement-{track['slug']}") for track in track_list if track.get(kind)]))
    return entries


def external_exam_entries(holder_id: int, track_list: list[dict]) -> list[Entry]:
    """Exams taken elsewhere that staff recorded as passed (a corrected record gives way to its
    correction; one query)."""
    titles = {track["slug"]: track.get("title", track["slug"]) for track in track_list}
    results = db.session.execute(
        select(ExamResult.id, ExamResult.track, ExamResult.exam_name, ExamResult.taken_on, ExamResult.passed,
               ExamResult.score, ExamResult.corrects_id, User.display_name)
        .join(User, User.id == ExamResult.recorded_by_id).where(ExamResult.trainee_id == holder_id)
        .order_by(ExamResult.taken_on, ExamResult.id)).all()
    corrected = {result.corrects_id for result in results if result.corrects_id}
    entries = []
    for result in results:
        if result.id in corrected or not result.passed:
            continue
        measure = (Measure("score", "Score", "RawScore", f"{result.score:g}", status="Completed")
                   if result.score is not None else Measure("status", "Result", "Status", status="Completed"))
        entries.append(Entry(
            f"exam/{result.track}", "exam", result.exam_name,
            f"{result.exam_name}, the exam of the {titles.get(result.track, result.track)}, passed.",
            "Passed, as recorded by the program's staff from the exam provider's result.",
            day_start(result.taken_on), [measure],
            [("Exam result", f"Passed on {long_date(result.taken_on)}; recorded by {result.display_name}.")],
            parents=[("isPartOf", f"achievement-{result.track}")]))
    return entries
