"""Staff: author content in the browser. Every change is versioned and can be exported."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.access import role_required
from training.authoring import editing
from training.authoring.forms import LessonEditForm, NewCourseForm, NewItemForm, NewModuleForm
from training.extensions import db
from training.models import Course, Lesson, LessonVersion, Module, Role

bp = Blueprint("authoring", __name__, url_prefix="/author")


def _problems_text(error: editing.ContentInvalid) -> list[str]:
    return [_("Line %(line)d: %(message)s", line=p.line, message=p.message) if p.path != "slug" else p.message
            for p in error.problems]


@bp.route("/")
@role_required(Role.STAFF)
def index():
    """Staff: every course with its modules and lessons, to edit, add and reorder."""
    courses = db.session.scalars(
        select(Course).where(Course.retired_at.is_(None)).order_by(Course.title)
        .options(selectinload(Course.modules).selectinload(Module.lessons).selectinload(Lesson.current_version))
    ).all()
    return render_template("authoring/index.html", courses=courses, course_form=NewCourseForm(prefix="course"),
                           module_form=NewModuleForm(prefix="module"), lesson_form=NewItemForm(prefix="lesson"))


@bp.route("/courses", methods=["POST"])
@role_required(Role.STAFF)
def create_course():
    """Staff: create an empty course."""
    form = NewCourseForm(prefix="course")
    return _create(form, lambda: editing.create_course(form.slug.data.strip(), form.title.data, form.summary.data),
                   _("Course created."))


@bp.route("/courses/<int:course_id>/modules", methods=["POST"])
@role_required(Role.STAFF)
def add_module(course_id):
    """Staff: add a module at the end of a course."""
    course = db.get_or_404(Course, course_id)
    form = NewModuleForm(prefix="module")
    return _create(form, lambda: editing.add_module(course, form.slug.data.strip(), form.title.data,
                                                    form.summary.data), _("Module added."))


@bp.route("/modules/<int:module_id>/lessons", methods=["POST"])
@role_required(Role.STAFF)
def add_lesson(module_id):
    """Staff: add a lesson at the end of a module."""
    module = db.get_or_404(Module, module_id)
    form = NewItemForm(prefix="lesson")
    return _create(form, lambda: editing.add_lesson(module, form.slug.data.strip(), form.title.data, current_user),
                   _("Lesson added."))


def _create(form, make, message):
    if form.validate_on_submit():
        try:
            make()
        except editing.ContentInvalid as error:
            db.session.rollback()
            flash(_("Nothing was added: %(problems)s", problems=" ".join(_problems_text(error))), "error")
        else:
            db.session.commit()
            flash(message, "success")
    else:
        flash(_("Nothing was added: %(problems)s",
                problems=" ".join(str(m) for errors in form.errors.values() for m in errors)), "error")
    return redirect(url_for("authoring.index"))


@bp.route("/<any(lessons, modules):kind>/<int:item_id>/move", methods=["POST"])
@role_required(Role.STAFF)
def move(kind, item_id):
    """Staff: move a lesson or module up or down."""
    item = db.get_or_404(Lesson if kind == "lessons" else Module, item_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    editing.move(item, direction)
    db.session.commit()
    return redirect(url_for("authoring.index"))


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit(lesson_id):
    """Staff: edit a lesson's Markdown; preview, save a draft or publish a new version."""
    lesson = db.get_or_404(Lesson, lesson_id)
    current = lesson.current_version
    draft = editing.draft_for(lesson, current_user)
    form = LessonEditForm()
    if request.method == "GET":
        form.source.data = draft.source if draft else current.source if current else ""
        form.base_version_id.data = (draft.base_version_id if draft else current.id if current else "") or ""
    preview_html, problems, conflict = None, [], None
    action = request.form.get("action")
    if form.validate_on_submit():
        base = int(form.base_version_id.data) if form.base_version_id.data else None
        try:
            if action == "preview":
                preview_html = editing.preview(lesson, form.source.data)
            elif action == "draft":
                editing.save_draft(lesson, current_user, form.source.data, base)
                db.session.commit()
                flash(_("Draft saved. Trainees do not see it until you publish."), "success")
                return redirect(url_for("authoring.edit", lesson_id=lesson.id))
            elif action == "publish":
                version = editing.publish(lesson, current_user, form.source.data, base, form.note.data or "")
                db.session.commit()
                flash(_("Published as version %(number)d.", number=version.number) if version else
                      _("Nothing to publish: the text is the same as the current version."), "success")
                return redirect(url_for("authoring.edit", lesson_id=lesson.id))
            else:
                abort(400)
        except editing.ContentInvalid as error:
            problems = _problems_text(error)
        except editing.EditConflict as error:
            # Keep their text as a draft so nothing is lost, and show both versions.
            editing.save_draft(lesson, current_user, form.source.data, base)
            db.session.commit()
            conflict = error.current
            form.base_version_id.data = str(conflict.id)
    status = 409 if conflict else 400 if (problems or form.errors) else 200
    return render_template("authoring/edit.html", lesson=lesson, current=current, draft=draft, form=form,
                           preview_html=preview_html, problems=problems, conflict=conflict), status


@bp.route("/lessons/<int:lesson_id>/history")
@role_required(Role.STAFF)
def history(lesson_id):
    """Staff: every version of a lesson, and a diff between any two."""
    lesson = db.get_or_404(Lesson, lesson_id)
    versions = db.session.scalars(select(LessonVersion).where(LessonVersion.lesson_id == lesson.id)
                                  .options(selectinload(LessonVersion.created_by))
                                  .order_by(LessonVersion.number.desc())).all()
    by_id = {v.id: v for v in versions}
    older, newer = by_id.get(request.args.get("a", type=int)), by_id.get(request.args.get("b", type=int))
    diff = None
    if older and newer:
        if older.number > newer.number:
            older, newer = newer, older
        diff = editing.diff_lines(older, newer)
    return render_template("authoring/history.html", lesson=lesson, versions=versions, diff=diff,
                           older=older, newer=newer)


@bp.route("/lessons/<int:lesson_id>/restore/<int:version_id>", methods=["POST"])
@role_required(Role.STAFF)
def restore(lesson_id, version_id):
    """Staff: publish an old version's text again as a new version."""
    lesson = db.get_or_404(Lesson, lesson_id)
    version = db.session.scalar(select(LessonVersion).where(
        LessonVersion.id == version_id, LessonVersion.lesson_id == lesson.id))
    if version is None:
        abort(404)
    try:
        restored = editing.restore(lesson, version, current_user)
    except editing.ContentInvalid as error:
        db.session.rollback()
        flash(_("That version can no longer be published: %(problems)s", problems=" ".join(_problems_text(error))),
              "error")
    else:
        db.session.commit()
        flash(_("Version %(old)d restored as version %(new)d.", old=version.number, new=restored.number), "success")
    return redirect(url_for("authoring.history", lesson_id=lesson.id))
