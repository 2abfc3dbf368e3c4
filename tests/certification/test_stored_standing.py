"""Stored standings (training/certification/stored.py): computed once, read by the lists of
thousands, and out of date the moment a fact behind them or the track's content changes."""
import threading
from datetime import timedelta

from sqlalchemy import select

from tests.certification.conftest import FIXTURE, counted_queries
from tests.conftest import content_library, fresh_postgres_app
from training.certification import stored
from training.certification.standing import standings
from training.courses.operations import sync_library
from training.courses.progress import complete_lesson
from training.courses.published import tracks
from training.auth.accounts import create_account
from training.demo_graduate import complete_requirements
from training.extensions import db
from training.models import (CompetencyRating, Lesson, LessonProgress, Role, SupervisorQualification,
                             TrackStanding, User, utcnow)
from training.staff.cohorts import assign_supervisor
from training.supervision.qualifications import withdraw_qualification


def _version(person) -> int:
    return db.session.scalar(select(User.standing_version).where(User.id == person.id))


def _row(track, person) -> TrackStanding | None:
    db.session.expire_all()
    return db.session.get(TrackStanding, (person.id, track["slug"]))


def test_a_standing_is_computed_once_and_read_after(track, people, eligible, make_user):
    ready, starting = eligible(), make_user(Role.TRAINEE)
    first = stored.standing_rows(track, [ready.id, starting.id])
    db.session.commit()
    assert first[ready.id].eligible and first[ready.id].met == first[ready.id].total
    assert not first[starting.id].eligible and first[starting.id].met < first[starting.id].total
    with counted_queries() as statements:
        again = stored.standing_rows(track, [ready.id, starting.id])
    assert again == first
    assert not any("track_standings" in s and s.lstrip().upper().startswith("INSERT") for s in statements)
    assert len(statements) <= 8  # the content stamp and one read of the stored rows


def test_stored_rows_agree_with_the_standing_computed_from_the_records(track, people, eligible, make_user):
    ids = [eligible().id, make_user(Role.TRAINEE).id, eligible().id, make_user(Role.TRAINEE).id]
    rows = stored.standing_rows(track, ids)
    live = standings(track, ids)
    assert {i: (r.eligible, r.met, r.total) for i, r in rows.items()} == {
        i: (s.eligibility.eligible, s.eligibility.met_count, len(s.eligibility.checks)) for i, s in live.items()}


def test_a_new_fact_makes_the_row_out_of_date_and_the_next_read_sees_it(track, people, eligible):
    person = eligible()
    assert stored.standing_rows(track, [person.id])[person.id].eligible
    db.session.commit()
    version = _version(person)
    # A supervisor lowers a required competency to below the minimum (a new rating supersedes).
    rating = db.session.scalar(select(CompetencyRating).where(CompetencyRating.trainee_id == person.id))
    db.session.add(CompetencyRating(trainee_id=person.id, competency=rating.competency, rater_id=rating.rater_id,
                                    level="developing", method="direct-observation", observed_on=rating.observed_on,
                                    supersedes_id=rating.id, comment="Seen again"))
    db.session.commit()
    assert _version(person) == version + 1
    assert _row(track, person).version == version  # still there, but for the old version
    assert not stored.standing_rows(track, [person.id])[person.id].eligible


def test_reading_a_lesson_again_does_not_touch_the_standing(track, people, make_user):
    person = make_user(Role.TRAINEE)
    lesson = db.session.scalar(select(Lesson).order_by(Lesson.id))
    complete_lesson(person.id, lesson)
    db.session.commit()
    version = _version(person)
    progress = db.session.scalar(select(LessonProgress).where(LessonProgress.trainee_id == person.id))
    progress.last_viewed_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert _version(person) == version


def test_a_content_change_makes_every_row_out_of_date(track, people, eligible):
    person = eligible()
    stamp = stored.content_stamp(track)
    stored.standing_rows(track, [person.id])
    db.session.commit()
    assert _row(track, person).content_stamp == stamp
    lesson = db.session.scalar(select(Lesson).order_by(Lesson.id.desc()))
    lesson.retired_at = utcnow()  # as `courses sync` does when a lesson file is removed
    db.session.commit()
    assert stored.content_stamp(track) != stamp
    stored.standing_rows(track, [person.id])
    assert _row(track, person).content_stamp == stored.content_stamp(track)


def test_a_content_change_is_followed_by_a_job_that_brings_the_rows_up_to_date(track, people, eligible):
    """A change made in the app (not by `courses sync`, which refreshes them itself): the first
    staff page after it does not compute everyone's standing while staff wait."""
    person = eligible()
    stored.standing_rows(track, [person.id])
    db.session.commit()
    lesson = db.session.scalar(select(Lesson).order_by(Lesson.id.desc()))
    lesson.retired_at = utcnow()
    db.session.commit()  # the job runs once the change commits (in the tests, at once)
    row = _row(track, person)
    assert row.content_stamp == stored.content_stamp(track) and row.eligible


def test_withdrawing_a_qualification_outdates_the_trainees_whose_hours_it_verified(track, people, eligible):
    person = eligible()
    record = SupervisorQualification(supervisor_id=people["supervisor"].id, credential="CPRS", license="",
                                     years_in_role=5, recorded_by_id=people["staff"].id, recorded_at=utcnow())
    db.session.add(record)
    db.session.commit()
    version = _version(person)
    withdraw_qualification(record, by=people["staff"], reason="Lapsed", now=utcnow())
    db.session.commit()
    assert _version(person) == version + 1


# On PostgreSQL: a standing computed while the facts change under it is never left standing.

THREADS = 4


def _setup():
    sync_library(content_library(FIXTURE))
    staff = create_account("staff@example.org", "Staff", [Role.STAFF], password="long enough password")
    supervisor = create_account("sup@example.org", "Sup", [Role.SUPERVISOR], password="long enough password")
    for index in range(THREADS):
        trainee = create_account(f"t{index}@example.org", f"Trainee {index}", [Role.TRAINEE],
                                 legal_name=f"Legal {index}", password="long enough password")
        assign_supervisor(trainee, supervisor, primary=True)


def test_concurrent_reads_and_changes_leave_only_true_rows(tmp_path_factory):
    """Readers fill the stored rows while writers complete every requirement; afterwards every
    row that still counts as good says what the records say."""
    with fresh_postgres_app(tmp_path_factory, "stored", _setup) as app:
        errors = []
        barrier = threading.Barrier(THREADS * 2)

        def write(index):
            with app.app_context():
                try:
                    track = tracks()["basic"]
                    person = db.session.scalar(select(User).where(User.email == f"t{index}@example.org"))
                    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
                    supervisor = db.session.scalar(select(User).where(User.email == "sup@example.org"))
                    barrier.wait()
                    complete_requirements(person, supervisor, staff, track)
                    db.session.commit()
                except Exception as error:  # noqa: BLE001 (reported below)
                    errors.append(error)
                finally:
                    db.session.remove()

        def read():
            with app.app_context():
                try:
                    track = tracks()["basic"]
                    ids = list(db.session.scalars(select(User.id).where(User.email.like("t%@example.org"))))
                    barrier.wait()
                    for _ in range(5):
                        stored.standing_rows(track, ids)
                        db.session.commit()
                except Exception as error:  # noqa: BLE001
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
        threads += [threading.Thread(target=read) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with app.app_context():
            track = tracks()["basic"]
            ids = list(db.session.scalars(select(User.id).where(User.email.like("t%@example.org"))))
            rows = stored.standing_rows(track, ids)
            assert all(row.eligible for row in rows.values()), rows
            live = standings(track, ids)
            assert {i: r.met for i, r in rows.items()} == {i: s.eligibility.met_count for i, s in live.items()}
