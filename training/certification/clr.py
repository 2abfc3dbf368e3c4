"""The learner record as a 1EdTech Comprehensive Learner Record 2.0 ClrCredential.

The ClrSubject holds one Open Badges 3.0 AchievementCredential per achievement of the
record (each valid against the Open Badges schema on its own), the courses and tracks they
belong to as `achievement`, and the links between them as `association`. It is signed as a
VC-JWT by `credentials.sign_credential`, exactly as a certificate is.

The nested credentials are plain JSON objects, not separately signed JWTs: the record's one
signature covers every byte of them, they all have the same issuer and moment, and a
verifier then checks one signature instead of dozens. A certificate inside the record is the
same OpenBadgeCredential its holder can download and verify on its own; it keeps its
`credentialStatus`, so its revocation is checked in the public status list as always.

An issued record (learnerrecords.py) has its own id, its public address and an entry in the
same revocation list as the certificates; a later issue after new achievements is a new
record, and the old one keeps verifying as what the records showed on its day.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone

from flask import current_app

from training.certification.credentials import (OB_CONTEXT, VC_CONTEXT, build_credential, credential_urls,
                                                email_hash, holder_id, utc_timestamp)
from training.certification.learnerrecord import gather_record
from training.certification.recordparts import Entry, Goal, LearnerRecord, Measure
from training.courses.published import framework
from training.mailer import external_url, organization_url

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

ACHIEVEMENT_TYPES = {
    "module": "Course", "quiz": "Assessment", "exam": "Assessment", "competency": "Competency",
    "practice": "Fieldwork", "supervision": "ext:Supervision", "lab": "ext:PracticeLab",
    "course": "LearningProgram", "completion": "CertificateOfCompletion", "certification": "Certification",
}


def learner_record_for(holder, now: datetime, *, record_id: str | None = None, status: dict | None = None,
                       record: LearnerRecord | None = None) -> dict | None:
    """The holder's ClrCredential as of `now` (or of `record`, when gathered already), issued
    by the organization as configured, or None while the record has nothing in it (CLR 2.0
    asks for at least one credential). Needs the issuer and verify blueprints registered."""
    record = record or gather_record(holder, now)
    if record.empty:
        return None
    return build_learner_record(record, issuer_id=external_url("issuer.profile"),
                                issuer_name=current_app.config["ORGANIZATION_NAME"], issuer_url=organization_url(),
                                record_id=record_id, status=status)


def build_learner_record(record: LearnerRecord, *, issuer_id: str, issuer_name: str, issuer_url: str,
                         record_id: str | None = None, status: dict | None = None) -> dict:
    """The unsigned ClrCredential for `record`, with `status` (its revocation list entry) when
    given. The same record always builds the same credential: without `record_id`, its id
    comes from the holder and the moment, and the email salt from the id."""
    holder = record.holder
    record_id = record_id or \
        f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{holder.holder_uuid}/learner-record/{utc_timestamp(record.as_of)}')}"
    issuer = {"id": issuer_id, "type": ["Profile"], "name": issuer_name, "url": issuer_url}
    name = holder.legal_name.strip() or holder.display_name
    identifier = [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}]
    salt = hashlib.sha256(f"email-salt:{record_id}".encode()).hexdigest()[:32]
    identifier.append({"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                       "identityHash": email_hash(holder.email, salt), "salt": salt})
    levels = framework().levels
    subject = {
        "id": holder_id(holder),
        "type": ["ClrSubject"],
        "identifier": identifier,
        "verifiableCredential": [_credential(entry, holder, issuer, levels) for entry in record.entries],
    }
    if record.goals:
        subject["achievement"] = [_goal(goal, issuer_id) for goal in record.goals]
    associations = _associations(record, issuer_id)
    if associations:
        subject["association"] = associations
    credential = {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": record_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Learner record: {name}",
        "description": (f"What {name} has achieved in the training of {issuer_name}, as its records show on "
                        f"{record.as_of.astimezone(timezone.utc).date().isoformat()}: modules, quizzes, practice "
                        "labs, competencies signed off, verified hours, exams and certificates."),
        "issuer": issuer,
        "validFrom": utc_timestamp(record.as_of),
        "partial": False,
        "credentialSubject": subject,
    }
    if status is not None:
        credential["credentialStatus"] = status
    return credential


def _credential(entry: Entry, holder, issuer: dict, levels) -> dict:
    if entry.certificate is not None:
        return build_credential(entry.certificate, **credential_urls(entry.certificate))
    achievement_id = f"{issuer['id']}#{entry.key}"
    descriptions, results = {}, []
    for measure in entry.measures:
        description_id = f"{achievement_id}/{measure.key}"
        descriptions.setdefault(description_id, _result_description(description_id, measure, issuer["id"], levels))
        results.append(_result(description_id, measure, issuer["id"]))
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[entry.kind],
        "name": entry.name,
        "description": entry.description,
        "criteria": {"narrative": entry.criteria},
    }
    if descriptions:
        achievement["resultDescription"] = list(descriptions.values())
    subject = {"id": holder_id(holder), "type": ["AchievementSubject"], "achievement": achievement}
    if results:
        subject["result"] = results
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{holder.holder_uuid}/{entry.key}/{utc_timestamp(entry.achieved_at)}')}",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": entry.name,
        "issuer": issuer,
        "validFrom": utc_timestamp(entry.achieved_at),
        "credentialSubject": subject,
    }
    if entry.evidence:
        credential["evidence"] = [{"type": ["Evidence"], "name": name, "narrative": narrative}
                                  for name, narrative in entry.evidence]
    return credential


def rubric_level_id(issuer_id: str, code: str) -> str:
    return f"{issuer_id}#rubric/{code}"


def _result_description(description_id: str, measure: Measure, issuer_id: str, levels) -> dict:
    description = {"id": description_id, "type": ["ResultDescription"], "name": measure.name,
                   "resultType": measure.result_type}
    if measure.result_type == "RubricCriterionLevel":
        description["rubricCriterionLevel"] = [
            {"id": rubric_level_id(issuer_id, level.code), "type": ["RubricCriterionLevel"], "name": level.title,
             "description": level.description.strip(), **({"level": str(level.rank)} if level.rank is not None else {})}
            for level in levels]
        if measure.required:
            description["requiredLevel"] = rubric_level_id(issuer_id, measure.required)
    elif measure.value_max is not None:
        description.update(valueMin="0", valueMax=measure.value_max)
        if measure.required is not None:
            description["requiredValue"] = measure.required
    return description


def _result(description_id: str, measure: Measure, issuer_id: str) -> dict:
    result = {"type": ["Result"], "resultDescription": description_id}
    if measure.value is not None:
        result["value"] = measure.value
    if measure.level is not None:
        result["achievedLevel"] = rubric_level_id(issuer_id, measure.level)
    if measure.status is not None:
        result["status"] = measure.status
    return result


def _goal(goal: Goal, issuer_id: str) -> dict:
    return {"id": f"{issuer_id}#{goal.key}", "type": ["Achievement"], "achievementType": ACHIEVEMENT_TYPES[goal.kind],
            "name": goal.name, "description": goal.description, "criteria": {"narrative": goal.description}}


def _associations(record: LearnerRecord, issuer_id: str) -> list[dict]:
    """Each link once: part of a module, child of a course, part of a track's requirements."""
    links = dict.fromkeys((kind, item.key, target) for item in [*record.entries, *record.goals]
                          for kind, target in item.parents)
    return [{"type": "Association", "associationType": kind, "sourceId": f"{issuer_id}#{source}",
             "targetId": f"{issuer_id}#{target}"} for kind, source, target in links]

