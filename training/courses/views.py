"""The reader: catalogue, course pages with progress, lessons, and marking them complete."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from training.certification.standing import issue_due
from training.courses.lessonpage import (course_shape, in_course, is_locked, last_viewed, lesson_parts,
                                         progress_and_revision)
from training.courses.progress import ModuleState, Step, catalogue, complete_lesson, course_outline, record_view
from training.courses.revision import current as content_revision
from training.extensions import db
from training.models import Course, Lesson, Role, utcnow

bp = Blueprint("courses", __name__, url_prefix="/courses")


def _open_course_or_404(course_slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == course_slug, Course.retired_at.is_(None)))
    if course is None:
        abort(404)
    return course


def _outline(course, *, with_exam: bool = False):
    """Progress is a trainee's own; other roles read without locks or progress."""
    is_trainee = current_user.has_role(Role.TRAINEE)
    return course_outline(course, current_user.id if is_trainee else None, apply_locks=is_trainee,
                          with_exam=with_exam), is_trainee


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
    outline, is_trainee = _outline(_open_course_or_404(course_slug), with_exam=True)
    return render_template("courses/course.html", outline=outline, is_trainee=is_trainee,
                           next_step=outline.next_step(), resume=outline.resume())


@bp.route("/<course_slug>/<module_slug>/<lesson_slug>")
@login_required
def lesson(course_slug, module_slug, lesson_slug):
    """Signed in: one lesson, with previous/next; a locked module says which module opens it.
    Built from parts cached per content revision and the reader's own rows (lessonpage.py)."""
    is_trainee = current_user.has_role(Role.TRAINEE)
    # The revision is read before the content it keys; a trainee's progress comes with it.
    progress, revision = progress_and_revision(current_user.id) if is_trainee else ({}, content_revision())
    shape = course_shape(course_slug, revision)
    place = shape.find(module_slug, lesson_slug) if shape is not None else None
    if place is None:
        abort(404)
    progress = in_course(progress, shape)
    if is_trainee and is_locked(shape, place.module, progress, current_user.id):
        outline = _outline(_open_course_or_404(course_slug))[0]
        found = outline.find(module_slug, lesson_slug)
        if found is not None and found[0].locked:
            return render_template("courses/locked.html", outline=outline, module=found[0])
    page = render_template("courses/lesson.html", parts=lesson_parts(revision, shape, place), shape=shape,
                           place=place, reading=progress.get(place.lesson.id), is_trainee=is_trainee)
    if is_trainee and last_viewed(progress) != place.lesson.id:
        # Only a move to another lesson changes "resume where you left off"; reloading the
        # same lesson writes nothing.
        record_view(current_user.id, place.lesson.id)
        db.session.commit()
    return page


@bp.route("/<course_slug>/<module_slug>/<lesson_slug>/complete", methods=["POST"])
@login_required
def complete(course_slug, module_slug, lesson_slug):
    """Trainees: mark a lesson complete (again: no change), then go to the next one."""
    if not current_user.has_role(Role.TRAINEE):
        abort(403)
    outline = _outline(_open_course_or_404(course_slug))[0]
    found = outline.find(module_slug, lesson_slug)
    if found is None:
        abort(404)
    module, state, _before, after = found
    if module.locked:
        abort(404)
    complete_lesson(current_user.id, db.session.get(Lesson, state.id))
    issue_due([current_user.id], utcnow())
    db.session.commit()
    state.completed_at = state.completed_at or utcnow()  # the outline was read before the completion
    step = outline.after_completing(module, after)
    said = _("“%(lesson)s” is marked complete. Well done.", lesson=state.title)
    flash(" ".join(filter(None, [said, _what_is_next(module, step, after)])), "success")
    if step is None:
        return redirect(url_for("courses.course", course_slug=course_slug))
    endpoint, values = step.target(course_slug)
    return redirect(url_for(endpoint, **values))


def _what_is_next(module: ModuleState, step: Step | None, after) -> str:
    """A sentence for the flash after a completion, unless the next page is simply the next lesson."""
    title = module.module.title
    if step is None:
        return _("You have completed %(module)s, the last module of this course.", module=title)
    if step.module is not module:
        return _("You have completed %(module)s. Next: %(next)s.", module=title, next=step.module.module.title)
    if step.kind == Step.QUIZ:
        return _("You have read every lesson of %(module)s; the module quiz is next.", module=title)
    if step.kind == Step.LAB:
        return _("To complete %(module)s, attend the practice lab “%(lab)s”: book a session here.",
                 module=title, lab=step.lab.title)
    if after is None or step.lesson is not after[1]:
        return _("One lesson of %(module)s is not marked complete yet: “%(lesson)s”.",
                 module=title, lesson=step.lesson.title)
    return ""
