"""A lab session as an iCalendar file (RFC 5545), for people to add to their own calendar."""
from __future__ import annotations

from icalendar import Calendar, Event, vText

from training.labs.booking import ends_at
from training.models import LabMode, LabSession, utcnow


def session_calendar(session: LabSession, lab_url: str) -> bytes:
    """One event in UTC, with the place or the meeting link, the facilitator and the lab's page.
    The UID stays the same for a session, so downloading again updates the same entry."""
    calendar = Calendar()
    calendar.add("prodid", "-//Peer Support Training//Practice labs//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"lab-session-{session.id}@peer-support-training")
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", ends_at(session))
    event.add("summary", f"{session.lab.title} (practice lab)")
    where = session.location if session.mode == LabMode.IN_PERSON else session.link
    event.add("location", vText(where))
    if session.mode == LabMode.ONLINE:
        event.add("url", session.link)
    lines = [f"Facilitator: {session.facilitator.display_name}", f"About this lab: {lab_url}"]
    if session.cancelled_at is not None:
        event.add("status", "CANCELLED")
        lines.insert(0, f"Cancelled: {session.cancel_reason}")
    else:
        event.add("status", "CONFIRMED")
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()
