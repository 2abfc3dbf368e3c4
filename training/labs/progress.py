"""What each trainee has attended: lab minutes by training domain, and the labs completed."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from training.extensions import among, db
from training.models import AttendanceStatus, Lab, LabAttendance, LabBooking, LabSession


@dataclass
class Attended:
    minutes_by_domain: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    completed: set[int] = field(default_factory=set)  # lab ids attended in full (present)


def attended(trainee_ids: list[int]) -> dict[int, Attended]:
    """Per trainee, from the attendance record in force for each booking (one query)."""
    result: dict[int, Attended] = defaultdict(Attended)
    if not trainee_ids:
        return result
    latest: dict[int, tuple] = {}
    for row in db.session.execute(
            select(LabBooking.id, LabBooking.trainee_id, LabAttendance.status, LabAttendance.minutes, Lab.id,
                   Lab.domain)
            .join(LabAttendance, LabAttendance.booking_id == LabBooking.id)
            .join(LabSession, LabSession.id == LabBooking.session_id)
            .join(Lab, Lab.id == LabSession.lab_id)
            .where(among(LabBooking.trainee_id, trainee_ids), LabBooking.cancelled_at.is_(None))
            .order_by(LabAttendance.id)):
        latest[row[0]] = row
    for _, trainee_id, status, minutes, lab_id, domain in latest.values():
        person = result[trainee_id]
        person.minutes_by_domain[domain] += minutes
        if status == AttendanceStatus.PRESENT:
            person.completed.add(lab_id)
    return result
