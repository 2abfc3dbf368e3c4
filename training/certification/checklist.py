"""Where a trainee acts on each requirement of a credential track: the links under each
row of the checklist that is not met yet, keyed by the requirement's `Check.key`. The
checklist adds the requirement's name to each link for screen readers."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _


@dataclass(frozen=True)
class Step:
    url: str
    label: str


def where_to_act(track: Mapping) -> dict[str, list[Step]]:
    """The pages that move each requirement of `track` forward, by check key. Needs a
    request context (it builds URLs)."""
    course = (track.get("training") or {}).get("course")
    labs = Step(url_for("labs.index"), _("Book a practice lab"))
    steps: dict[str, list[Step]] = {
        "practice": [Step(url_for("hours.log", _anchor="practice-heading"), _("Log practice hours"))],
        "supervision": [Step(url_for("hours.log", _anchor="supervision-heading"), _("Log a supervision session"))],
        "competencies": [Step(url_for("competencies.index"), _("Ask for competency sign-offs"))],
        "continuing-education": [Step(url_for("certification.mine", _anchor="continuing-education"),
                                      _("Log continuing education"))],
    }
    if course:
        steps["training:modules"] = [Step(url_for("courses.course", course_slug=course), _("Continue the course")),
                                     labs]
        steps["training:hours"] = [Step(url_for("courses.course", course_slug=course),
                                        _("Continue the course: its modules and labs count toward these hours")), labs]
        if (track.get("exam") or {}).get("type") == "internal":
            steps["exam:internal"] = [Step(url_for("exam.overview", course_slug=course), _("About the final exam"))]
    for item in track.get("eligibility") or []:
        kind = item.get("kind")
        steps[f"eligibility:{kind}"] = [
            Step(url_for("eligibility.statement", track_slug=track["slug"]), _("Write or revise your statement"))
            if kind == "statement" else
            Step(url_for("eligibility.confirm", track_slug=track["slug"], kind=kind), _("Read and confirm"))]
    for item in track.get("attestations") or []:
        slug = item.get("document")
        steps[f"attestation:{slug}"] = [Step(url_for("certification.sign_document", slug=slug),
                                             _("Read and sign the %(document)s", document=str(slug).replace("-", " ")))]
    return steps
