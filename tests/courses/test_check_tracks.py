"""check_library on broken tracks/*.yml: credential tracks.

Each case makes one replacement in the valid fixture's tracks/basic.yml and expects exactly these
problems (see test_check.py for the rest of the content tree).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.courses.files import check_library

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
    case('track-unknown-top-level-key', 'issuer: Test Program', 'issuer: Test Program\nexam: written',
         "tracks/basic.yml:4: unknown field 'exam' in the track; the fields here are: attestations, "
         "competencies, issue_automatically, issuer, number_prefix, practice, provisional, renewal, slug, "
         "supervision, title, training, validity_months"),
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
        "slug: basic\ntitle: Trainee\nissuer: Test Program\nnumber_prefix: T\nvalidity_months: 12\n"
        "training: null\nprovisional: null\n", encoding="utf-8")
    library, problems = check_library(root)
    assert problems == []
    track = library.tracks["basic"]
    assert (track.training, track.practice, track.supervision, track.competencies) == (None, None, None, None)
    assert (track.renewal, track.provisional, track.attestations, track.issue_automatically) == (None, None, [], False)


def test_section_defaults(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    (root / TRACK_FILE).write_text(
        "slug: basic\ntitle: Trainee\nissuer: Test Program\nnumber_prefix: T\nvalidity_months: 12\n"
        "supervision: {hours: 5}\ncompetencies: {minimum_level: meets, required: [C01.1]}\n"
        "renewal: {ce_hours: 10}\nprovisional: {months: 6}\n", encoding="utf-8")
    track = check_library(root)[0].tracks["basic"]
    assert track.supervision.formats == ["individual", "group"]
    assert track.competencies.rule == "one_assigned_supervisor"
    assert (track.renewal.window_days, track.renewal.topic_minimums) == (90, {})
    assert track.provisional.extensions == 0
