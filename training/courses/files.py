"""Load and check the whole content folder (courses/ by default), as courses/README.md describes.

`check_library` reads everything, reports every problem it finds as `path:line: message`,
and returns the Library only when there are none. The other *files.py modules read one
kind of file each; this one walks the folders and reads courses and modules.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from training.courses.content import (
    Course, Lesson, Library, Module, Problem, Quiz, is_slug,
)
from training.courses.contacthours import claim_problem
from training.courses.coverage import check_coverage
from training.courses.fields import (
    bad_slug_message, read_amounts, read_competency_codes, read_slug_list, read_text, read_text_list,
)
from training.courses.frameworkfiles import FRAMEWORK_PATH, KnownCodes, known_codes, load_framework
from training.courses.labfiles import read_labs
from training.courses.lessonlinks import check_lesson_links
from training.courses.markdownfiles import DOCUMENTS_FOLDER, load_documents, load_lesson
from training.courses.quizfiles import judge_quizzes, read_final_exam, read_quiz
from training.courses.reading import Fields, FileReader, mapping_fields, parse_yaml, read_source, scalar_value
from training.courses.trackfiles import TRACKS_FOLDER, load_tracks

NOT_COURSES = {TRACKS_FOLDER, DOCUMENTS_FOLDER}
MODULE_REQUIRED = {"title", "summary", "objectives", "lessons"}
MODULE_OPTIONAL = {"contact_hours", "competencies", "prerequisites", "quiz", "labs", "references"}
MODULE_OBSOLETE = {"estimated_minutes": "remove 'estimated_minutes': a module's time is computed from its "
                                        "lessons, its quiz and its labs"}
COURSE_OPTIONAL = {"final_exam"}


# Addresses under a module that are not lessons (see training/quizzes/views.py).
RESERVED_LESSON_SLUGS = {"quiz"}


class ContentProblems(Exception):
    """The content folder has problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course content, the first: {problems[0]}")
        self.problems = problems


def load_library(root: str | Path = "courses") -> Library:
    """The checked Library under `root`; raises ContentProblems when anything needs fixing."""
    library, problems = check_library(root)
    if library is None:
        raise ContentProblems(problems)
    return library


def check_library(root: str | Path = "courses") -> tuple[Library | None, list[Problem]]:
    """Read and check every content file under `root`.

    Returns the Library and no problems, or None and every problem found, sorted by file and line.
    Warnings (which refuse nothing) are in `library.warnings`; `check_library_report` gives
    them even when there are problems.
    """
    library, problems, _ = check_library_report(root)
    return library, problems


def check_library_report(root: str | Path = "courses") -> tuple[Library | None, list[Problem], list[Problem]]:
    """(library or None, problems, warnings) for the content folder `root`."""
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "this content folder does not exist")], []
    problems: list[Problem] = []
    framework = load_framework(root, problems)
    codes = known_codes(framework)
    documents = load_documents(root, problems)
    courses = {}
    folders = course_folders(root, problems)
    for slug in folders:
        course = load_course(root, slug, problems, codes)
        if course is not None:
            courses[slug] = course
    # Tracks are checked against what exists on disk, so a course with its own problems
    # does not also make every track that names it "unknown".
    course_modules = {
        slug: set(module_folders(root / slug)) for slug in folders if (root / slug / "course.yml").is_file()
    }
    document_slugs = {path.stem for path in (root / DOCUMENTS_FOLDER).glob("*.md")}
    tracks = load_tracks(root, problems, codes, course_modules, document_slugs, courses)
    warnings: list[Problem] = []
    for course in courses.values():
        judge_quizzes(course, problems, warnings)
    check_coverage(tracks, courses, problems, warnings)
    warnings = sorted(set(warnings), key=problem_order)
    if problems or framework is None:
        return None, sorted(set(problems), key=problem_order), warnings
    return Library(framework=framework, tracks=tracks, documents=documents, courses=courses,
                   warnings=warnings), [], warnings


def problem_order(problem: Problem) -> tuple:
    return problem.path, problem.line, problem.message


def course_folders(root: Path, problems: list[Problem]) -> list[str]:
    """The course folders at the top of the content folder; reports stray content files there."""
    slugs = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")) or entry.name in NOT_COURSES:
            continue
        if entry.is_dir():
            slugs.append(entry.name)
        elif entry.suffix in (".yml", ".yaml", ".md") and entry.name not in (FRAMEWORK_PATH, "README.md"):
            problems.append(Problem(entry.name, 1, "this file is not read: the top of courses/ holds only "
                                                   "framework.yml, README.md, tracks/, documents/ and course folders"))
    return slugs


def module_folders(course_dir: Path) -> list[str]:
    return sorted(
        entry.name for entry in course_dir.iterdir() if entry.is_dir() and not entry.name.startswith((".", "_"))
    )


@dataclass
class CourseReading:
    """What reading one course gathers across its modules, for the checks that span modules."""

    root: Path
    slug: str
    problems: list[Problem]
    codes: KnownCodes
    listed_modules: set[str]
    lessons_read: list[tuple[str, Lesson]] = field(default_factory=list)  # (module slug, lesson)
    lab_slugs: set[str] = field(default_factory=set)
    prerequisites: dict[str, tuple[list[str], str, int]] = field(default_factory=dict)  # slug: (slugs, path, line)


def load_course(root: Path, slug: str, problems: list[Problem], codes: KnownCodes) -> Course | None:
    """Read a course folder: course.yml, its modules, and the links between its lessons."""
    path = f"{slug}/course.yml"
    if not is_slug(slug):
        problems.append(Problem(f"{slug}/", 1, "the folder name " + bad_slug_message(slug)))
        return None
    if not (root / path).is_file():
        problems.append(Problem(path, 1, f"the folder '{slug}' has no course.yml; add one (title, summary, "
                                         "modules), or move the folder out of courses/ if it is not a course"))
        return None
    source = read_source(root, path, problems)
    if source is None:
        return None
    problems_before = len(problems)
    reader = FileReader(path, problems)
    fields = mapping_fields(reader, parse_yaml(reader, source), required={"title", "summary", "modules"},
                            optional=COURSE_OPTIONAL, what="course.yml")
    if fields is None:
        return None
    listed = read_slug_list(reader, fields, "modules")
    folders = module_folders(root / slug)
    exam_file = scalar_value(fields.get("final_exam")) if fields.get("final_exam") is not None else None
    for file in sorted((root / slug).iterdir()):
        if file.suffix in (".md", ".yml", ".yaml") and file.name not in ("course.yml", exam_file):
            problems.append(Problem(f"{slug}/{file.name}", 1, "this file is not read: a course folder holds "
                                                               "course.yml and module folders, and lessons live "
                                                               "in their module's folder"))
    report_order_list_mismatch(reader, fields.key_line("modules"), listed, folders, "module", "modules",
                               "folder", lambda module: f"{module}/")
    course = CourseReading(root, slug, problems, codes, listed_modules={module for module, _ in listed})
    modules = [load_module(course, module) for module, _ in listed if module in folders]
    check_prerequisite_loops(course)
    existing_lessons = {
        (module, file.stem) for module in folders for file in (root / slug / module).glob("*.md")
    }
    check_lesson_links(course.lessons_read, existing_lessons, problems)
    title, summary = read_text(reader, fields, "title"), read_text(reader, fields, "summary")
    final_exam = read_final_exam(reader, fields, root, slug, codes)
    if len(problems) > problems_before:
        return None
    return Course(path=path, source=source, slug=slug, title=title, summary=summary, modules=modules,
                  final_exam=final_exam)


def report_order_list_mismatch(
    reader: FileReader, key_line: int, listed: list[tuple[str, int]], present: list[str], kind: str,
    list_name: str, thing: str, shown_as,
) -> None:
    """Every folder or file listed, and every listed one present: order lists are the table of contents."""
    listed_slugs = {slug for slug, _ in listed}
    for slug, line in listed:
        if slug not in present:
            reader.report(line, f"{kind} '{slug}' is listed, but there is no {thing} {shown_as(slug)} beside this "
                                "file; create it or remove it from the list")
    for slug in present:
        if slug not in listed_slugs:
            reader.report(key_line, f"the {thing} {shown_as(slug)} is not listed under {list_name}; "
                                    "add it to the list in reading order, or remove it")


def load_module(course: CourseReading, slug: str) -> Module | None:
    """Read module.yml, its lessons and its quiz; None (with problems recorded) when anything is wrong."""
    root, problems, codes = course.root, course.problems, course.codes
    folder = f"{course.slug}/{slug}"
    path = f"{folder}/module.yml"
    if not is_slug(slug):
        problems.append(Problem(f"{folder}/", 1, "the folder name " + bad_slug_message(slug)))
        return None
    if not (root / path).is_file():
        problems.append(Problem(path, 1, "this module folder has no module.yml; add one with title, summary, "
                                         "objectives, estimated_minutes and lessons"))
        return None
    source = read_source(root, path, problems)
    if source is None:
        return None
    problems_before = len(problems)
    reader = FileReader(path, problems)
    fields = mapping_fields(reader, parse_yaml(reader, source), required=MODULE_REQUIRED, optional=MODULE_OPTIONAL,
                            what="module.yml", obsolete=MODULE_OBSOLETE)
    if fields is None:
        return None
    listed = read_slug_list(reader, fields, "lessons")
    lesson_files = sorted(file.stem for file in (root / folder).glob("*.md"))
    report_order_list_mismatch(reader, fields.key_line("lessons"), listed, lesson_files, "lesson", "lessons",
                               "file", lambda lesson: f"{lesson}.md")
    lessons = []
    for lesson_slug, line in listed:
        if lesson_slug in RESERVED_LESSON_SLUGS:
            reader.report(line, f"a lesson cannot be called '{lesson_slug}': the module's quiz page uses that "
                                "address; rename the file and its entry here")
        elif lesson_slug in lesson_files:
            lesson = load_lesson(root, f"{folder}/{lesson_slug}.md", lesson_slug, problems, codes.competencies)
            if lesson is not None:
                lessons.append(lesson)
                course.lessons_read.append((slug, lesson))
    quiz_name = read_text(reader, fields, "quiz")
    report_unread_files(root, folder, quiz_name, problems)
    module = Module(
        path=path, source=source, slug=slug,
        title=read_text(reader, fields, "title"),
        summary=read_text(reader, fields, "summary"),
        objectives=read_text_list(reader, fields, "objectives"),
        contact_hours=read_amounts(reader, fields, "contact_hours", known=codes.domains, kind="training domain"),
        competencies=read_competency_codes(reader, fields, "competencies", codes.competencies),
        prerequisites=read_prerequisites(reader, fields, course, slug),
        lessons=lessons,
        labs=read_labs(reader, fields, codes.domains, course.lab_slugs),
        quiz=read_quiz(reader, fields, root, folder, quiz_name, codes),
        references=read_text_list(reader, fields, "references"),
    )
    if fields.get("objectives") is not None and not module.objectives:
        reader.report(fields.get("objectives"), "list at least one objective: what a trainee can do afterwards")
    if module.quiz is not None and module.quiz.proctored:
        reader.report(fields.get("quiz"), "a module quiz is not proctored; a proctored exam is the course's "
                                          "final_exam (course.yml)")
    if len(problems) == problems_before and (claim := claim_problem(module)):
        reader.report(fields.get("contact_hours") or fields.line, claim)
    return None if len(problems) > problems_before else module


def read_prerequisites(reader: FileReader, fields: Fields, course: CourseReading, slug: str) -> list[str]:
    """Prerequisites are modules of the same course; loops are checked once every module is read."""
    prerequisites = []
    for prerequisite, line in read_slug_list(reader, fields, "prerequisites"):
        if prerequisite == slug:
            reader.report(line, "a module cannot be its own prerequisite")
        elif prerequisite not in course.listed_modules:
            reader.report(line, f"unknown prerequisite '{prerequisite}'; it should be a module listed in "
                                f"{course.slug}/course.yml")
        else:
            prerequisites.append(prerequisite)
    course.prerequisites[slug] = (prerequisites, reader.path, fields.key_line("prerequisites"))
    return prerequisites


def report_unread_files(root: Path, folder: str, quiz_name: str | None, problems: list[Problem]) -> None:
    """YAML files in a module folder that nothing reads are almost always a forgotten quiz line."""
    for file in sorted((root / folder).iterdir()):
        if file.suffix in (".yml", ".yaml") and file.name not in ("module.yml", quiz_name):
            hint = (f"add 'quiz: {file.name}' to module.yml" if file.suffix == ".yml"
                    else "rename it to end in .yml")
            problems.append(Problem(f"{folder}/{file.name}", 1, f"this file is not read; {hint}"))


def check_prerequisite_loops(course: CourseReading) -> None:
    """Prerequisites that lead back to the module itself would mean no one could ever start it."""
    requires = {slug: prerequisites for slug, (prerequisites, _, _) in course.prerequisites.items()}
    reported: set[str] = set()
    for slug, (_, path, line) in course.prerequisites.items():
        loop = find_loop(slug, requires)
        if loop and not reported & set(loop):
            reported |= set(loop)
            course.problems.append(Problem(path, line, "prerequisites go round in a circle ("
                                           + " → ".join(loop) + "), so no one could start; remove one of them"))


def find_loop(start: str, requires: dict[str, list[str]]) -> list[str] | None:
    """A chain of prerequisites from `start` back to itself, if there is one."""
    stack = [(start, [start])]
    visited = set()
    while stack:
        current, chain = stack.pop()
        for needed in requires.get(current, []):
            if needed == start:
                return chain + [start]
            if needed not in visited:
                visited.add(needed)
                stack.append((needed, chain + [needed]))
    return None
