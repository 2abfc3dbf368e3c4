"""The learner record as a readable PDF transcript.

Drawn from the ClrCredential itself (clr.py), never from the database a second time, so the
transcript and the signed record always say the same thing. Rendered like the certificate:
WeasyPrint with no network or file access, tagged for screen readers (PDF/UA-1).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext

from training.certification.pdf import html_to_pdf, long_date
from training.localization import lazy_gettext as _l

TEMPLATE = "certification/transcript.html"

# Sections in the order a reader looks for them, each with the achievement types it holds.
SECTIONS = (
    (_l("Certificates"), ("CertificateOfCompletion", "Certification")),
    (_l("Modules completed"), ("Course",)),
    (_l("Quizzes and exams passed"), ("Assessment",)),
    (_l("Practice labs attended"), ("ext:PracticeLab",)),
    (_l("Competencies signed off"), ("Competency",)),
    (_l("Verified practice and supervision hours"), ("Fieldwork", "ext:Supervision")),
)
OTHER = _l("Other achievements")
UNITS = {"Percent": "%", "ext:ContactHours": " hours", "ext:VerifiedHours": " hours"}


@dataclass
class Line:
    name: str
    on: str
    details: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    lines: list[Line]


def _day(timestamp: str) -> date:
    return date.fromisoformat(timestamp[:10])


def _details(credential: dict) -> list[str]:
    """Each result in words ("Score: 90% (pass mark 80%)", "Rubric level: Meets expectations"),
    then each piece of evidence (who rated, verified or recorded it)."""
    subject = credential["credentialSubject"]
    descriptions = {item["id"]: item for item in subject["achievement"].get("resultDescription") or []}
    details = []
    for result in subject.get("result") or []:
        description = descriptions.get(result.get("resultDescription"), {})
        if result.get("achievedLevel"):
            continue  # the evidence names the level with its assessor
        if "value" in result:
            unit = UNITS.get(description.get("resultType"), "")
            required = description.get("requiredValue")
            value, name = f"{result['value']}{unit}", description.get("name", gettext("Result"))
            details.append(gettext("%(name)s: %(value)s (pass mark %(required)s)", name=name, value=value,
                                   required=f"{required}{unit}") if required else f"{name}: {value}")
        elif result.get("status"):
            details.append(f"{description.get('name', gettext('Result'))}: {result['status'].lower()}")
    details += [item["narrative"] for item in credential.get("evidence") or [] if item.get("narrative")]
    return details


def transcript_sections(record: dict) -> list[Section]:
    """The record's achievements grouped into the transcript's sections, oldest first."""
    grouped: dict[str, list[Line]] = defaultdict(list)
    for credential in record["credentialSubject"]["verifiableCredential"]:
        achievement = credential["credentialSubject"]["achievement"]
        kind = achievement.get("achievementType", "")
        title = str(next((title for title, kinds in SECTIONS if kind in kinds), OTHER))
        # A certificate's own description names its number, hours and where to check it.
        details = [credential["description"]] if kind in SECTIONS[0][1] else _details(credential)
        grouped[title].append(Line(credential["name"], long_date(_day(credential["validFrom"])), details))
    order = [str(title) for title, _ in SECTIONS] + [str(OTHER)]
    return [Section(title, grouped[title]) for title in order if grouped.get(title)]


def contact_hours(record: dict) -> dict[str, float]:
    """Training contact hours by domain, from the modules and labs in the record."""
    totals: dict[str, float] = defaultdict(float)
    for credential in record["credentialSubject"]["verifiableCredential"]:
        subject = credential["credentialSubject"]
        descriptions = {item["id"]: item for item in subject["achievement"].get("resultDescription") or []}
        for result in subject.get("result") or []:
            description = descriptions.get(result.get("resultDescription"), {})
            if description.get("resultType") == "ext:ContactHours":
                totals[description["name"].removeprefix("Contact hours: ")] += float(result["value"])
    return {domain: round(hours, 2) for domain, hours in totals.items()}


def holder_name(record: dict) -> str:
    """The name the record was issued in (its unhashed name identifier)."""
    return next(item["identityHash"] for item in record["credentialSubject"]["identifier"]
                if item["identityType"] == "name")


def transcript_html(record: dict, verify_hint: str) -> str:
    """The transcript page as HTML (the app's autoescaped Jinja environment, no request context)."""
    return current_app.jinja_env.get_template(TEMPLATE).render(
        record=record, name=holder_name(record), issuer=record["issuer"]["name"], as_of=long_date(_day(record["validFrom"])),
        sections=transcript_sections(record), hours=contact_hours(record), verify_hint=verify_hint)


def render_transcript(record: dict, verify_hint: str) -> bytes:
    """The transcript as a US Letter portrait PDF."""
    return html_to_pdf(transcript_html(record, verify_hint))
