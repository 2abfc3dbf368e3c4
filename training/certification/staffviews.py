"""Program staff: who can be certified, issuing (one or many), training recorded from
elsewhere, every certificate with what expires soon, and reissuing, revoking (after a
confirmation page) or correcting one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from training.access import role_required
from training.certification.attesting import attestations_of, statements_of
from training.certification.facts import names
from training.certification.forms import CorrectionForm, ExternalTrainingForm, ReasonForm, RevokeForm
from training.certification.issuance import (IssueRefused, correct, correction_refused, issue, reissue, renew,
                                             revoke)
from training.certification.issuedrecords import issued_records
from training.certification.records import RecordRefused, add_external_training
from training.certification.standing import (Standing, issue_due, ready_holders, standing_for, standings, tell_holder,
                                             trainee_ids)
from training.courses.published import framework, tracks
from training.extensions import commit_keeping_loaded, db
from training.inputs import whole_number
from training.mailer import external_url
from training.models import Certificate, ExternalTraining, Role, User, utcnow

bp = Blueprint("certstaff", __name__, url_prefix="/staff/certification")
EXPIRING_DAYS = 90
OTHERS_PER_PAGE = 50  # the index lists everyone ready to issue, and everyone else a page at a time


def _track_or_404(slug: str) -> dict:
    track = tracks().get(slug)
    if track is None:
        abort(404)
    return track


@dataclass
class TrackList:
    """One track's part of the index: everyone ready, and one page of everyone else."""
    track: dict
    ready: list[int]          # holders eligible for a first certificate
    renewals: list[Standing]  # ready to renew
    others: list[Standing]    # this page of everyone else
    others_total: int
    pages: int


def _track_list(track: dict, ids: list[int], today, page: int) -> TrackList:
    """Who is ready comes from the stored standings and the certificates (a fixed number of
    queries); only the renewals due and the page of everyone else are computed in full."""
    ready, renewals = ready_holders(track, ids, today)
    waiting = set(ready) | {standing.holder_id for standing in renewals}
    others = [holder_id for holder_id in ids if holder_id not in waiting]
    start = (page - 1) * OTHERS_PER_PAGE
    shown = standings(track, others[start:start + OTHERS_PER_PAGE])
    return TrackList(track, ready, renewals, list(shown.values()), len(others),
                     max(1, -(-len(others) // OTHERS_PER_PAGE)))


@bp.route("/")
@role_required(Role.STAFF)
def index():
    """Staff: per track, who is eligible, who is ready to renew, and everyone else's progress, 50 a page."""
    today = utcnow().date()
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    ids = trainee_ids()
    overview = [_track_list(track, ids, today, page) for track in tracks().values()]
    commit_keeping_loaded()  # the standings computed on the way
    shown = {holder_id for part in overview for holder_id in part.ready}
    shown |= {s.holder_id for part in overview for s in part.renewals + part.others}
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(shown)))} if shown else {}
    return render_template("certification/staff/index.html", overview=overview, people=people, today=today,
                           page=page)


@bp.route("/<slug>/issue", methods=["POST"])
@role_required(Role.STAFF)
def issue_many(slug):
    """Staff: issue (or renew) for the people ticked; each is checked again before issuing."""
    track, now = _track_or_404(slug), utcnow()
    trainees = set(trainee_ids())
    chosen = [number for number in map(whole_number, request.form.getlist("holder")) if number in trainees]
    if not chosen:
        flash(_("Tick at least one person to issue a certificate to."), "error")
        return redirect(url_for("certstaff.index"))
    issued, refused = [], []
    for standing in standings(track, chosen).values():
        holder = db.session.get(User, standing.holder_id)
        try:
            if standing.ready_to_renew(now.date()):
                certificate, created = renew(standing.current, track, standing.renewal, by=current_user, now=now)
            else:
                certificate, created = issue(holder, track, standing.eligibility, by=current_user, now=now,
                                             contact_hours=standing.earned_hours)
        except IssueRefused as refusal:
            refused.append(str(refusal))
            continue
        issued.append(certificate.number)
        if created:
            tell_holder(certificate)
        db.session.commit()  # each certificate stands on its own; a later refusal undoes nothing
    if issued:
        flash(_("Issued %(count)d: %(numbers)s.", count=len(issued), numbers=", ".join(issued)), "success")
    for message in refused:
        flash(message, "error")
    return redirect(url_for("certstaff.index"))


@bp.route("/<slug>/trainees/<int:trainee_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def trainee(slug, trainee_id):
    """Staff: one person's checklist, and training they did elsewhere (recorded here)."""
    track, person = _track_or_404(slug), db.session.get(User, trainee_id)
    if person is None or not person.has_role(Role.TRAINEE):
        abort(404)
    form = ExternalTrainingForm(framework().domains)
    if form.validate_on_submit():
        try:
            add_external_training(person, current_user, domain=form.domain.data, title=form.title.data,
                                  provider=form.provider.data, completed_on=form.completed_on.data,
                                  hours=form.hours.data, note=form.note.data, today=utcnow().date())
        except RecordRefused as refusal:
            db.session.rollback()
            form.completed_on.errors.append(str(refusal))
        else:
            issue_due([person.id], utcnow())
            db.session.commit()
            flash(_("The training is recorded and counts toward the training hours."), "success")
            return redirect(url_for("certstaff.trainee", slug=slug, trainee_id=trainee_id))
    training = db.session.scalars(select(ExternalTraining).where(ExternalTraining.trainee_id == trainee_id)
                                  .options(joinedload(ExternalTraining.recorded_by))
                                  .order_by(ExternalTraining.completed_on.desc())).all()
    return render_template("certification/staff/trainee.html", track=track, person=person, form=form,
                           standing=standing_for(track, trainee_id), training=training,
                           issued=issued_records(trainee_id),
                           attestations=attestations_of(trainee_id) if track.get("eligibility") else [],
                           statements=statements_of(trainee_id) if track.get("eligibility") else [],
                           domains=dict(framework().domains), names=names(track), today=utcnow().date()), \
        422 if request.method == "POST" else 200


@bp.route("/certificates")
@role_required(Role.STAFF)
def certificates():
    """Staff: every certificate, or (?expiring=1) those that expire in the next 90 days."""
    today = utcnow().date()
    query = select(Certificate).options(joinedload(Certificate.holder)).order_by(Certificate.issued_at.desc())
    expiring = request.args.get("expiring") == "1"
    if expiring:
        query = query.where(Certificate.expires_on >= today,
                            Certificate.expires_on < today + timedelta(days=EXPIRING_DAYS),
                            Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None)
                            ).order_by(None).order_by(Certificate.expires_on)
    found = db.session.scalars(query).all()
    renewed = set(db.session.scalars(select(Certificate.renews_id).where(Certificate.renews_id.is_not(None))))
    return render_template("certification/staff/certificates.html", certificates=found, today=today,
                           expiring=expiring, renewed=renewed, days=EXPIRING_DAYS)


def _certificate_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.route("/certificates/<int:certificate_id>")
@role_required(Role.STAFF)
def certificate(certificate_id):
    """Staff: one certificate's record, with reissue, revoke, and after a revocation, a correction."""
    return _certificate_page(_certificate_or_404(certificate_id))


def _certificate_page(found, *, reissue_form=None, correct_form=None, status=200):
    today = utcnow().date()
    return render_template("certification/staff/certificate.html", certificate=found, today=today,
                           reissue_form=reissue_form or ReasonForm(prefix="reissue"),
                           correct_form=correct_form or CorrectionForm(prefix="correct"),
                           correction_blocked=correction_refused(found, tracks().get(found.track), today)
                           if found.revoked_at else None,
                           verify_link=external_url("verify.certificate", code=found.code)), status


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@role_required(Role.STAFF)
def revoke_certificate(certificate_id):
    """Staff: what revoking does, the reason and a confirmation; only this page's form revokes.
    The verification page and the status list change at once."""
    found = _certificate_or_404(certificate_id)
    if found.revoked_at is not None:
        flash(_("Certificate %(number)s is already revoked.", number=found.number), "info")
        return redirect(url_for("certstaff.certificate", certificate_id=found.id))
    form = RevokeForm(prefix="revoke")
    if form.validate_on_submit():
        try:
            revoke(found, by=current_user, reason=form.reason.data, now=utcnow())
        except IssueRefused as refusal:
            db.session.rollback()
            form.reason.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("Certificate %(number)s is revoked. The verification page and the status list show it now, "
                    "and the holder is told by email. See below for what to do next.", number=found.number), "success")
            return redirect(url_for("certstaff.certificate", certificate_id=found.id, _anchor="next-steps"))
    return render_template("certification/staff/revoke.html", certificate=found, form=form,
                           verify_link=external_url("verify.certificate", code=found.code)), \
        422 if request.method == "POST" else 200


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@role_required(Role.STAFF)
def reissue_certificate(certificate_id):
    """Staff: a new certificate (the holder's current legal name) that supersedes this one."""
    found = _certificate_or_404(certificate_id)
    form = ReasonForm(prefix="reissue")
    track = tracks().get(found.track)
    if form.validate_on_submit():
        try:
            if track is None:
                raise IssueRefused(_("The track “%(track)s” is no longer in the course files.", track=found.track))
            new = reissue(found, track, by=current_user, reason=form.reason.data, now=utcnow())
        except IssueRefused as refusal:
            db.session.rollback()
            form.reason.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("Issued %(new)s; %(old)s now says it is superseded.", new=new.number, old=found.number), "success")
            return redirect(url_for("certstaff.certificate", certificate_id=new.id))
    return _certificate_page(found, reissue_form=form, status=422)


@bp.route("/certificates/<int:certificate_id>/correct", methods=["POST"])
@role_required(Role.STAFF)
def correct_certificate(certificate_id):
    """Staff: after a revocation, a corrected certificate for the same holder, track and cycle."""
    found = _certificate_or_404(certificate_id)
    form = CorrectionForm(prefix="correct")
    track = tracks().get(found.track)
    if form.validate_on_submit():
        try:
            hours = standing_for(track, found.holder_id).earned_hours \
                if track is not None and track.get("kind") == "completion" else None
            new, created = correct(found, track, by=current_user, reason=form.reason.data, now=utcnow(),
                                   contact_hours=hours)
        except IssueRefused as refusal:
            db.session.rollback()
            form.reason.errors.append(str(refusal))
        else:
            if created:
                tell_holder(new)
            db.session.commit()
            flash(_("Issued the corrected certificate %(new)s; %(old)s stays revoked and now points to it.",
                    new=new.number, old=found.number) if created
                  else _("The corrected certificate %(new)s was already issued.", new=new.number), "success")
            return redirect(url_for("certstaff.certificate", certificate_id=new.id))
    return _certificate_page(found, correct_form=form, status=422)
