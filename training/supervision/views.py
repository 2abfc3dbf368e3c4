"""Supervisors: their trainees, and the review queue (hours to verify, essays to mark)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.access import role_required, supervised_trainee_ids, trainee_for_reviewer_or_404
from training.certification.standing import issue_due, standing_for
from training.courses.published import framework, tracks
from training.extensions import db
from training.inputs import whole_number
from training.models import (EVIDENCE_METHODS, CompetencyRating, Decision, Enrolment, HoursEntry, Module, Quiz,
                             QuizAttempt, Role, SignoffRequest, SignoffStatus, StoryDraft, utcnow)
from training.notifications.events import hours_decided, signoff_answered
from training.supervision.forms import BulkDecisionForm, DecisionForm, ObservationForm, ResponseForm
from training.supervision.hours import (ACTIVITY_LABELS, HoursRefused, decide, decide_pending, pending_query, progress,
                                        track_requirements, trainee_entries, verified_minutes)
from training.supervision.overview import overview
from training.supervision.queue import essays_to_mark, statements_to_read, stories_to_read
from training.supervision.signoffs import (SignoffRefused, met_competencies, pending_requests, record_observation,
                                           required_level, respond, standings)

bp = Blueprint("supervision", __name__, url_prefix="/supervision")
ENTRIES_PER_PAGE = 50


@bp.route("/trainees")
@role_required(Role.SUPERVISOR)
def trainees():
    """Supervisors: the trainees assigned to you at a glance, 50 a page: quizzes, competencies, hours, what waits."""
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    rows, quiz_count, pages = overview(current_user, page)
    return render_template("supervision/trainees.html", rows=rows, quiz_count=quiz_count, pages=pages)


@bp.route("/trainees/<int:trainee_id>")
@role_required(Role.SUPERVISOR)
def trainee(trainee_id):
    """Supervisors: one of your trainees (anyone else's: 404)."""
    person = trainee_for_reviewer_or_404(current_user, trainee_id)
    enrolments = db.session.scalars(select(Enrolment).options(selectinload(Enrolment.cohort))
                                    .where(Enrolment.trainee_id == person.id)).all()
    attempts = db.session.scalars(
        select(QuizAttempt).join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.user_id == person.id)
        .options(selectinload(QuizAttempt.quiz).selectinload(Quiz.module))
        .order_by(Module.position, QuizAttempt.number)).all()
    entries = trainee_entries(person.id)
    view = framework()
    ratings = standings(person.id)
    shared_draft = db.session.scalar(select(StoryDraft).where(StoryDraft.author_id == person.id,
                                                              StoryDraft.shared_at.is_not(None)))
    return render_template("supervision/trainee.html", trainee=person, enrolments=enrolments, attempts=attempts,
                           shared_draft=shared_draft, entries=entries, labels=ACTIVITY_LABELS, framework=view,
                           standings=ratings, met=met_competencies(person.id, ratings),
                           progress=progress(track_requirements(), verified_minutes(entries)),
                           certification=[standing_for(track, person.id) for track in tracks().values()])


@bp.route("/queue")
@role_required(Role.SUPERVISOR)
def queue():
    """Supervisors: hours to verify, sign-offs, statements, shared story drafts and essay answers from your own
    trainees, oldest first."""
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    entries = db.paginate(pending_query(current_user), page=page, per_page=ENTRIES_PER_PAGE, error_out=False)
    return render_template("supervision/queue.html", entries=entries,
                           requests=pending_requests(current_user), statements=statements_to_read(current_user),
                           attempts=essays_to_mark(current_user), stories=stories_to_read(current_user),
                           labels=ACTIVITY_LABELS, form=DecisionForm(), bulk_form=BulkDecisionForm())


@bp.route("/hours/decide", methods=["POST"])
@role_required(Role.SUPERVISOR)
def decide_selected_hours():
    """Supervisors: verify, or reject with one reason, the entries ticked on the review queue. Entries
    someone else decided meanwhile, or their trainee withdrew, are skipped and listed; the others are saved."""
    form = BulkDecisionForm()
    back = url_for("supervision.queue", page=whole_number(request.form.get("page"), maximum=100_000) or None)
    ids = {number for number in map(whole_number, request.form.getlist("entry")) if number}
    if not form.validate_on_submit():
        flash(_("Please choose whether to verify or reject the selected entries."), "error")
        return redirect(back + "#bulk-decision")
    if not ids:
        flash(_("Please tick the entries to decide on first, in the Select column."), "error")
        return redirect(back + "#bulk-decision")
    entries = list(db.session.scalars(
        select(HoursEntry)
        .where(HoursEntry.id.in_(ids), HoursEntry.trainee_id.in_(supervised_trainee_ids(current_user)))
        .options(selectinload(HoursEntry.trainee)).order_by(HoursEntry.created_at, HoursEntry.id)))
    try:
        outcome = decide_pending(entries, current_user, form.decision.data, form.reason.data or "", utcnow())
    except HoursRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(back + "#bulk-decision")
    for entry, decision in outcome.decided:
        hours_decided(entry, decision)
    issue_due(sorted({entry.trainee_id for entry, _decision in outcome.decided}), utcnow())
    db.session.commit()
    flash(bulk_summary(form.decision.data, len(outcome.decided), outcome.skipped, len(ids) - len(entries)),
          "success" if outcome.decided else "info")
    return redirect(back)


def bulk_summary(decision: str, decided: int, skipped, missing: int) -> str:
    """"2 verified; 1 skipped: already verified by Pat", in plain words."""
    said = [ngettext("%(num)d entry verified", "%(num)d entries verified", decided) if decision == Decision.VERIFIED
            else ngettext("%(num)d entry rejected", "%(num)d entries rejected", decided)]
    if skipped:
        reasons = "; ".join(_("%(name)s, %(date)s: %(why)s", name=item.entry.trainee.display_name,
                              date=format_date(item.entry.worked_on), why=item.why) for item in skipped)
        said.append(ngettext("%(num)d skipped (%(reasons)s)", "%(num)d skipped (%(reasons)s)", len(skipped),
                             reasons=reasons))
    if missing:
        said.append(ngettext("%(num)d could not be found (it is no longer in your queue)",
                             "%(num)d could not be found (they are no longer in your queue)", missing))
    return "; ".join(said) + "."


@bp.route("/hours/<int:entry_id>/decide", methods=["POST"])
@role_required(Role.SUPERVISOR)
def decide_hours(entry_id):
    """Supervisors: verify or reject one of your trainee's entries (anyone else's: 404)."""
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None:
        abort(404)
    trainee_for_reviewer_or_404(current_user, entry.trainee_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Please choose verify or reject."), "error")
        return redirect(url_for("supervision.queue") + f"#entry-{entry.id}")
    try:
        decision = decide(entry, current_user, form.decision.data, form.reason.data or "", utcnow())
    except HoursRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("supervision.queue") + f"#entry-{entry.id}")
    hours_decided(entry, decision)
    issue_due([entry.trainee_id], utcnow())
    db.session.commit()
    flash(_("The entry of %(name)s is verified.", name=entry.trainee.display_name)
          if form.decision.data == Decision.VERIFIED else
          _("The entry of %(name)s is rejected.", name=entry.trainee.display_name), "success")
    return redirect(url_for("supervision.queue"))


@bp.route("/signoffs/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def signoff(request_id):
    """Supervisors: a sign-off request of your trainee with its history; approve with a rating or return it."""
    found = db.session.get(SignoffRequest, request_id)
    if found is None:
        abort(404)
    trainee_for_reviewer_or_404(current_user, found.trainee_id)
    view = framework()
    minimum = view.level(required_level())
    minimum = minimum if minimum is not None and minimum.rank is not None else None
    form = ResponseForm(view.levels, minimum)
    if form.validate_on_submit():
        try:
            response = respond(found, current_user, form.outcome.data, form.level.data, form.comment.data or "",
                               utcnow())
        except SignoffRefused as refusal:
            db.session.rollback()
            if found.status != SignoffStatus.PENDING:  # withdrawn or answered meanwhile: no form to correct
                flash(str(refusal), "info")
                return redirect(url_for("supervision.queue"))
            form.form_errors.append(str(refusal))
        else:
            signoff_answered(found, response)
            issue_due([found.trainee_id], utcnow())
            db.session.commit()
            flash(_("Your response to %(name)s is recorded.", name=found.trainee.display_name), "success")
            return redirect(url_for("supervision.queue"))
    status = 400 if request.method == "POST" else 200
    return render_template("supervision/signoff.html", found=found, competency=view.competency(found.competency),
                           form=form, methods=EVIDENCE_METHODS, levels=view, minimum=minimum), status


@bp.route("/trainees/<int:trainee_id>/observe", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def observe(trainee_id):
    """Supervisors: rate a competency you observed, without a request from the trainee."""
    person = trainee_for_reviewer_or_404(current_user, trainee_id)
    view = framework()
    form = ObservationForm(view)
    corrected = _own_rating_or_404(person, request.values.get("corrects", ""))
    if corrected is not None and request.method == "GET":
        form.competency.data, form.method.data, form.corrects.data = (
            corrected.competency, corrected.method, str(corrected.id))
    if form.validate_on_submit():
        try:
            record_observation(person, current_user, form.competency.data, form.level.data, form.method.data,
                               form.observed_on.data, form.comment.data or "", utcnow(), supersedes=corrected,
                               reason=form.reason.data or "")
        except SignoffRefused as refusal:
            db.session.rollback()
            form.form_errors.append(str(refusal))
        else:
            issue_due([person.id], utcnow())
            db.session.commit()
            flash(_("Your observation of %(competency)s is recorded.", competency=form.competency.data), "success")
            return redirect(url_for("supervision.trainee", trainee_id=person.id) + "#competencies")
    status = 400 if request.method == "POST" else 200
    return render_template("supervision/observe.html", trainee=person, form=form, levels=view.levels,
                           corrected=corrected), status


def _own_rating_or_404(trainee, rating_id: str):
    """The current supervisor's own rating of `trainee` named by `rating_id`, or None if none is named."""
    if not rating_id:
        return None
    rating_number = whole_number(rating_id)
    rating = db.session.get(CompetencyRating, rating_number) if rating_number else None
    if rating is None or rating.rater_id != current_user.id or rating.trainee_id != trainee.id:
        abort(404)
    return rating
