"""The demo graduate: someone who has done everything each credential track asks, and holds
the certificates, so a newcomer sees the whole result at once: the program's certificate of
completion and, having passed the exam, the certification.

The records are made directly (a passed result per quiz, attended lab sessions, verified
hours, ratings, an exam result), not by replaying every form; they are demo data and say so
in their notes.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from training.certification.facts import gather
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.courses.published import document, tracks
from training.extensions import db
from training.models import (Attestation, AttendanceStatus, CompetencyRating, Course, Decision, EligibilityRecord,
                             ExamResult, ExternalTraining, HoursDecision, HoursEntry, HoursKind, Lab, LabAttendance,
                             LabBooking, LabSession, Lesson, LessonProgress, LivedExperienceStatement, Module, Quiz,
                             QuizAttempt, QuizKind, StatementStatus, SupervisorQualification, User, utcnow)

DEMO_NOTE = "Demo record."
PRACTICE_PLAN = {"individual-support": 300, "group-facilitation": 100, "advocacy-education": 50,
                 "peer-led-workshop": 50}
DEMO_STATEMENT = """\
(Demo record.) For a long time I believed my story was something to hide. I grew up in a house
where nobody talked about feelings, and when things got hard in my twenties I did what I had
seen the adults around me do: I kept going, kept quiet, and found ways to numb what I could not
say. For several years that worked, until it did not. I lost a job I loved, I stopped answering
my sister's calls, and I spent many nights convinced that nobody could understand what was going
on inside me.

Recovery did not start with a big moment. It started with a woman at a drop-in center who asked
me how my week had been and then actually waited for the answer. She told me, briefly, that she
had sat where I was sitting, and then she turned the conversation straight back to me. I did not
know then that she was a peer specialist. I only knew that for the first time in a long while I
felt like a person and not a problem. She never told me what to do. She asked what I wanted my
life to look like, and she kept asking until I had an answer.

What helped me most was not any one program. It was a mix of things that fit me: a few people
who kept showing up, a routine that gave my days a shape, a support group where I could listen
before I was ready to talk, and later a part-time job that reminded me I was good at something.
There were setbacks. Some months were harder than others, and I learned that a hard month is not
the end of recovery. It is part of it. I also learned that there is more than one way to recover,
and that the path that worked for me is not the only one that works.

I want to do this work because I remember how much it mattered to be met with hope instead of
judgment. I know how it feels to sit in a waiting room and wonder whether anyone there has ever
felt what you feel. My experience lets me say, honestly, that things can change, and I can show
it by the way I live now rather than by telling my whole story. I have learned that sharing works
best when it is short, has a clear purpose, and hands the focus back to the other person.

I also know where to hold back. Some parts of my story stay private, because they belong to me
or to people I love, and keeping them private is part of taking care of myself. I will not share
to unburden myself, and I will not let my path become a map that someone else is told to follow.
If a conversation stirs up my own memories, I will notice it, take a breath, and bring it to
supervision rather than carry it alone.

Today I look after my own wellness on purpose. I keep regular sleep, I walk most mornings, I
still go to my group, and I have two people I call when I notice old warning signs. I have a
written plan for what to do if things get hard again, and my supervisor knows about it. I see
that plan as a strength, not a weakness. It is what lets me be steady for someone else.

My hope as a peer specialist is simple: to be for someone what that woman at the drop-in center
was for me, a person who listens, believes change is possible, respects their choices, and walks
beside them for part of the way.
"""


def _complete_course(graduate: User, course_slug: str, staff: User, now) -> None:
    """Every lesson read, every quiz passed, every lab of the course attended in full."""
    modules = db.session.scalars(select(Module).join(Course, Course.id == Module.course_id).where(
        Course.slug == course_slug, Module.retired_at.is_(None))).all()
    module_ids = [module.id for module in modules]
    done = set(db.session.scalars(select(LessonProgress.lesson_id).where(LessonProgress.trainee_id == graduate.id)))
    for lesson_id, version_id in db.session.execute(select(Lesson.id, Lesson.current_version_id).where(
            Lesson.module_id.in_(module_ids), Lesson.retired_at.is_(None))):
        if lesson_id not in done:
            db.session.add(LessonProgress(trainee_id=graduate.id, lesson_id=lesson_id, last_viewed_at=now,
                                          completed_at=now, completed_version_id=version_id))
    taken = set(db.session.scalars(select(QuizAttempt.quiz_id).where(QuizAttempt.user_id == graduate.id)))
    for quiz in db.session.scalars(select(Quiz).where(Quiz.module_id.in_(module_ids), Quiz.retired_at.is_(None))):
        if quiz.id in taken:
            continue
        pass_mark = int(quiz.settings.get("pass_mark", 80))
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=graduate.id, number=1, status="graded", started_at=now,
                                   submitted_at=now, graded_at=now, pass_mark=pass_mark,
                                   review=quiz.settings.get("review", "after_pass"), score=9, max_score=10,
                                   percent=90.0, passed=True))
    attended = set(db.session.scalars(select(LabSession.lab_id).join(LabBooking, LabBooking.session_id == LabSession.id)
                                      .where(LabBooking.trainee_id == graduate.id)))
    for position, lab in enumerate(db.session.scalars(select(Lab).where(
            Lab.module_id.in_(module_ids), Lab.retired_at.is_(None)).order_by(Lab.id))):
        if lab.id not in attended:
            _attend(graduate, lab, staff, now - timedelta(days=60 - 7 * position))


def _attend(graduate: User, lab: Lab, facilitator: User, starts_at) -> None:
    session = LabSession(lab_id=lab.id, starts_at=starts_at, minutes=lab.minutes, time_zone="America/New_York",
                         mode="in-person", location="Community recovery center, Room 2 (demo)",
                         facilitator_id=facilitator.id, capacity=12, booked=1, created_by_id=facilitator.id,
                         created_at=starts_at - timedelta(days=14))
    db.session.add(session)
    db.session.flush()
    booking = LabBooking(session_id=session.id, trainee_id=graduate.id, booked_at=starts_at - timedelta(days=10))
    db.session.add(booking)
    db.session.flush()
    db.session.add(LabAttendance(booking_id=booking.id, status=AttendanceStatus.PRESENT, minutes=lab.minutes,
                                 recorded_by_id=facilitator.id, recorded_at=starts_at + timedelta(minutes=lab.minutes)))


def _log_hours(graduate: User, supervisor: User, kind: str, activity: str, hours: int, per_day: int, start) -> None:
    day = start
    while hours > 0:
        chunk = min(per_day, hours)
        entry = HoursEntry(trainee_id=graduate.id, kind=kind, activity=activity, worked_on=day, minutes=chunk * 60,
                           setting="Community recovery center", note=DEMO_NOTE,
                           submission_token=f"demo-{kind}-{activity}-{day.isoformat()}")
        db.session.add(entry)
        db.session.flush()
        db.session.add(HoursDecision(entry_id=entry.id, reviewer_id=supervisor.id, decision=Decision.VERIFIED))
        hours -= chunk
        day += timedelta(days=1)


def seed_graduate(graduate: User, supervisor: User, staff: User) -> str:
    """Complete every track for `graduate` and issue each certificate; returns what was done."""
    if not tracks():
        return "No credential track is synced (run `courses sync` first); the graduate has no certificate."
    notes = []
    for track in tracks().values():
        complete_requirements(graduate, supervisor, staff, track)
        standing = standing_for(track, graduate.id)
        if not standing.eligibility.eligible:
            unmet = [c.label for c in standing.eligibility.checks if not c.met]
            notes.append(f"not certified for {track['slug']}: " + "; ".join(unmet))
            continue
        certificate, _ = issue(graduate, track, standing.eligibility, by=staff, now=utcnow(),
                               contact_hours=standing.earned_hours)
        notes.append(f"holds {certificate.number} ({certificate.track_title})")
    return f"{graduate.email}: " + ", ".join(notes) + "."


def complete_requirements(graduate: User, supervisor: User, staff: User, track: dict) -> None:
    """Records that meet every requirement of `track` for `graduate` (records that an earlier
    track already made are not made twice)."""
    now = utcnow()
    _complete_course(graduate, (track.get("training") or {}).get("course", ""), staff, now)
    if (track.get("supervisors") or {}).get("qualified_only") and not db.session.scalar(
            select(SupervisorQualification.id).where(SupervisorQualification.supervisor_id == supervisor.id,
                                                     SupervisorQualification.withdrawn_at.is_(None))):
        db.session.add(SupervisorQualification(
            supervisor_id=supervisor.id, credential="Certified Peer Recovery Specialist (demo)",
            license="", years_in_role=max(5, int((track.get("supervisors") or {}).get("min_years") or 0)),
            recorded_by_id=staff.id, recorded_at=now))
    logged = db.session.scalar(select(HoursEntry.id).where(HoursEntry.trainee_id == graduate.id).limit(1))
    if (track.get("practice") or track.get("supervision")) and logged is None:
        start = now.date() - timedelta(days=400)
        for activity, hours in PRACTICE_PLAN.items():
            _log_hours(graduate, supervisor, HoursKind.PRACTICE, activity, hours, 6, start)
            start += timedelta(days=100)
        _log_hours(graduate, supervisor, HoursKind.SUPERVISION, "individual", 26, 2, now.date() - timedelta(days=390))
    rated = set(db.session.scalars(select(CompetencyRating.competency).where(CompetencyRating.trainee_id == graduate.id)))
    for code in (track.get("competencies") or {}).get("required") or []:
        if code not in rated:
            db.session.add(CompetencyRating(
                trainee_id=graduate.id, competency=code, rater_id=supervisor.id,
                level=(track.get("competencies") or {}).get("minimum_level", "meets"), method="direct-observation",
                observed_on=now.date() - timedelta(days=30), comment=DEMO_NOTE))
    db.session.flush()
    _outside_training(graduate, staff, track, now)
    _exam(graduate, staff, track, now)
    _eligibility(graduate, supervisor, staff, track, now)
    signed = {(a.document, a.version) for a in db.session.scalars(select(Attestation).where(
        Attestation.user_id == graduate.id))}
    for item in track.get("attestations") or []:
        current = document(item.get("document", ""))
        if current is not None and (current.slug, current.version) not in signed:
            db.session.add(Attestation(user_id=graduate.id, document=current.slug, version=current.version,
                                       legal_name=graduate.legal_name, signed_at=now))
    db.session.flush()


def _outside_training(graduate: User, staff: User, track: dict, now) -> None:
    """A certification counts approved training done elsewhere; the course gives fewer hours."""
    if track.get("kind") == "completion":
        return
    facts = gather(track, [graduate.id])[graduate.id]
    for domain, need in ((track.get("training") or {}).get("hours_by_domain") or {}).items():
        have = facts.module_hours.get(domain, 0) + facts.lab_hours.get(domain, 0) + facts.external_hours.get(domain, 0)
        if float(need) - have > 0:
            db.session.add(ExternalTraining(
                trainee_id=graduate.id, domain=domain, minutes=round((float(need) - have) * 60 + 0.5),
                title="Regional peer specialist core training (classroom days)",
                provider="State peer support network", note=DEMO_NOTE,
                completed_on=now.date() - timedelta(days=420), recorded_by_id=staff.id))


def _exam(graduate: User, staff: User, track: dict, now) -> None:
    exam = track.get("exam") or {}
    if exam.get("type") == "external":
        db.session.add(ExamResult(trainee_id=graduate.id, track=track["slug"], exam_name=exam.get("name", "Exam"),
                                  taken_on=now.date() - timedelta(days=21), passed=True, score=None,
                                  recorded_by_id=staff.id, recorded_at=now, reason=""))
    elif exam.get("type") == "internal":
        quiz = db.session.scalar(select(Quiz).join(Course, Course.id == Quiz.course_id).where(
            Course.slug == (track.get("training") or {}).get("course"), Quiz.kind == QuizKind.EXAM))
        if quiz is not None:
            db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=graduate.id, number=1, status="graded",
                                       started_at=now, submitted_at=now, graded_at=now, proctor_id=staff.id,
                                       pass_mark=int(quiz.settings.get("pass_mark", 80)), review="never", score=9,
                                       max_score=10, percent=90.0, passed=True))


def _eligibility(graduate: User, supervisor: User, staff: User, track: dict, now) -> None:
    for item in track.get("eligibility") or []:
        kind = item.get("kind")
        wording = document(item.get("document") or f"eligibility-{kind}")
        if wording is None:
            continue
        if kind == "statement":
            db.session.add(LivedExperienceStatement(
                user_id=graduate.id, text=DEMO_STATEMENT, words=len(DEMO_STATEMENT.split()), document=wording.slug,
                version=wording.version, submitted_at=now - timedelta(days=40), status=StatementStatus.ACCEPTED,
                reviewed_by_id=supervisor.id, reviewed_at=now - timedelta(days=38),
                feedback="Clear, hopeful and private where it needs to be. Accepted. (Demo record.)"))
            continue
        detail = {"education": "diploma", "jurisdiction": "both"}.get(kind, "")
        db.session.add(EligibilityRecord(
            user_id=graduate.id, kind=kind, document=wording.slug, version=wording.version,
            region=item.get("region") or "", detail=detail, attested_at=now - timedelta(days=45),
            checked_by_id=staff.id if kind == "education" and item.get("proof_required") else None,
            checked_at=now - timedelta(days=44) if kind == "education" and item.get("proof_required") else None))
