"""The story workspace. Trainees draft privately; a draft shared with their supervisors can
be read by those supervisors only, each read is logged for the author, and the author can
unshare or delete it for good. Staff have no way in: no route here serves them."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from training.access import can_review, role_required
from training.extensions import db
from training.localization import lazy_gettext as _l
from training.models import Role, StoryDraft, StoryFeedback, StoryRead, utcnow
from training.notifications.events import story_feedback
from training.stories.forms import DraftForm, FeedbackForm
from training.stories.sharing import set_sharing

bp = Blueprint("stories", __name__, url_prefix="/stories")
FIELDS = ("title", "purpose", "audience", "leave_out", "body")
SHARED = _l("Your supervisors can now read this draft and give feedback.")
PRIVATE = _l("This draft is private again.")


def _own_draft_or_404(draft_id: int) -> StoryDraft:
    draft = db.session.get(StoryDraft, draft_id)
    if draft is None or draft.author_id != current_user.id:
        abort(404)
    return draft


@bp.route("/")
@role_required(Role.TRAINEE)
def index():
    """Trainees: your drafts (only you see them unless you share one)."""
    drafts = db.session.scalars(select(StoryDraft).where(StoryDraft.author_id == current_user.id)
                                .order_by(StoryDraft.updated_at.desc())).all()
    return render_template("stories/index.html", drafts=drafts)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new():
    """Trainees: start a draft with the guided prompts."""
    form = DraftForm()
    if form.validate_on_submit():
        draft = StoryDraft(author_id=current_user.id, **{name: (getattr(form, name).data or "").strip()
                                                         for name in FIELDS})
        db.session.add(draft)
        sharing = request.form.get("then") == "share"
        if sharing:
            set_sharing(draft, True, utcnow())
        db.session.commit()
        flash(" ".join([_("Your draft is saved."), str(SHARED) if sharing else _("Only you can see it.")]), "success")
        return redirect(url_for("stories.edit", draft_id=draft.id))
    return render_template("stories/edit.html", form=form, draft=None), 400 if request.method == "POST" else 200


@bp.route("/<int:draft_id>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def edit(draft_id):
    """Trainees: edit your draft; see its feedback and who has read it."""
    draft = _own_draft_or_404(draft_id)
    form = DraftForm(obj=draft)
    then = request.form.get("then")  # the second button: save, then share or stop sharing
    if form.validate_on_submit():
        for name in FIELDS:
            setattr(draft, name, (getattr(form, name).data or "").strip())
        draft.updated_at = utcnow()
        if then in ("share", "unshare"):
            set_sharing(draft, then == "share", utcnow())
        db.session.commit()
        news = {"share": SHARED, "unshare": PRIVATE}.get(then)
        flash(" ".join([_("Your draft is saved."), str(news)]) if news else _("Your draft is saved."), "success")
        return redirect(url_for("stories.edit", draft_id=draft.id))
    if request.method == "POST" and then == "unshare" and set_sharing(draft, False, utcnow()):
        # Privacy first: stopping sharing never waits for the rest of the form to be right.
        db.session.commit()
        form.form_errors.append(" ".join([str(PRIVATE), _("Your changes are not saved yet: please check the fields "
                                                          "marked below.")]))
    return render_template("stories/edit.html", form=form, draft=draft), 400 if request.method == "POST" else 200


@bp.route("/<int:draft_id>/share", methods=["POST"])
@role_required(Role.TRAINEE)
def share(draft_id):
    """Trainees: share one draft with your supervisors, or stop sharing it."""
    draft = _own_draft_or_404(draft_id)
    sharing = request.form.get("share") == "1"
    set_sharing(draft, sharing, utcnow())
    db.session.commit()
    flash(str(SHARED if sharing else PRIVATE), "success")
    return redirect(url_for("stories.edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/delete", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def delete(draft_id):
    """Trainees: delete a draft for good, with its feedback and read log (asks first)."""
    draft = _own_draft_or_404(draft_id)
    if request.method == "POST":
        db.session.delete(draft)
        db.session.commit()
        flash(_("The draft is deleted for good."), "success")
        return redirect(url_for("stories.index"))
    return render_template("stories/delete.html", draft=draft)


def _shared_draft_for_supervisor_or_404(draft_id: int) -> StoryDraft:
    draft = db.session.get(StoryDraft, draft_id)
    if draft is None or draft.shared_at is None or not can_review(current_user, draft.author):
        abort(404)
    return draft


@bp.route("/shared/<int:draft_id>", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def shared(draft_id):
    """Supervisors: a draft your trainee shared with you (each read is logged for them); give feedback."""
    draft = _shared_draft_for_supervisor_or_404(draft_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        db.session.add(StoryFeedback(draft=draft, author_id=current_user.id, body=form.body.data.strip()))
        story_feedback(draft, current_user)
        db.session.commit()
        flash(_("Your feedback is saved for the trainee."), "success")
        return redirect(url_for("stories.shared", draft_id=draft.id))
    if request.method == "GET":
        db.session.add(StoryRead(draft=draft, reader_id=current_user.id))
        db.session.commit()
    return render_template("stories/shared.html", draft=draft, form=form), 400 if request.method == "POST" else 200
