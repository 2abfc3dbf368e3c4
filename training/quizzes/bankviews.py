"""Staff: the question bank of each quiz (edit, preview, retire, statistics), GIFT import
and export, every trainee's attempts, and accommodations."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from training.access import role_required
from training.extensions import db
from training.inputs import whole_number
from training.models import Module, Quiz, QuizAccommodation, QuizAttempt, QuizQuestion, Role, User, normalise_email
from training.quizzes import bank as operations
from training.quizzes.forms import AccommodationForm, GiftImportForm, QuestionForm
from training.quizzes.gift import GiftError, parse_gift, write_gift
from training.quizzes.questiondata import question_from_data
from training.quizzes.review import preview_items
from training.quizzes.stats import MIN_ATTEMPTS_FOR_DISCRIMINATION, quiz_statistics
from training.quizzes.starters import QUESTION_STARTERS

bp = Blueprint("bank", __name__, url_prefix="/author/quizzes")
ATTEMPTS_PER_PAGE = 50


def _quiz_or_404(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _question_or_404(quiz: Quiz, question_id: int) -> QuizQuestion:
    question = db.session.get(QuizQuestion, question_id)
    if question is None or question.quiz_id != quiz.id:
        abort(404)
    return question


@bp.route("/")
@role_required(Role.STAFF)
def index():
    """Staff: every quiz, with the size of its bank and how many attempts it has had."""
    quizzes = db.session.execute(
        select(Quiz, func.count(QuizQuestion.id))
        .outerjoin(QuizQuestion, (QuizQuestion.quiz_id == Quiz.id) & QuizQuestion.retired_at.is_(None))
        .options(selectinload(Quiz.module).selectinload(Module.course), selectinload(Quiz.course))
        .group_by(Quiz.id).order_by(Quiz.path)).all()
    attempts = dict(db.session.execute(select(QuizAttempt.quiz_id, func.count(QuizAttempt.id))
                                       .group_by(QuizAttempt.quiz_id)).all())
    return render_template("bank/index.html", quizzes=quizzes, attempts=attempts)


@bp.route("/<int:quiz_id>")
@role_required(Role.STAFF)
def questions(quiz_id):
    """Staff: a quiz's questions with their statistics and what the judgement checks find."""
    quiz = _quiz_or_404(quiz_id)
    figures, warnings = operations.judgement(quiz)
    return render_template("bank/questions.html", quiz=quiz, stats=quiz_statistics(quiz.id),
                           minimum=MIN_ATTEMPTS_FOR_DISCRIMINATION, starters=QUESTION_STARTERS, figures=figures,
                           warnings=warnings)


def _edit_page(quiz, form, question=None, preview=None, problems=(), status=200):
    return render_template("bank/edit.html", quiz=quiz, form=form, question=question, preview=preview,
                           problems=problems), status


@bp.route("/<int:quiz_id>/questions/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_question(quiz_id):
    """Staff: add a question, written as in quiz.yml (a template per type to start from)."""
    quiz = _quiz_or_404(quiz_id)
    form = QuestionForm()
    if request.method == "GET":
        form.text.data = QUESTION_STARTERS.get(request.args.get("type", "single"), QUESTION_STARTERS["single"])
    return _save_or_preview(quiz, form, None)


@bp.route("/<int:quiz_id>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_question(quiz_id, question_id):
    """Staff: edit a question; its id stays, because attempts and statistics follow it."""
    quiz = _quiz_or_404(quiz_id)
    question = _question_or_404(quiz, question_id)
    form = QuestionForm()
    if request.method == "GET":
        form.text.data = operations.question_text(question.data)
    return _save_or_preview(quiz, form, question)


def _flash_warnings(quiz: Quiz) -> None:
    """After a change to the pool: what the judgement checks find (warnings; nothing is refused here)."""
    for warning in operations.judgement(quiz)[1]:
        flash(_("Worth a look: %(warning)s.", warning=warning), "warning")


def _save_or_preview(quiz, form, question):
    if request.method == "GET":
        preview = preview_items(question.data) if question is not None else None
        return _edit_page(quiz, form, question, preview)
    if not form.validate_on_submit():
        return _edit_page(quiz, form, question, status=400)
    try:
        if request.form.get("action") == "preview":  # shows the question; saves nothing
            return _edit_page(quiz, form, question, preview_items(operations.check_question(quiz, form.text.data,
                                                                                          question)))
        saved = operations.save_question(quiz, form.text.data, current_user, question)
    except operations.QuestionProblems as refused:
        db.session.rollback()
        return _edit_page(quiz, form, question, problems=refused.problems, status=400)
    db.session.commit()
    flash(_("Question “%(key)s” is saved. New attempts use it from now on.", key=saved.key), "success")
    _flash_warnings(quiz)
    return redirect(url_for("bank.questions", quiz_id=quiz.id) + f"#question-{saved.id}")


@bp.route("/<int:quiz_id>/questions/<int:question_id>/retire", methods=["POST"])
@role_required(Role.STAFF)
def retire_question(quiz_id, question_id):
    """Staff: retire a question (no longer drawn; past attempts keep it), or bring it back."""
    quiz = _quiz_or_404(quiz_id)
    question = _question_or_404(quiz, question_id)
    retire = request.form.get("retired") == "1"
    operations.set_retired(quiz, question, retire, current_user)
    db.session.commit()
    flash(_("Question “%(key)s” is retired.", key=question.key) if retire
          else _("Question “%(key)s” is back in use.", key=question.key), "success")
    _flash_warnings(quiz)
    return redirect(url_for("bank.questions", quiz_id=quiz.id) + f"#question-{question.id}")


@bp.route("/<int:quiz_id>/gift")
@role_required(Role.STAFF)
def export_gift(quiz_id):
    """Staff: download the quiz's questions in use as a GIFT file for Moodle."""
    quiz = _quiz_or_404(quiz_id)
    text = write_gift([question_from_data(data) for _question_id, data in operations.active_pool(quiz)])
    name = f"{quiz.slug}.gift"
    return Response(text, mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:quiz_id>/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def import_gift(quiz_id):
    """Staff: import questions from GIFT; any problem imports nothing and lists what to fix."""
    quiz = _quiz_or_404(quiz_id)
    form = GiftImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        source = form.gift_source()
        if source is not None:
            try:
                report = operations.import_questions(quiz, parse_gift(source), current_user)
            except GiftError as error:
                problems = [str(problem) for problem in error.problems]
            except operations.QuestionProblems as refused:
                problems = refused.problems
            else:
                db.session.commit()
                flash(_("Imported from GIFT: %(summary)s.", summary=report.summary()), "success")
                _flash_warnings(quiz)
                return redirect(url_for("bank.questions", quiz_id=quiz.id))
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    return render_template("bank/import.html", quiz=quiz, form=form, problems=problems), status


@bp.route("/<int:quiz_id>/attempts")
@role_required(Role.STAFF)
def attempts(quiz_id):
    """Staff: every trainee's attempts at this quiz, newest first, 50 a page."""
    quiz = _quiz_or_404(quiz_id)
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    attempts = db.paginate(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id)
                           .options(joinedload(QuizAttempt.user))
                           .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()),
                           page=page, per_page=ATTEMPTS_PER_PAGE, error_out=False)
    return render_template("bank/attempts.html", quiz=quiz, attempts=attempts)


@bp.route("/<int:quiz_id>/accommodations", methods=["GET", "POST"])
@role_required(Role.STAFF)
def accommodations(quiz_id):
    """Staff: give one trainee extra attempts, extra time or no break, with a reason on record."""
    quiz = _quiz_or_404(quiz_id)
    form = AccommodationForm()
    if form.validate_on_submit():
        trainee = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
        if trainee is None or not trainee.has_role(Role.TRAINEE):
            form.email.errors.append(_("There is no trainee with this email address. Please check it."))
        else:
            db.session.add(QuizAccommodation(
                quiz_id=quiz.id, user_id=trainee.id, extra_attempts=form.extra_attempts.data,
                extra_minutes=form.extra_minutes.data, waive_cooldown=form.waive_cooldown.data,
                reason=form.reason.data.strip(), granted_by_id=current_user.id))
            db.session.commit()
            flash(_("The accommodation for %(name)s is recorded and applies from now on.", name=trainee.display_name),
                  "success")
            return redirect(url_for("bank.accommodations", quiz_id=quiz.id))
    granted = db.session.scalars(select(QuizAccommodation).where(QuizAccommodation.quiz_id == quiz.id)
                                 .options(selectinload(QuizAccommodation.user),
                                          selectinload(QuizAccommodation.granted_by))
                                 .order_by(QuizAccommodation.granted_at.desc())).all()
    status = 400 if request.method == "POST" else 200
    return render_template("bank/accommodations.html", quiz=quiz, form=form, granted=granted), status
