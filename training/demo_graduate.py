"""The demo graduate: someone who has done everything the first credential track asks, and
holds the certificate, so a newcomer sees the whole result at once.

The records are made directly (a passed result per quiz, verified hours, ratings), not by
replaying every form; they are demo data and say so in their notes.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from training.certification.facts import gather
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.courses.published import document, tracks
from training.extensions import db
from training.models import (Attestation, CompetencyRating, Course, Decision, ExternalTraining, HoursDecision,
                             HoursEntry, HoursKind, Lesson, LessonProgress, Module, Quiz, QuizAttempt, User, utcnow)

DEMO_NOTE = "Demo record."
PRACTICE_PLAN = {"individual-support": 300, "group-facilitation": 100, "advocacy-education": 50,
                 "peer-led-workshop": 50}


def _complete_course(graduate: User, course_slug: str, now) -> None:
    modules = db.session.scalars(select(Module).join(Course, Course.id == Module.course_id).where(
        Course.slug == course_slug, Module.retired_at.is_(None))).all()
    module_ids = [module.id for module in modules]
    for lesson_id, version_id in db.session.execute(select(Lesson.id, Lesson.current_version_id).where(
            Lesson.module_id.in_(module_ids), Lesson.retired_at.is_(None))):
        db.session.add(LessonProgress(trainee_id=graduate.id, lesson_id=lesson_id, last_viewed_at=now,
                                      completed_at=now, completed_version_id=version_id))
    for quiz in db.session.scalars(select(Quiz).where(Quiz.module_id.in_(module_ids), Quiz.retired_at.is_(None))):
        pass_mark = int(quiz.settings.get("pass_mark", 80))
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=graduate.id, number=1, status="graded", started_at=now,
                                   submitted_at=now, graded_at=now, pass_mark=pass_mark,
                                   review=quiz.settings.get("review", "after_pass"), score=9, max_score=10,
                                   percent=90.0, passed=True))


def _log_hours(graduate: User, supervisor: User, kind: str, activity: str, hours: int, per_day: int, start) -> None:
    day = start
    while hours > 0:
        chunk = min(per_day, hours)
        entry = HoursEntry(trainee_id=graduate.id, kind=kind, activity=activity, worked_on=day, minutes=chunk * 60,
                           setting="Community recovery centre", note=DEMO_NOTE,
                           submission_token=f"demo-{kind}-{activity}-{day.isoformat()}")
        db.session.add(entry)
        db.session.flush()
        db.session.add(HoursDecision(entry_id=entry.id, reviewer_id=supervisor.id, decision=Decision.VERIFIED))
        hours -= chunk
        day += timedelta(days=1)


def seed_graduate(graduate: User, supervisor: User, staff: User) -> str:
    """Complete the first track for `graduate` and issue the certificate; returns what was done."""
    track = next(iter(tracks().values()), None)
    if track is None:
        return "No credential track is synced (run `courses sync` first); the graduate has no certificate."
    complete_requirements(graduate, supervisor, staff, track)
    standing = standing_for(track, graduate.id)
    if not standing.eligibility.eligible:
        unmet = [c.label for c in standing.eligibility.checks if not c.met]
        return "The graduate could not be certified: " + "; ".join(unmet)
    certificate, _ = issue(graduate, track, standing.eligibility, by=staff, now=utcnow())
    return f"{graduate.email} holds certificate {certificate.number}."


def complete_requirements(graduate: User, supervisor: User, staff: User, track: dict) -> None:
    """Records that meet every requirement of `track` for `graduate`."""
    now = utcnow()
    _complete_course(graduate, (track.get("training") or {}).get("course", ""), now)
    start = now.date() - timedelta(days=400)
    for activity, hours in PRACTICE_PLAN.items():
        _log_hours(graduate, supervisor, HoursKind.PRACTICE, activity, hours, 6, start)
        start += timedelta(days=100)
    _log_hours(graduate, supervisor, HoursKind.SUPERVISION, "individual", 26, 2, now.date() - timedelta(days=390))
    for code in (track.get("competencies") or {}).get("required") or []:
        db.session.add(CompetencyRating(
            trainee_id=graduate.id, competency=code, rater_id=supervisor.id,
            level=(track.get("competencies") or {}).get("minimum_level", "meets"), method="direct-observation",
            observed_on=now.date() - timedelta(days=30), comment=DEMO_NOTE))
    db.session.flush()
    module_hours = gather(track, [graduate.id])[graduate.id].module_hours
    for domain, need in ((track.get("training") or {}).get("hours_by_domain") or {}).items():
        missing = float(need) - module_hours.get(domain, 0)
        if missing > 0:  # the course alone gives fewer hours than the track asks in some domains
            db.session.add(ExternalTraining(
                trainee_id=graduate.id, domain=domain, minutes=round(missing * 60),
                title="Regional peer specialist core training (classroom days)",
                provider="State peer support network", note=DEMO_NOTE,
                completed_on=now.date() - timedelta(days=420), recorded_by_id=staff.id))
    for item in track.get("attestations") or []:
        current = document(item.get("document", ""))
        if current is not None:
            db.session.add(Attestation(user_id=graduate.id, document=current.slug, version=current.version,
                                       legal_name=graduate.legal_name, signed_at=now))
    db.session.flush()
