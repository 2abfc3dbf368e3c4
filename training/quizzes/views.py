"""Taking quizzes: the quiz page, attempts (answer, save, submit) and their results.

A trainee's own attempt is answered and submitted only by them. Results are visible to
the trainee, to staff and to the trainee's supervisors; anyone else gets 404.
"""
from dataclasses import dataclass

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from training.certification.standing import issue_due
from training.access import can_review, can_view_trainee, role_required
from training.courses.progress import course_outline
from training.errors import render_error
from training.extensions import db
from training.models import AttemptItem, AttemptStatus, Course, QuizAttempt, Role, utcnow
from training.quizzes.afterwards import after_result
from training.quizzes.answers import TamperedForm, read_answers
from training.quizzes.attempts import (AttemptClosed, CannotStart, MarkRefused, finish_if_expired, mark_item,
                                       standing, start_attempt, submit_attempt, save_answers)
from training.quizzes.bank import quiz_size
from training.quizzes.review import attempt_page_items, unanswered_positions

bp = Blueprint("quizzes", __name__)


def _module_quiz_or_404(course_slug: str, module_slug: str):
    """(outline, module state, quiz) of an open module that has a quiz."""
    course = db.session.scalar(select(Course).where(Course.slug == course_slug, Course.retired_at.is_(None)))
    if course is None:
        abort(404)
    is_trainee = current_user.has_role(Role.TRAINEE)
    outline = course_outline(course, current_user.id if is_trainee else None, apply_locks=is_trainee)
    state = next((m for m in outline.modules if m.module.slug == module_slug), None)
    if state is None or state.quiz is None:
        abort(404)
    return outline, state, state.quiz


@bp.route("/courses/<course_slug>/<module_slug>/quiz")
@login_required
def overview(course_slug, module_slug):
    """Signed in: a module's quiz, its rules, and (trainees) your attempts and how to start."""
    outline, state, quiz = _module_quiz_or_404(course_slug, module_slug)
    if state.locked:
        return render_template("courses/locked.html", outline=outline, module=state)
    mine = None
    if current_user.has_role(Role.TRAINEE):
        mine = standing(quiz, current_user.id, utcnow())
        if mine.finished_now:
            db.session.commit()  # an attempt whose time ran out was just submitted (and nothing else is written)
    return render_template("quizzes/overview.html", outline=outline, module=state, quiz=quiz, standing=mine,
                           size=quiz_size(quiz))


@bp.route("/courses/<course_slug>/<module_slug>/quiz/start", methods=["POST"])
@role_required(Role.TRAINEE)
def start(course_slug, module_slug):
    """Trainees: start an attempt, or go back to the one already open."""
    outline, state, quiz = _module_quiz_or_404(course_slug, module_slug)
    if state.locked:
        abort(404)
    try:
        attempt = start_attempt(quiz, current_user, utcnow())
    except CannotStart as refusal:
        db.session.rollback()
        flash(str(refusal), "info")
        return redirect(url_for("quizzes.overview", course_slug=course_slug, module_slug=module_slug))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _attempt_or_404(attempt_id: int, *, own: bool = False) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None:
        abort(404)
    if own and attempt.user_id != current_user.id:
        abort(404)
    if not can_view_trainee(current_user, attempt.user):
        abort(404)
    return attempt


@dataclass(frozen=True)
class Place:
    """Where an attempt belongs, for titles and breadcrumbs: a module's quiz or a course's exam."""
    title: str
    course: Course
    url: str


def _place_of(attempt: QuizAttempt) -> Place:
    quiz = attempt.quiz
    if quiz.is_exam:
        return Place(_("Final exam: %(course)s", course=quiz.course.title), quiz.course,
                     url_for("exam.overview", course_slug=quiz.course.slug))
    module = quiz.module
    return Place(_("Quiz: %(module)s", module=module.title), module.course,
                 url_for("quizzes.overview", course_slug=module.course.slug, module_slug=module.slug))


@bp.route("/quiz-attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id):
    """The trainee's open attempt as a form; once submitted, the result (trainee, staff, supervisors)."""
    current = _attempt_or_404(attempt_id)
    if finish_if_expired(current, utcnow()):
        db.session.commit()
        flash(_("The time for this attempt ran out, so it was submitted with the answers you had saved."), "info")
    if current.status == AttemptStatus.IN_PROGRESS and current.user_id == current_user.id:
        return render_template("quizzes/attempt.html", attempt=current, place=_place_of(current),
                               items=attempt_page_items(current))
    if current.status == AttemptStatus.IN_PROGRESS:
        # Nobody else sees the questions or the answer key of an attempt still being taken.
        return render_template("quizzes/result.html", attempt=current, place=_place_of(current), items=[],
                               full_review=False, standing=None, is_owner=False, may_mark=False)
    return _result_page(current)


def _result_page(current: QuizAttempt):
    is_owner = current.user_id == current_user.id
    trainee_standing = standing(current.quiz, current.user_id, utcnow())
    full_review = not is_owner or trainee_standing.may_review()
    may_mark = not is_owner and (current_user.has_role(Role.STAFF) or can_review(current_user, current.user))
    after = None
    if is_owner and not current.quiz.is_exam and current.percent is not None:
        course = current.quiz.module.course
        after = after_result(current, course_outline(course, current_user.id, apply_locks=True))
    return render_template("quizzes/result.html", attempt=current, place=_place_of(current),
                           items=attempt_page_items(current, reviewed=True), full_review=full_review,
                           standing=trainee_standing, is_owner=is_owner, may_mark=may_mark, after=after)


@bp.route("/quiz-attempts/<int:attempt_id>", methods=["POST"])
@role_required(Role.TRAINEE)
def save(attempt_id):
    """Trainees: save the answers of your open attempt; with action=submit, go on to submit."""
    current = _attempt_or_404(attempt_id, own=True)
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        answers, errors = read_answers(current.items, request.form)
    except TamperedForm:
        db.session.rollback()
        return render_error(400, _("These answers could not be saved"),
                            _("The form held an answer that is not part of this attempt, so nothing was saved. "
                              "Please go back to the attempt, reload it and answer again."))
    if errors:
        if autosave:
            return jsonify(saved=False, message=_("Some answers need a look before they can be saved.")), 422
        return render_template("quizzes/attempt.html", attempt=current, place=_place_of(current),
                               items=attempt_page_items(current, form=request.form, errors=errors)), 422
    try:
        save_answers(current, answers, utcnow())
    except AttemptClosed as closed:
        db.session.commit()
        if autosave:
            return jsonify(saved=False, message=str(closed)), 409
        flash(str(closed), "info")
        return redirect(url_for("quizzes.attempt", attempt_id=current.id))
    db.session.commit()
    if autosave:
        return jsonify(saved=True, message=_("Your answers are saved."))
    if request.form.get("action") == "submit":
        return redirect(url_for("quizzes.submit", attempt_id=current.id))
    flash(_("Your answers are saved. You can come back to this attempt at any time."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=current.id))


@bp.route("/quiz-attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def submit(attempt_id):
    """Trainees: confirm (when questions are unanswered) and submit your attempt for marking."""
    current = _attempt_or_404(attempt_id, own=True)
    if current.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quizzes.attempt", attempt_id=current.id))
    if request.method == "GET":
        return render_template("quizzes/confirm.html", attempt=current, place=_place_of(current),
                               unanswered=unanswered_positions(current))
    if submit_attempt(current, utcnow()):  # False when a double click already did it: same result page
        issue_due([current.user_id], utcnow())
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=current.id))


@bp.route("/quiz-attempts/<int:attempt_id>/items/<int:item_id>/mark", methods=["POST"])
@role_required(Role.STAFF, Role.SUPERVISOR)
def mark(attempt_id, item_id):
    """Staff and the trainee's supervisors: mark an essay answer, with an optional comment."""
    current = _attempt_or_404(attempt_id)
    item = db.session.get(AttemptItem, item_id)
    if item is None or item.attempt_id != current.id:
        abort(404)
    if not (current_user.has_role(Role.STAFF) or can_review(current_user, current.user)):
        abort(404)
    points_text = request.form.get("points", "").strip()
    try:
        points = float(points_text.replace(",", "."))
        mark_item(item, points, request.form.get("comment", ""), current_user, utcnow())
    except ValueError:
        flash(_("Question %(number)d: please give the points as a number, such as 1 or 0.5.", number=item.position),
              "error")
        return redirect(url_for("quizzes.attempt", attempt_id=current.id) + f"#item-{item.position}")
    except MarkRefused as refusal:
        db.session.rollback()
        flash(_("Question %(number)d: %(problem)s", number=item.position, problem=refusal), "error")
        return redirect(url_for("quizzes.attempt", attempt_id=current.id) + f"#item-{item.position}")
    issue_due([current.user_id], utcnow())
    db.session.commit()
    flash(_("Question %(number)d is marked.", number=item.position), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=current.id) + f"#item-{item.position}")
