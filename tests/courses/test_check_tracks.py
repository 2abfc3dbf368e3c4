"""check_library on broken tracks/*.yml: credential tracks.

Each case makes one replacement in the valid fixture's tracks/basic.yml and expects exactly these
problems (see test_check.py for the rest of the content tree).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.courses.files import check_library, check_library_report

VALID = Path(__file__).parent / "fixtures" / "valid"
TRACK_FILE = "tracks/basic.yml"


def case(name: str, old: str, new: str, *expected: str):
    return pytest.param(old, new, list(expected), id=name)


def check_with_track_edit(tmp_path: Path, old: str, new: str) -> list[str]:
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    text = (root / TRACK_FILE).read_text(encoding="utf-8")
    assert old in text, f"the fixture {TRACK_FILE} no longer contains {old!r}"
    (root / TRACK_FILE).write_text(text.replace(old, new, 1), encoding="utf-8")
    library, problems = check_library(root)
    assert (library is None) == bool(problems)
    return [str(problem) for problem in problems]


CASES = [
    case('track-slug-not-file-name', 'slug: basic', 'slug: advanced',
         "tracks/basic.yml:1: slug 'advanced' does not match the file name basic.yml; make them the same"),
    case('track-unknown-course', 'course: core', 'course: advanced',
         "tracks/basic.yml:8: there is no course 'advanced'; courses are the folders of courses/ that hold a "
         "course.yml"),
    case('track-unknown-module', 'modules: [boundaries, ethics]', 'modules: [boundaries, ethic]',
         "tracks/basic.yml:9: course 'core' has no module 'ethic'; its modules are: boundaries, ethics"),
    case('track-unknown-domain', '{advocacy: 2,', '{advocay: 2,',
         "tracks/basic.yml:10: unknown training domain code 'advocay' in 'hours_by_domain'; codes are listed in "
         "framework.yml"),
    case('track-unknown-activity', 'group-facilitation: 20', 'group-work: 20',
         "tracks/basic.yml:13: unknown activity type code 'group-work' in 'by_activity'; the codes are: "
         "advocacy-education, group-facilitation, individual-support, peer-led-workshop"),
    case('track-activity-hours-above-total', 'total_hours: 100', 'total_hours: 50',
         'tracks/basic.yml:13: the hours by activity add up to 60, more than total_hours (50)'),
    case('track-unknown-supervision-format', 'formats: [individual, group]', 'formats: [individual, peer]',
         "tracks/basic.yml:16: unknown supervision format 'peer'; use individual or group"),
    case('track-unknown-competency', 'required: [C01.1, C02.1]', 'required: [C01.1, C02.9]',
         "tracks/basic.yml:20: unknown competency code 'C02.9'; codes are listed in framework.yml"),
    case('track-unknown-level', 'minimum_level: meets', 'minimum_level: good',
         "tracks/basic.yml:18: unknown rubric level 'good'; levels are listed in framework.yml"),
    case('track-no-opportunity-as-minimum', 'minimum_level: meets', 'minimum_level: no-opportunity',
         'tracks/basic.yml:18: no-opportunity cannot be a minimum level; use meets or another ranked level'),
    case('track-unknown-rule', 'rule: one_assigned_supervisor', 'rule: any_supervisor',
         "tracks/basic.yml:19: 'rule' should be one of one_assigned_supervisor, but it is text "
         "('any_supervisor')"),
    case('track-unknown-document', '- document: code-of-ethics', '- document: code-of-conduct',
         "tracks/basic.yml:22: there is no document 'code-of-conduct'; add documents/code-of-conduct.md or fix "
         "the name"),
    case('track-unknown-key-in-section', '  ce_hours: 20', '  ce_hours: 20\n  ce_hour_cap: 40',
         "tracks/basic.yml:25: unknown field 'ce_hour_cap' in 'renewal' in the track; did you mean 'ce_hours'?"),
    case('track-unknown-top-level-key', 'kind: certification', 'kind: certification\nboard: written',
         "tracks/basic.yml:4: unknown field 'board' in the track; the fields here are: attestations, "
         "competencies, counts_toward, eligibility, exam, issue_automatically, kind, number_prefix, practice, "
         "provisional, renewal, slug, supervision, supervisors, title, training, validity_months"),
    case('track-issuer-is-configuration', 'kind: certification', 'kind: certification\nissuer: Test Program',
         "tracks/basic.yml:4: remove 'issuer': the issuing organization is set for the whole deployment "
         "(ORGANIZATION_NAME, see README), not in a track"),
    case('track-unknown-kind', 'kind: certification', 'kind: diploma',
         "tracks/basic.yml:3: 'kind' should be one of completion, certification, but it is text ('diploma')"),
    case('certification-without-exam', 'exam: {type: external, name: Peer Recovery exam}', '',
         "tracks/basic.yml:3: a certification track needs an exam requirement: add 'exam: {type: external, "
         "name: ...}' (a result staff record) or 'exam: {type: internal, name: ...}' (the course's final exam)"),
    case('certification-without-validity', 'validity_months: 24', '',
         "tracks/basic.yml:3: a certification track needs validity_months (how long a certificate is valid "
         "before renewal)"),
    case('exam-unknown-type', 'type: external', 'type: oral',
         "tracks/basic.yml:28: 'type' should be one of external, internal, but it is text ('oral')"),
    case('exam-without-name', ', name: Peer Recovery exam}', '}',
         "tracks/basic.yml:28: 'exam' in the track needs the field 'name'"),
    case('completion-called-certified', 'title: Basic Peer Credential\nkind: certification',
         'title: Certified Basic Peer Worker\nkind: completion',
         "tracks/basic.yml:2: a completion track's title cannot say 'Certified': a training program issues a "
         "certificate of completion, and only a certifying body certifies; name the course or the training "
         "instead",
         "tracks/basic.yml:27: a provisional stage belongs to a certification track"),
    case('eligibility-unknown-kind', 'exam: {type', 'eligibility: [{kind: age}]\nexam: {type',
         "tracks/basic.yml:28: 'kind' should be one of education, jurisdiction, lived-experience, statement, "
         "but it is text ('age')"),
    case('eligibility-jurisdiction-without-region', 'exam: {type', 'eligibility: [{kind: jurisdiction}]\nexam: {type',
         "tracks/basic.yml:28: a jurisdiction item needs 'region': where the candidate lives or works (for example "
         "Pennsylvania)"),
    case('eligibility-wording-missing', 'exam: {type', 'eligibility: [{kind: education, document: diploma}]\nexam: {type',
         "tracks/basic.yml:28: there is no document 'diploma' for the education wording; add documents/diploma.md"),
    case('eligibility-statement-without-words', 'exam: {type',
         'eligibility: [{kind: statement, document: code-of-ethics, region: Ohio}]\nexam: {type',
         "tracks/basic.yml:28: 'region' belongs to a jurisdiction item",
         "tracks/basic.yml:28: a statement item needs 'min_words': the shortest statement accepted"),
    case('track-bad-number-prefix', 'number_prefix: BPC', 'number_prefix: bpc-',
         'tracks/basic.yml:4: number_prefix should be capital letters and digits, at most 10, starting with a '
         'letter (for example PSS)'),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_broken_track_reports_exactly(tmp_path, old, new, expected):
    assert check_with_track_edit(tmp_path, old, new) == expected


def test_optional_sections_may_be_absent_or_null(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    (root / TRACK_FILE).write_text(
        "slug: basic\ntitle: Trainee\nkind: completion\nnumber_prefix: T\n"
        "training: null\nprovisional: null\nexam: null\n", encoding="utf-8")
    library, problems = check_library(root)
    assert problems == []
    track = library.tracks["basic"]
    assert (track.training, track.practice, track.supervision, track.competencies) == (None, None, None, None)
    assert (track.renewal, track.provisional, track.attestations, track.issue_automatically) == (None, None, [], False)
    assert (track.validity_months, track.exam, track.eligibility, track.supervisors) == (None, None, [], None)


def test_section_defaults(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    (root / TRACK_FILE).write_text(
        "slug: basic\ntitle: Trainee\nkind: certification\nnumber_prefix: T\nvalidity_months: 12\n"
        "exam: {type: external, name: Board exam}\neligibility: [{kind: statement, document: code-of-ethics, "
        "min_words: 100}]\nsupervisors: {qualified_only: true}\nsupervision: {hours: 5}\ncompetencies: {minimum_level: meets, required: [C01.1]}\n"
        "renewal: {ce_hours: 10}\nprovisional: {months: 6}\n", encoding="utf-8")
    track = check_library(root)[0].tracks["basic"]
    assert track.supervision.formats == ["individual", "group"]
    assert track.competencies.rule == "one_assigned_supervisor"
    assert (track.renewal.window_days, track.renewal.topic_minimums) == (90, {})
    assert track.provisional.extensions == 0
    assert track.eligibility[0].proof_required is False and track.supervisors.min_years is None


def test_an_internal_exam_needs_the_course_final_exam(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    course = root / "core" / "course.yml"
    course.write_text(course.read_text().replace("final_exam: final-exam.yml\n", ""))
    (root / "core" / "final-exam.yml").unlink()
    problems = [str(problem) for problem in check_library(root)[1]]
    assert problems == ["tracks/board.yml:9: an internal exam is the course's final exam, but core/course.yml has no "
                        "final_exam; add one, or use type: external"]


def test_a_final_exam_is_marked_automatically_and_never_reviewed(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    exam = root / "core" / "final-exam.yml"
    exam.write_text(exam.read_text().replace("draw: 4\n", "draw: 4\nreview: after_pass\n")
                    + "  - id: exam-essay\n    type: essay\n    prompt: Describe your approach.\n")
    problems = [str(problem) for problem in check_library(root)[1]]
    assert problems == [
        "core/final-exam.yml:5: an exam's questions are never shown back to trainees, so the pool stays unseen; use "
        "review: never or leave the line out",
        "core/final-exam.yml:7: question 'exam-essay' is an essay, but an exam is marked automatically the moment "
        "it is submitted; use another type"]


def test_every_required_competency_is_taught_by_a_lesson_and_assessed_by_a_quiz_item(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    lesson = root / "core" / "boundaries" / "why-boundaries-matter.md"
    lesson.write_text(lesson.read_text().replace("competencies: [C01.1, C02.1]\n", "competencies: [C01.1]\n"))
    track = root / TRACK_FILE
    track.write_text(track.read_text().replace("required: [C01.1, C02.1]", "required: [C01.1, C02.1, C01.2]"))
    problems = [str(problem) for problem in check_library(root)[1]]
    assert problems == [
        "tracks/basic.yml:20: required competency C01.2 is not taught by any lesson nor assessed by any quiz item in "
        "the modules of core; tag the lesson that teaches it (competencies: [C01.2] in its header) and a quiz item "
        "that assesses it",
        "tracks/basic.yml:20: required competency C02.1 is not taught by any lesson in the modules of core; tag the "
        "lesson that teaches it (competencies: [C02.1] in its header) and a quiz item that assesses it"]


def test_a_certificate_of_completion_cannot_ask_for_hours_its_course_does_not_offer(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    (root / "tracks" / "done.yml").write_text(
        "slug: done\nkind: completion\ntitle: Core Training\nnumber_prefix: DN\n"
        "training: {course: core, modules: [boundaries], hours_by_domain: {ethical-responsibility: 2, advocacy: 1}}\n")
    library, problems, warnings = check_library_report(root)
    # The boundaries module offers 0.25 h self-paced and a 90-minute lab in ethical responsibility, no advocacy.
    assert [str(problem) for problem in problems] == [
        "tracks/done.yml:5: the modules of core offer 0.00 h of advocacy (their contact_hours and labs), but the "
        "track asks for 1 h: nobody could complete it; lower the hours or add teaching",
        "tracks/done.yml:5: the modules of core offer 1.75 h of ethical-responsibility (their contact_hours and labs), "
        "but the track asks for 2 h: nobody could complete it; lower the hours or add teaching"]
    assert "tracks/basic.yml:10: the modules of core offer 1.75 h of ethical-responsibility (their contact_hours and labs), but the track asks for 4 h; the rest must come from training elsewhere, which staff record" in [str(w) for w in warnings]
