"""Results of exams taken outside the platform, as program staff record them.

A result is never edited. A mistake is put right by a correction: a new record that names
the record it corrects and says why (a record can be corrected once; the correction can be
corrected in turn). The result in force is the newest record not corrected; a pass stands.
These functions add and flush; the caller commits.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from training.certification.records import Proof, RecordRefused, keep_proof
from training.extensions import db
from training.models import ExamResult, User


def record_exam_result(trainee: User, track: dict, *, taken_on: date | None, passed: bool | None,
                       score: Decimal | None, evidence: Proof | None, by: User, now: datetime,
                       corrects: ExamResult | None = None, reason: str = "") -> ExamResult:
    """Keep one exam result (or a correction of `corrects`). Every field is checked before
    anything is stored; RecordRefused names what to fix."""
    exam = track.get("exam") or {}
    if exam.get("type") != "external":
        raise RecordRefused(_("This credential's exam is not one that staff record."))
    if taken_on is None:
        raise RecordRefused(_("Enter the date the exam was taken, like 2026-11-20."), "taken_on")
    if taken_on > now.date():
        raise RecordRefused(_("The date is in the future. Record a result once the exam has been taken."), "taken_on")
    if passed is None:
        raise RecordRefused(_("Choose whether the exam was passed."), "passed")
    if score is not None and not (0 <= score <= 1000):
        raise RecordRefused(_("Enter the score as printed on the result, from 0 to 1000, or leave it empty."), "score")
    if corrects is not None:
        if corrects.trainee_id != trainee.id or corrects.track != track.get("slug"):
            raise RecordRefused(_("That result belongs to someone else."))
        if not reason.strip():
            raise RecordRefused(_("Say why the result is corrected; the reason stays on record."), "reason")
    result = ExamResult(trainee_id=trainee.id, track=track["slug"], exam_name=exam.get("name", "Exam"),
                        taken_on=taken_on, passed=passed, score=float(score) if score is not None else None,
                        recorded_by_id=by.id, recorded_at=now, corrects_id=corrects.id if corrects else None,
                        reason=reason.strip())
    if evidence is not None:
        keep_proof(result, evidence, prefix="evidence")
    try:
        with db.session.begin_nested():
            db.session.add(result)
    except IntegrityError:  # the unique corrects_id: someone corrected that record a moment ago
        raise RecordRefused(_("That result was corrected by someone else a moment ago; reload the page to see it.")) \
            from None
    return result


def results_for(trainee_id: int, track_slug: str) -> list[ExamResult]:
    """Every result recorded for the person on the track, newest first, with who recorded it."""
    return list(db.session.scalars(select(ExamResult).where(
        ExamResult.trainee_id == trainee_id, ExamResult.track == track_slug)
        .options(joinedload(ExamResult.recorded_by)).order_by(ExamResult.id.desc())))
