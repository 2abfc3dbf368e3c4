"""Recording attendance: only once a session has begun, only for people with a place, minutes
that make sense; a correction is a newer record and the newest counts, toward training hours
in the lab's domain and toward completing the module that requires the lab."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from training.certification.facts import gather
from training.courses.progress import course_outline
from training.courses.published import tracks
from training.extensions import db
from training.labs.booking import LabRefused, Mark, cancel_booking, latest_attendance, record_attendance
from training.models import (AttendanceStatus, Course, LabAttendance, Lesson, LessonProgress, Module, Quiz,
                             QuizAttempt, utcnow)

PRESENT, LEFT_EARLY, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.LEFT_EARLY, AttendanceStatus.ABSENT


@pytest.fixture()
def begun(make_session):
    """A session that began an hour ago and lasts 120 minutes (the lab itself says 90)."""
    return make_session(starts_in=-timedelta(hours=1), minutes=120)


def records() -> int:
    return db.session.scalar(select(func.count(LabAttendance.id)))


def mark(session, booking, status, minutes=None, *, by):
    """Record one person's mark now and commit, as the attendance page does."""
    added = record_attendance(session, {booking.id: Mark(status, minutes)}, by=by, now=utcnow())
    db.session.commit()
    return added


def test_attendance_waits_for_the_session_to_start(make_session, book_early, facilitator):
    session = make_session(starts_in=timedelta(minutes=10))
    booking, = book_early(session)
    with pytest.raises(LabRefused, match="not started yet"):
        record_attendance(session, {booking.id: Mark(PRESENT, None)}, by=facilitator, now=utcnow())
    assert records() == 0
    record_attendance(session, {booking.id: Mark(PRESENT, None)}, by=facilitator, now=session.starts_at)
    assert records() == 1


def test_a_cancelled_session_has_no_attendance(begun, book_early, facilitator):
    booking, = book_early(begun)
    begun.cancelled_at, begun.cancel_reason = begun.starts_at - timedelta(days=1), "The room flooded"
    db.session.commit()
    with pytest.raises(LabRefused, match="cancelled"):
        record_attendance(begun, {booking.id: Mark(PRESENT, None)}, by=facilitator, now=utcnow())
    assert records() == 0


@pytest.mark.parametrize("stranger", ["booked-elsewhere", "cancelled-their-place", "made-up"])
def test_a_mark_for_someone_without_a_place_refuses_the_whole_form(begun, make_session, book_early, facilitator,
                                                                   stranger):
    booked, leaving = book_early(begun, new=2)
    cancel_booking(leaving, now=begun.starts_at - timedelta(days=1))
    elsewhere, = book_early(make_session(starts_in=-timedelta(hours=2)))
    stranger_id = {"booked-elsewhere": elsewhere.id, "cancelled-their-place": leaving.id,
                   "made-up": elsewhere.id + 1000}[stranger]
    with pytest.raises(LabRefused, match="no place in this session, so nothing was saved"):
        record_attendance(begun, {booked.id: Mark(PRESENT, None), stranger_id: Mark(PRESENT, None)},
                          by=facilitator, now=utcnow())
    db.session.commit()
    assert records() == 0


@pytest.mark.parametrize("minutes", [None, 0, -5, 120, 121])
def test_left_early_needs_minutes_from_1_to_one_less_than_the_session(begun, book_early, facilitator, minutes):
    booking, = book_early(begun)
    with pytest.raises(LabRefused, match="give the minutes they attended: from 1 to 119") as refused:
        record_attendance(begun, {booking.id: Mark(LEFT_EARLY, minutes)}, by=facilitator, now=utcnow())
    assert refused.value.field == f"minutes-{booking.id}"
    assert records() == 0


@pytest.mark.parametrize("status, minutes, counted", [
    (LEFT_EARLY, 1, 1), (LEFT_EARLY, 119, 119),
    (PRESENT, None, 120), (PRESENT, 30, 120),  # present counts the session's minutes, whatever is typed
    (ABSENT, None, 0), (ABSENT, 45, 0),
])
def test_each_mark_counts_its_minutes(begun, book_early, facilitator, status, minutes, counted):
    booking, = book_early(begun)
    record, = mark(begun, booking, status, minutes, by=facilitator)
    assert (record.status, record.minutes, record.recorded_by_id) == (status, counted, facilitator.id)


def test_an_unknown_status_is_refused_for_that_person(begun, book_early, facilitator):
    booking, = book_early(begun)
    with pytest.raises(LabRefused, match="Choose present, left early or absent") as refused:
        record_attendance(begun, {booking.id: Mark("asleep", None)}, by=facilitator, now=utcnow())
    assert refused.value.field == f"status-{booking.id}"


def test_the_same_mark_adds_nothing_and_a_changed_one_adds_a_newer_record(begun, book_early, facilitator, staff):
    booking, other = book_early(begun, new=2)
    assert len(record_attendance(begun, {booking.id: Mark(PRESENT, None), other.id: Mark(ABSENT, None)},
                                 by=facilitator, now=utcnow())) == 2
    db.session.commit()
    assert mark(begun, booking, PRESENT, by=facilitator) == []
    assert mark(begun, booking, LEFT_EARLY, 60, by=staff) != []
    assert mark(begun, booking, LEFT_EARLY, 60, by=facilitator) == []
    assert mark(begun, booking, LEFT_EARLY, 75, by=facilitator) != []
    assert records() == 4
    latest = latest_attendance([booking.id, other.id])
    assert (latest[booking.id].status, latest[booking.id].minutes) == (LEFT_EARLY, 75)
    assert (latest[other.id].status, latest[other.id].minutes) == (ABSENT, 0)


def test_attended_minutes_are_training_hours_in_the_labs_domain(lab, begun, make_session, book_early, facilitator):
    earlier = make_session(starts_in=-timedelta(days=10), minutes=90)
    first, = book_early(earlier)
    trainee = first.trainee
    booking, = book_early(begun, trainee)
    track = tracks()["basic"]
    assert gather(track, [trainee.id])[trainee.id].lab_hours == {}
    mark(begun, booking, PRESENT, by=facilitator)
    assert lab.domain == "ethical-responsibility"
    assert gather(track, [trainee.id])[trainee.id].lab_hours == {"ethical-responsibility": 2.0}
    mark(begun, booking, LEFT_EARLY, 30, by=facilitator)  # a correction: the newest record counts
    assert gather(track, [trainee.id])[trainee.id].lab_hours == {"ethical-responsibility": 0.5}
    mark(earlier, first, PRESENT, by=facilitator)  # another session of the lab, attended before
    assert gather(track, [trainee.id])[trainee.id].lab_hours == {"ethical-responsibility": 2.0}


def read_and_pass(trainee, module: Module) -> None:
    """Every lesson of the module read and its quiz passed, so only the lab is left."""
    now = utcnow()
    for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == module.id)):
        db.session.add(LessonProgress(trainee_id=trainee.id, lesson_id=lesson.id, last_viewed_at=now, completed_at=now,
                                      completed_version_id=lesson.current_version_id))
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id, Quiz.retired_at.is_(None)))
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=trainee.id, number=1, status="graded", started_at=now,
                               submitted_at=now, graded_at=now, pass_mark=80, review="after_pass", score=9,
                               max_score=10, percent=90.0, passed=True))
    db.session.commit()


def module_state(module: Module, trainee):
    outline = course_outline(db.session.get(Course, module.course_id), trainee.id, apply_locks=True)
    return next(state for state in outline.modules if state.module.id == module.id)


def test_the_required_lab_attended_in_full_completes_the_module(lab, begun, book_early, facilitator):
    booking, = book_early(begun)
    trainee, module = booking.trainee, lab.module
    read_and_pass(trainee, module)
    state = module_state(module, trainee)
    assert lab.required and state.lessons_complete and state.quiz_passed
    assert not state.complete and [each.id for each in state.labs_to_attend] == [lab.id]
    mark(begun, booking, LEFT_EARLY, 100, by=facilitator)
    assert not module_state(module, trainee).complete
    mark(begun, booking, PRESENT, by=facilitator)
    assert module_state(module, trainee).complete
    assert gather(tracks()["basic"], [trainee.id])[trainee.id].modules_passed >= {"boundaries"}
    mark(begun, booking, ABSENT, by=facilitator)  # a correction takes it back
    assert not module_state(module, trainee).complete
