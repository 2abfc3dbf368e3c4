"""The reader: catalogue, course pages with progress, lessons, and marking them complete."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from training.certification.standing import issue_due
from training.courses.progress import catalogue, complete_lesson, course_outline, record_view
from training.extensions import db
from training.models import Course, Lesson, LessonVersion, Quiz, QuizKind, Role, utcnow

bp = Blueprint("courses", __name__, url_prefix="/courses")


def _open_course_or_404(course_slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == course_slug, Course.retired_at.is_(None)))
    if course is None:
        abort(404)
    return course


def _outline(course):
    """Progress is a trainee's own; other roles read without locks or progress."""
    is_trainee = current_user.has_role(Role.TRAINEE)
    return course_outline(course, current_user.id if is_trainee else None, apply_locks=is_trainee), is_trainee


@bp.route("/")
@login_required
def index():
    """Signed in: every open course, with your progress."""
    reader = current_user.id if current_user.has_role(Role.TRAINEE) else None
    return render_template("courses/catalogue.html", courses=catalogue(reader))


@bp.route("/<course_slug>")
@login_required
def course(course_slug):
    """Signed in: a course's modules and lessons, progress, and what to do next."""
    outline, is_trainee = _outline(_open_course_or_404(course_slug))
    exam = db.session.scalar(select(Quiz.id).where(Quiz.course_id == outline.course.id, Quiz.kind == QuizKind.EXAM,
                                                   Quiz.retired_at.is_(None)))
    return render_template("courses/course.html", outline=outline, is_trainee=is_trainee,
                           next_step=outline.next_step(), resume=outline.resume(), has_exam=exam is not None)


@bp.route("/<course_slug>/<module_slug>/<lesson_slug>")
@login_required
def lesson(course_slug, module_slug, lesson_slug):
    """Signed in: one lesson, with previous/next; a locked module says which module opens it."""
    outline, is_trainee = _outline(_open_course_or_404(course_slug))
    found = outline.find(module_slug, lesson_slug)
    if found is None:
        abort(404)
    module, state, before, after = found
    if module.locked:
        return render_template("courses/locked.html", outline=outline, module=module)
    version = db.session.scalar(
        select(LessonVersion).join(Lesson, Lesson.current_version_id == LessonVersion.id)
        .where(Lesson.id == state.id))
    page = render_template("courses/lesson.html", outline=outline, module=module, state=state,
                           version=version, before=before, after=after, is_trainee=is_trainee)
    resume = outline.resume()
    if is_trainee and (resume is None or resume[1].id != state.id):
        # Only a move to another lesson changes "resume where you left off"; reloading the
        # same lesson writes nothing. After rendering, so the commit expires nothing in use.
        record_view(current_user.id, state.id)
        db.session.commit()
    return page


@bp.route("/<course_slug>/<module_slug>/<lesson_slug>/complete", methods=["POST"])
@login_required
def complete(course_slug, module_slug, lesson_slug):
    """Trainees: mark a lesson complete (again: no change), then go to the next one."""
    if not current_user.has_role(Role.TRAINEE):
        abort(403)
    outline, _ = _outline(_open_course_or_404(course_slug))
    found = outline.find(module_slug, lesson_slug)
    if found is None:
        abort(404)
    module, state, _, after = found
    if module.locked:
        abort(404)
    complete_lesson(current_user.id, db.session.get(Lesson, state.id))
    issue_due([current_user.id], utcnow())
    db.session.commit()
    flash(f"“{state.title}” is marked complete. Well done.", "success")
    if after is not None:
        next_module, next_lesson = after
        return redirect(url_for("courses.lesson", course_slug=course_slug,
                                module_slug=next_module.module.slug, lesson_slug=next_lesson.slug))
    return redirect(url_for("courses.course", course_slug=course_slug))
