"""tracks/*.yml: credential tracks, the rules a trainee must meet for a certificate."""
from __future__ import annotations

import re
from pathlib import Path

from training.courses.content import (
    ACTIVITY_TYPES, COMPETENCY_RULES, ELIGIBILITY_KINDS, EXAM_TYPES, NO_OPPORTUNITY, SUPERVISION_FORMATS,
    TRACK_KINDS, Attestation, CompetencyRequirement, Course, EligibilityItem, ExamRequirement, PracticeRequirement,
    Problem, ProvisionalStage, RenewalRule, SupervisionRequirement, SupervisorRule, Track, TrainingRequirement,
    is_slug,
)
from training.courses.fields import (
    bad_slug_message, read_amounts, read_bool, read_choice, read_competency_codes, read_items, read_number,
    read_slug_list, read_text,
)
from training.courses.frameworkfiles import KnownCodes
from training.courses.reading import Fields, FileReader, mapping_fields, parse_yaml, read_source

TRACKS_FOLDER = "tracks"
NUMBER_PREFIX_PATTERN = re.compile(r"[A-Z][A-Z0-9]{0,9}")
DEFAULT_RENEWAL_WINDOW_DAYS = 90
TRACK_REQUIRED = {"slug", "kind", "title", "number_prefix"}
TRACK_OPTIONAL = {
    "counts_toward", "validity_months", "issue_automatically", "training", "practice", "supervision",
    "competencies", "attestations", "renewal", "provisional", "exam", "eligibility", "supervisors",
}
TRACK_OBSOLETE = {"issuer": "remove 'issuer': the issuing organization is set for the whole deployment "
                            "(ORGANIZATION_NAME, see README), not in a track"}
# A training program issues a certificate of completion; only a certifying body certifies.
CERTIFIED_WORDS = re.compile(r"\bcertifi(?:ed|cation)\b", re.IGNORECASE)


def load_tracks(
    root: Path, problems: list[Problem], codes: KnownCodes, course_modules: dict[str, set[str]],
    document_slugs: set[str], courses: dict[str, Course],
) -> dict[str, Track]:
    """Read every tracks/*.yml; `course_modules` and `document_slugs` are what exists on disk,
    `courses` the courses that read without problems."""
    folder = root / TRACKS_FOLDER
    tracks = {}
    if not folder.is_dir():
        return tracks
    for file in sorted(folder.iterdir()):
        path = f"{TRACKS_FOLDER}/{file.name}"
        if file.name.startswith(".") or file.is_dir():
            continue
        if file.suffix != ".yml":
            problems.append(Problem(path, 1, "only .yml files are read in tracks/; rename it to end in .yml "
                                             "or move it elsewhere"))
            continue
        track = load_track(root, path, file.stem, problems, codes, course_modules, document_slugs, courses)
        if track is not None:
            tracks[track.slug] = track
    return tracks


def load_track(
    root: Path, path: str, file_slug: str, problems: list[Problem], codes: KnownCodes,
    course_modules: dict[str, set[str]], document_slugs: set[str], courses: dict[str, Course] | None = None,
) -> Track | None:
    """Read one track; None (with problems recorded) when anything in it is wrong."""
    source = read_source(root, path, problems)
    if source is None:
        return None
    problems_before = len(problems)
    reader = FileReader(path, problems)
    fields = mapping_fields(reader, parse_yaml(reader, source), required=TRACK_REQUIRED, optional=TRACK_OPTIONAL,
                            what="the track", obsolete=TRACK_OBSOLETE)
    if fields is None:
        return None
    slug = read_text(reader, fields, "slug")
    if slug is not None and not is_slug(slug):
        reader.report(fields.get("slug"), bad_slug_message(slug))
    elif slug is not None and slug != file_slug:
        reader.report(fields.get("slug"), f"slug '{slug}' does not match the file name {file_slug}.yml; "
                                          "make them the same")
    number_prefix = read_text(reader, fields, "number_prefix")
    if number_prefix is not None and not NUMBER_PREFIX_PATTERN.fullmatch(number_prefix):
        reader.report(fields.get("number_prefix"), "number_prefix should be capital letters and digits, "
                                                   "at most 10, starting with a letter (for example PSS)")
    kind = read_choice(reader, fields, "kind", TRACK_KINDS)
    title = read_text(reader, fields, "title")
    validity_months = read_number(reader, fields, "validity_months", whole=True, minimum=1)
    check_kind(reader, fields, kind, title, validity_months)
    training = read_training(reader, fields, codes, course_modules)
    track = Track(
        path=path, source=source, slug=slug, kind=kind, title=title,
        counts_toward=read_text(reader, fields, "counts_toward"), number_prefix=number_prefix,
        validity_months=validity_months,
        issue_automatically=bool(read_bool(reader, fields, "issue_automatically")),
        exam=read_exam(reader, fields, kind, training, courses or {}),
        eligibility=read_eligibility(reader, fields, document_slugs),
        supervisors=read_supervisors(reader, fields),
        training=training,
        practice=read_practice(reader, fields),
        supervision=read_supervision(reader, fields),
        competencies=read_competency_requirement(reader, fields, codes),
        attestations=read_attestations(reader, fields, document_slugs),
        renewal=read_renewal(reader, fields),
        provisional=read_provisional(reader, fields),
    )
    return None if len(problems) > problems_before else track


def check_kind(reader: FileReader, fields: Fields, kind: str | None, title: str | None,
               validity_months: int | None) -> None:
    """What a track of each kind must (and must not) say."""
    if kind == "completion":
        if title and CERTIFIED_WORDS.search(title):
            reader.report(fields.get("title"), f"a completion track's title cannot say "
                                               f"'{CERTIFIED_WORDS.search(title).group(0)}': a training program "
                                               "issues a certificate of completion, and only a certifying body "
                                               "certifies; name the course or the training instead")
        if fields.get("provisional") is not None:
            reader.report(fields.get("provisional"), "a provisional stage belongs to a certification track")
    elif kind == "certification":
        if fields.get("counts_toward") is not None:
            reader.report(fields.get("counts_toward"), "counts_toward belongs to a completion track; a "
                                                       "certification is the credential itself")
        if validity_months is None and fields.get("validity_months") is None:
            reader.report(fields.key_line("kind"), "a certification track needs validity_months (how long a "
                                                   "certificate is valid before renewal)")
        if fields.get("exam") is None:
            reader.report(fields.key_line("kind"), "a certification track needs an exam requirement: add "
                                                   "'exam: {type: external, name: ...}' (a result staff record) or "
                                                   "'exam: {type: internal, name: ...}' (the course's final exam)")


def read_exam(reader: FileReader, fields: Fields, kind: str | None, training, courses: dict[str, Course]
              ) -> ExamRequirement | None:
    exam = section(reader, fields, "exam", {"type", "name"}, set())
    if exam is None:
        return None
    exam_type = read_choice(reader, exam, "type", EXAM_TYPES)
    if exam_type == "internal":
        course = courses.get(training.course) if training and training.course else None
        if training is None or not training.course:
            reader.report(exam.get("type"), "an internal exam is the final exam of the track's training course; "
                                            "add training: {course: ...}")
        elif course is not None and course.final_exam is None:
            reader.report(exam.get("type"), f"an internal exam is the course's final exam, but "
                                            f"{training.course}/course.yml has no final_exam; add one, or use "
                                            "type: external")
    return ExamRequirement(type=exam_type, name=read_text(reader, exam, "name"))


def read_eligibility(reader: FileReader, fields: Fields, document_slugs: set[str]) -> list[EligibilityItem]:
    """What a candidate attests to; each kind's wording is a document (documents/eligibility-<kind>.md
    unless the item names another)."""
    items: list[EligibilityItem] = []
    for node in read_items(reader, fields, "eligibility"):
        item = mapping_fields(reader, node, required={"kind"},
                              optional={"document", "region", "min_words", "proof_required"},
                              what="an eligibility item")
        if item is None:
            continue
        kind = read_choice(reader, item, "kind", ELIGIBILITY_KINDS)
        if kind is None:
            continue
        if kind in {existing.kind for existing in items}:
            reader.report(item.get("kind"), f"'{kind}' is listed twice under eligibility; list it once")
        document = read_text(reader, item, "document") or f"eligibility-{kind}"
        if document not in document_slugs:
            reader.report(item.get("document") or item.get("kind"),
                          f"there is no document '{document}' for the {kind} wording; add documents/{document}.md")
        region = read_text(reader, item, "region")
        if kind == "jurisdiction" and region is None:
            reader.report(item.get("kind"), "a jurisdiction item needs 'region': where the candidate lives or works "
                                            "(for example Pennsylvania)")
        min_words = read_number(reader, item, "min_words", whole=True, minimum=1)
        if kind == "statement" and min_words is None:
            reader.report(item.get("kind"), "a statement item needs 'min_words': the shortest statement accepted")
        proof_required = bool(read_bool(reader, item, "proof_required"))
        for name, used_by in (("region", "jurisdiction"), ("min_words", "statement"),
                              ("proof_required", "education")):
            if item.get(name) is not None and kind != used_by:
                reader.report(item.get(name), f"'{name}' belongs to a {used_by} item")
        items.append(EligibilityItem(kind=kind, document=document, region=region, min_words=min_words,
                                     proof_required=proof_required))
    return items


def read_supervisors(reader: FileReader, fields: Fields) -> SupervisorRule | None:
    rule = section(reader, fields, "supervisors", {"qualified_only"}, {"min_years"})
    if rule is None:
        return None
    return SupervisorRule(qualified_only=bool(read_bool(reader, rule, "qualified_only")),
                          min_years=read_number(reader, rule, "min_years", whole=True))


def section(reader: FileReader, fields: Fields, name: str, required: set[str], optional: set[str]) -> Fields | None:
    """An optional section of the track: absent or null means the track has no such requirement."""
    return mapping_fields(reader, fields.get(name), required=required, optional=optional,
                          what=f"'{name}' in the track")


def read_training(
    reader: FileReader, fields: Fields, codes: KnownCodes, course_modules: dict[str, set[str]]
) -> TrainingRequirement | None:
    training = section(reader, fields, "training", {"course"}, {"modules", "hours_by_domain"})
    if training is None:
        return None
    course = read_text(reader, training, "course")
    if course is not None and course not in course_modules:
        reader.report(training.get("course"), f"there is no course '{course}'; courses are the folders "
                                              "of courses/ that hold a course.yml")
    modules = []
    for module, line in read_slug_list(reader, training, "modules"):
        if course in course_modules and module not in course_modules[course]:
            reader.report(line, f"course '{course}' has no module '{module}'; its modules are: "
                                + ", ".join(sorted(course_modules[course])))
        modules.append(module)
    hours = read_amounts(reader, training, "hours_by_domain", known=codes.domains, kind="training domain")
    return TrainingRequirement(course=course, modules=modules, hours_by_domain=hours)


def read_practice(reader: FileReader, fields: Fields) -> PracticeRequirement | None:
    practice = section(reader, fields, "practice", {"total_hours"}, {"by_activity"})
    if practice is None:
        return None
    total = read_number(reader, practice, "total_hours")
    by_activity = read_amounts(reader, practice, "by_activity", known=set(ACTIVITY_TYPES), kind="activity type")
    if total is not None and sum(by_activity.values()) > total:
        reader.report(practice.get("by_activity"), f"the hours by activity add up to {sum(by_activity.values())}, "
                                                   f"more than total_hours ({total})")
    return PracticeRequirement(total_hours=total, by_activity=by_activity)


def read_supervision(reader: FileReader, fields: Fields) -> SupervisionRequirement | None:
    supervision = section(reader, fields, "supervision", {"hours"}, {"formats"})
    if supervision is None:
        return None
    formats = []
    for supervision_format, line in read_slug_list(reader, supervision, "formats"):
        if supervision_format not in SUPERVISION_FORMATS:
            reader.report(line, f"unknown supervision format '{supervision_format}'; use "
                                + " or ".join(SUPERVISION_FORMATS))
        formats.append(supervision_format)
    return SupervisionRequirement(hours=read_number(reader, supervision, "hours"),
                                  formats=formats or list(SUPERVISION_FORMATS))


def read_competency_requirement(
    reader: FileReader, fields: Fields, codes: KnownCodes
) -> CompetencyRequirement | None:
    requirement = section(reader, fields, "competencies", {"minimum_level", "required"}, {"rule"})
    if requirement is None:
        return None
    level = read_text(reader, requirement, "minimum_level")
    if level == NO_OPPORTUNITY:
        reader.report(requirement.get("minimum_level"), "no-opportunity cannot be a minimum level; "
                                                        "use meets or another ranked level")
    elif level is not None and codes.levels is not None and level not in codes.levels:
        reader.report(requirement.get("minimum_level"), f"unknown rubric level '{level}'; levels are listed "
                                                        "in framework.yml")
    required = read_competency_codes(reader, requirement, "required", codes.competencies)
    rule = read_choice(reader, requirement, "rule", COMPETENCY_RULES) or COMPETENCY_RULES[0]
    return CompetencyRequirement(minimum_level=level, rule=rule, required=required)


def read_attestations(reader: FileReader, fields: Fields, document_slugs: set[str]) -> list[Attestation]:
    attestations = []
    for node in read_items(reader, fields, "attestations"):
        attestation = mapping_fields(reader, node, required={"document"}, optional=set(), what="an attestation")
        document = read_text(reader, attestation, "document") if attestation else None
        if document is not None and document not in document_slugs:
            reader.report(attestation.get("document"), f"there is no document '{document}'; "
                                                       f"add documents/{document}.md or fix the name")
        attestations.append(Attestation(document=document))
    return attestations


def read_renewal(reader: FileReader, fields: Fields) -> RenewalRule | None:
    renewal = section(reader, fields, "renewal", {"ce_hours"}, {"topic_minimums", "window_days"})
    if renewal is None:
        return None
    ce_hours = read_number(reader, renewal, "ce_hours")
    # CE topics are the program's own words (ethics, law-and-ethics), so any slug is accepted.
    topics = read_amounts(reader, renewal, "topic_minimums", known=None, kind="topic")
    if ce_hours is not None and sum(topics.values()) > ce_hours:
        reader.report(renewal.get("topic_minimums"), f"the topic minimums add up to {sum(topics.values())}, "
                                                     f"more than ce_hours ({ce_hours})")
    window_days = read_number(reader, renewal, "window_days", whole=True)
    return RenewalRule(ce_hours=ce_hours, topic_minimums=topics,
                       window_days=DEFAULT_RENEWAL_WINDOW_DAYS if window_days is None else window_days)


def read_provisional(reader: FileReader, fields: Fields) -> ProvisionalStage | None:
    provisional = section(reader, fields, "provisional", {"months"}, {"extensions"})
    if provisional is None:
        return None
    return ProvisionalStage(months=read_number(reader, provisional, "months", whole=True, minimum=1),
                            extensions=read_number(reader, provisional, "extensions", whole=True) or 0)
