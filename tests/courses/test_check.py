"""check_library on broken trees: each case breaks one thing and expects exactly these problems.

Every case copies tests/courses/fixtures/valid, applies one edit, and compares the full
`path:line: message` list, so a message that loses its line or gains a noisy neighbour fails.
Quiz and track cases are in test_check_quiz.py and test_check_tracks.py.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.courses.files import check_library

VALID = Path(__file__).parent / "fixtures" / "valid"


def replace(path: str, old: str, new: str):
    def edit(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, f"the fixture {path} no longer contains {old!r}"
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def append(path: str, text: str):
    def edit(root: Path) -> None:
        with open(root / path, "a", encoding="utf-8") as file:
            file.write(text)
    return edit


def write(path: str, text: str):
    return lambda root: (root / path).write_text(text, encoding="utf-8")


def delete(path: str):
    return lambda root: (root / path).unlink()


def mkdir(path: str):
    return lambda root: (root / path).mkdir()


def case(name: str, edit, *expected: str):
    return pytest.param(edit, list(expected), id=name)


def broken_tree(tmp_path: Path, edit) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(VALID, root)
    edit(root)
    return root


CASES = [
    # YAML and headers
    case('yaml-syntax-error', replace('core/course.yml', 'title: Core Training', 'title: Core: Training'),
         "core/course.yml:1: YAML syntax error: mapping values are not allowed here; if this line is text that "
         "contains ': ', put the text in quotes or start it with > on the line above"),
    case('yaml-tab-indent', replace('core/ethics/module.yml', '  - Explain', '\t- Explain'),
         "core/ethics/module.yml:4: YAML syntax error: while scanning for the next token, found character '\\t' "
         "that cannot start any token; indent with spaces, not tabs"),
    case('yaml-two-documents', append('core/course.yml', '---\nother: 1\n'),
         'core/course.yml:8: YAML syntax error: expected a single document in the stream, but found another '
         'document; a file holds one YAML document, so remove the extra --- line'),
    case('empty-file', write('core/course.yml', ''),
         'core/course.yml:1: this is empty; it needs the fields described in courses/README.md'),
    case('yaml-not-a-mapping', write('core/course.yml', '- title\n- summary\n'),
         "core/course.yml:1: course.yml should be a set of 'name: value' fields, but it is a list"),
    case('front-matter-never-ends',
         replace('core/boundaries/gifts.md', 'money worries.\n---\n', 'money worries.\n\n'),
         'core/boundaries/gifts.md:1: the header that starts on line 1 never ends; add a line with just --- '
         'after its last field'),
    case('front-matter-missing',
         replace('core/ethics/scope-of-practice.md', '---\ntitle: Scope of practice\n', ''),
         'core/ethics/scope-of-practice.md:1: start the file with a header between two --- lines (title); the '
         'first line should be just ---'),
    case('front-matter-not-a-mapping',
         replace('core/ethics/scope-of-practice.md', 'title: Scope of practice\nactivities:',
                 '- Scope of practice\n- activities:'),
         "core/ethics/scope-of-practice.md:2: the lesson header should be a set of 'name: value' fields, but it "
         "is a list"),
    case('front-matter-yaml-error', replace('core/boundaries/gifts.md', 'title: Gifts and favours',
                                            'title: Gifts and favours\n  extra: ['),
         "core/boundaries/gifts.md:3: YAML syntax error: mapping values are not allowed here; if this line is "
         "text that contains ': ', put the text in quotes or start it with > on the line above"),
    # fields
    case('missing-required-field', replace('core/ethics/confidentiality.md', 'title: Confidentiality\n', ''),
         "core/ethics/confidentiality.md:2: the lesson header needs the field 'title'"),
    case('obsolete-lesson-minutes', replace('core/ethics/confidentiality.md', 'activities:', 'minutes: 20\nactivities:'),
         "core/ethics/confidentiality.md:3: remove 'minutes': a lesson's time is computed from its words (200 a "
         "minute) plus the minutes of the activities it declares under 'activities'"),
    case('activity-with-a-partner',
         replace('core/ethics/confidentiality.md', 'Exercise: explain the limits', 'Role-play: explain the limits'),
         "core/ethics/confidentiality.md:3: 'Role-play: explain the limits of confidentiality' needs another "
         "person, so it is not self-paced lesson time: make it a lab in module.yml (labs:), which counts for those "
         "who attend"),
    case('activity-too-long', replace('core/ethics/confidentiality.md', 'minutes: 10}', 'minutes: 120}'),
         "core/ethics/confidentiality.md:3: 'minutes' is 120; it should be from 1 to 90"),
    case('unknown-field-typo', replace('core/ethics/module.yml', 'summary:', 'sumary:'),
         "core/ethics/module.yml:2: unknown field 'sumary' in module.yml; did you mean 'summary'?"),
    case('unknown-field-in-lesson-header',
         replace('core/ethics/confidentiality.md', 'title: Confidentiality', 'title: Confidentiality\nauthor: Sam'),
         "core/ethics/confidentiality.md:3: unknown field 'author' in the lesson header; the fields here are: "
         "activities, competencies, content_note, title"),
    case('empty-required-field', replace('core/ethics/confidentiality.md', 'title: Confidentiality', 'title:'),
         "core/ethics/confidentiality.md:2: 'title' in the lesson header is empty; give it a value"),
    case('wrong-type-text-for-number',
         replace('core/boundaries/module.yml', 'ethical-responsibility: 0.25', 'ethical-responsibility: an hour'),
         "core/boundaries/module.yml:8: 'ethical-responsibility' should be a number, but it is text ('an hour')"),
    case('obsolete-estimated-minutes',
         replace('core/boundaries/module.yml', '# time is computed', 'estimated_minutes: 60  # time is computed'),
         "core/boundaries/module.yml:6: remove 'estimated_minutes': a module's time is computed from its lessons, "
         "its quiz and its labs"),
    case('wrong-type-zero-minutes', replace('core/ethics/confidentiality.md', 'minutes: 10}', 'minutes: 0}'),
         "core/ethics/confidentiality.md:3: 'minutes' is 0; it should be from 1 to 90"),
    case('wrong-type-fraction-minutes', replace('core/ethics/confidentiality.md', 'minutes: 10}', 'minutes: 2.5}'),
         "core/ethics/confidentiality.md:3: 'minutes' should be a whole number, but it is a number (2.5)"),
    case('wrong-type-list-for-text', replace('core/course.yml', 'title: Core Training', 'title: [Core, Training]'),
         "core/course.yml:1: 'title' should be text, but it is a list"),
    case('repeated-key',
         replace('core/ethics/module.yml', '# contact hours: none claimed', '# none claimed\ntitle: Ethics again'),
         "core/ethics/module.yml:6: 'title' appears twice in module.yml; keep only one"),
    # folders, files and order lists
    case('malformed-slug-in-list', replace('core/course.yml', '  - ethics', '  - Ethics_Module'),
         'core/course.yml:4: the folder ethics/ is not listed under modules; add it to the list in reading '
         'order, or remove it',
         "core/course.yml:6: 'Ethics_Module' is not a valid slug: use lower-case letters, digits and single "
         "hyphens, at most 60 characters (for example 'ethics-module')"),
    case('repeated-slug-in-list',
         replace('core/ethics/module.yml', '  - confidentiality', '  - confidentiality\n  - scope-of-practice'),
         "core/ethics/module.yml:11: 'scope-of-practice' is listed twice in 'lessons'; list it once"),
    case('folder-not-listed', mkdir('core/extra-module'),
         'core/course.yml:4: the folder extra-module/ is not listed under modules; add it to the list in '
         'reading order, or remove it'),
    case('listed-folder-missing', replace('core/course.yml', '  - ethics', '  - ethics\n  - advocacy'),
         "core/course.yml:7: module 'advocacy' is listed, but there is no folder advocacy/ beside this file; "
         "create it or remove it from the list"),
    case('lesson-file-not-listed', write('core/ethics/extra.md', '---\ntitle: Extra\n---\n'),
         'core/ethics/module.yml:8: the file extra.md is not listed under lessons; add it to the list in '
         'reading order, or remove it'),
    case('listed-lesson-missing', delete('core/ethics/confidentiality.md'),
         "core/ethics/module.yml:10: lesson 'confidentiality' is listed, but there is no file "
         "confidentiality.md beside this file; create it or remove it from the list"),
    case('course-folder-bad-slug', mkdir('Core_Two'),
         "Core_Two/:1: the folder name 'Core_Two' is not a valid slug: use lower-case letters, digits and "
         "single hyphens, at most 60 characters (for example 'core-two')"),
    case('course-folder-without-course-yml', mkdir('drafts'),
         "drafts/course.yml:1: the folder 'drafts' has no course.yml; add one (title, summary, modules), or "
         "move the folder out of courses/ if it is not a course"),
    case('stray-file-at-top', write('notes.md', '# notes\n'),
         'notes.md:1: this file is not read: the top of courses/ holds only framework.yml, README.md, tracks/, '
         'documents/ and course folders'),
    case('quiz-file-not-listed',
         replace('core/boundaries/module.yml', 'quiz: quiz.yml                 # optional\n', ''),
         "core/boundaries/quiz.yml:1: this file is not read; add 'quiz: quiz.yml' to module.yml"),
    case('quiz-listed-but-missing', delete('core/boundaries/quiz.yml'),
         'core/boundaries/module.yml:15: there is no quiz.yml beside this file; create it or remove the quiz '
         'line'),
    case('quiz-yaml-extension', write('core/boundaries/extra.yaml', 'pass_mark: 80\n'),
         'core/boundaries/extra.yaml:1: this file is not read; rename it to end in .yml'),
    case('track-yaml-extension', write('tracks/other.yaml', 'slug: other\n'),
         'tracks/other.yaml:1: only .yml files are read in tracks/; rename it to end in .yml or move it '
         'elsewhere'),
    case('document-not-markdown', write('documents/notes.txt', 'x'),
         'documents/notes.txt:1: only .md files are read in documents/; rename it or move it elsewhere'),
    # codes and prerequisites
    case('unknown-competency-code',
         replace('core/boundaries/module.yml', 'competencies: [C01.1, C02.1]', 'competencies: [C01.1, C13.1]'),
         "core/boundaries/module.yml:9: unknown competency code 'C13.1'; codes are listed in framework.yml"),
    case('malformed-competency-code',
         replace('core/boundaries/module.yml', 'competencies: [C01.1, C02.1]', 'competencies: [C01.1, c2]'),
         "core/boundaries/module.yml:9: 'c2' is not a competency code; they look like C01.2"),
    case('unknown-domain-code', replace('core/boundaries/module.yml', '  ethical-responsibility: 0.25', '  ethics: 0.25'),
         "core/boundaries/module.yml:8: unknown training domain code 'ethics' in 'contact_hours'; codes are "
         "listed in framework.yml"),
    case('negative-contact-hours',
         replace('core/boundaries/module.yml', '  ethical-responsibility: 0.25', '  ethical-responsibility: -1'),
         "core/boundaries/module.yml:8: 'ethical-responsibility' is -1; it should be 0 or more"),
    case('unknown-prerequisite',
         replace('core/ethics/module.yml', 'prerequisites: [boundaries]', 'prerequisites: [orientation]'),
         "core/ethics/module.yml:7: unknown prerequisite 'orientation'; it should be a module listed in "
         "core/course.yml"),
    case('own-prerequisite',
         replace('core/ethics/module.yml', 'prerequisites: [boundaries]', 'prerequisites: [ethics]'),
         'core/ethics/module.yml:7: a module cannot be its own prerequisite'),
    case('prerequisite-loop', replace('core/boundaries/module.yml', 'prerequisites: []', 'prerequisites: [ethics]'),
         'core/boundaries/module.yml:10: prerequisites go round in a circle (boundaries → ethics → boundaries), '
         'so no one could start; remove one of them'),
    # lesson text: links, callouts, headings
    case('link-to-missing-lesson',
         replace('core/boundaries/gifts.md', 'When has a gift', 'See [x](missing.md). When has a gift'),
         "core/boundaries/gifts.md:16: the link 'missing.md' points to a lesson that does not exist"),
    case('link-with-typo-suggests-fix',
         replace('core/boundaries/gifts.md', '../ethics/scope-of-practice.md', '../ethics/scope-of-practise.md'),
         "core/boundaries/gifts.md:19: the link '../ethics/scope-of-practise.md' points to a lesson that does "
         "not exist; did you mean '../ethics/scope-of-practice.md'?"),
    case('link-outside-the-course',
         replace('core/ethics/confidentiality.md', '../boundaries/why-boundaries-matter.md',
                 '../../other/why-boundaries-matter.md'),
         "core/ethics/confidentiality.md:9: the link '../../other/why-boundaries-matter.md' does not lead to a "
         "lesson of this course; link to other-lesson.md in the same module or ../module-slug/lesson-slug.md in "
         "another module"),
    case('link-to-missing-heading', replace('core/boundaries/gifts.md', '#mutual-not-a-friendship', '#mutual'),
         "core/boundaries/gifts.md:18: the link 'why-boundaries-matter.md#mutual' points to #mutual, but that "
         "lesson has no heading with that anchor; its heading anchors are: mutual-not-a-friendship, where-next"),
    case('unknown-callout-kind', replace('core/ethics/scope-of-practice.md', '!!! warning', '!!! danger'),
         "core/ethics/scope-of-practice.md:10: unknown callout kind 'danger'; use one of note, tip, warning, "
         "scenario, reflection, takeaways"),
    case('callout-title-without-quotes',
         replace('core/ethics/scope-of-practice.md', '!!! warning "Medication questions"',
                 '!!! warning Medication questions'),
         'core/ethics/scope-of-practice.md:10: put the callout title in double quotes: !!! warning "Medication '
         'questions"'),
    case('callout-without-indented-body',
         replace('core/ethics/scope-of-practice.md', '    Ask your supervisor.', 'Ask your supervisor.'),
         'core/ethics/scope-of-practice.md:13: this callout has no text; indent the lines that belong to it by '
         'four spaces'),
    case('level-one-heading',
         replace('core/ethics/scope-of-practice.md', '## What peer support is not', '# What peer support is not'),
         'core/ethics/scope-of-practice.md:6: start headings at ##; the page shows the title as the only #'),
    # framework.yml and documents
    case('framework-missing', delete('framework.yml'),
         'framework.yml:1: framework.yml is missing; it lists the training domains, rubric levels and '
         'competencies that courses and tracks use'),
    case('framework-yaml-error-hides-code-checks', replace('framework.yml', 'competencies:\n', 'competencies\n'),
         "framework.yml:14: YAML syntax error: while scanning a simple key, could not find expected ':'; check "
         "the indentation and the quotes on this line and the one before"),
    case('framework-missing-rubric-level',
         replace('framework.yml', '  - {code: developing, title: Developing, rank: 1, description: Sometimes.}\n', ''),
         "framework.yml:6: rubric_levels needs the level 'developing'; the platform uses exactly these: "
         "not-yet, developing, meets, exceeds, no-opportunity"),
    case('framework-no-opportunity-with-rank', replace('framework.yml', 'rank: null', 'rank: 4'),
         'framework.yml:11: no-opportunity must have rank: null, because it is neither a pass nor a fail'),
    case('framework-ranks-out-of-order',
         replace('framework.yml', 'title: Exceeds, rank: 3', 'title: Exceeds, rank: 1'),
         'framework.yml:6: rubric level ranks should rise in this order, each higher than the last: not-yet, '
         'developing, meets, exceeds'),
    case('framework-repeated-competency-code', replace('framework.yml', 'code: C01.2', 'code: C01.1'),
         "framework.yml:20: the competency code 'C01.1' is used twice; every code must be unique"),
    case('framework-competency-under-wrong-category', replace('framework.yml', 'code: C02.1', 'code: C01.3'),
         "framework.yml:26: competency 'C01.3' is listed under C02; its code should start with C02."),
    case('framework-unknown-key',
         replace('framework.yml', 'training_domains:', 'activity_types: [a]\ntraining_domains:'),
         "framework.yml:2: unknown field 'activity_types' in framework.yml; the fields here are: competencies, "
         "rubric_levels, training_domains"),
    case('document-version-is-a-number',
         replace('documents/code-of-ethics.md', 'version: "2026.1"', 'version: 2026.1'),
         "documents/code-of-ethics.md:3: 'version' should be text, but it is a number (2026.1); put it in "
         "quotes"),
    case('document-effective-not-a-date',
         replace('documents/code-of-ethics.md', 'effective: 2026-01-01', 'effective: next spring'),
         "documents/code-of-ethics.md:4: 'effective' should be a date written as YYYY-MM-DD, but it is text "
         "('next spring')"),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_broken_tree_reports_exactly(tmp_path, edit, expected):
    library, problems = check_library(broken_tree(tmp_path, edit))
    assert library is None
    assert [str(problem) for problem in problems] == expected


def test_text_that_is_not_utf8_is_reported_at_its_line(tmp_path):
    root = broken_tree(tmp_path, lambda root: (root / "core/ethics/confidentiality.md").write_bytes(
        b"---\ntitle: Confidentiality\nminutes: 20\n---\n\nCaf\xe9\n"))
    assert [str(problem) for problem in check_library(root)[1]] == [
        "core/ethics/confidentiality.md:6: this file is not UTF-8 text; save it with UTF-8 encoding",
    ]


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    def break_three_files(root: Path) -> None:
        replace("core/course.yml", "title: Core Training", "titel: Core Training")(root)
        replace("core/ethics/confidentiality.md", "minutes: 10}", "minutes: soon}")(root)
        replace("core/boundaries/quiz.yml", "pass_mark: 80", "pass_mark: -1")(root)

    problems = check_library(broken_tree(tmp_path, break_three_files))[1]
    assert [f"{problem.path}:{problem.line}" for problem in problems] == [
        "core/boundaries/quiz.yml:1", "core/course.yml:1", "core/ethics/confidentiality.md:3",
    ]


def test_problem_reads_as_path_line_message(tmp_path):
    problem = check_library(broken_tree(tmp_path, delete("framework.yml")))[1][0]
    assert (problem.path, problem.line) == ("framework.yml", 1)
    assert str(problem).startswith("framework.yml:1: framework.yml is missing")
