"""Competency sign-offs: requests with evidence, supervisors' responses on the rubric,
direct observations, and which competencies count as met. Plain functions; the caller
commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from training.access import can_review, supervised_trainee_ids
from training.auth.accounts import lock
from training.courses.published import Level, framework, track_data
from training.extensions import db
from training.models import (EVIDENCE_METHODS, CompetencyRating, SignoffEvidence, SignoffRequest, SignoffResponse,
                             SignoffStatus, StoryDraft, SupervisorAssignment, User)

class SignoffRefused(Exception):
    """The request, response or rating cannot be recorded; the message says what to change."""


def required_level() -> str:
    """The rubric level the credential track asks for ("meets" when no track says otherwise)."""
    return str((track_data().get("competencies") or {}).get("minimum_level") or "meets")


def meets_level(level: str, minimum_level: str, levels: tuple[Level, ...]) -> bool:
    """Whether a rating at `level` reaches `minimum_level` ("no opportunity to observe" never does)."""
    ranks = {item.code: item.rank for item in levels}
    needed, rank = ranks.get(minimum_level), ranks.get(level)
    return needed is not None and rank is not None and rank >= needed


def _move(request: SignoffRequest, from_statuses: tuple[str, ...], to_status: str, now: datetime) -> bool:
    """Change the request's status only while it is one of `from_statuses`, in one conditional
    UPDATE: of two changes at the same moment (a response and a withdrawal), exactly one wins.
    True if this one did; the request is read afresh either way."""
    result = db.session.execute(
        update(SignoffRequest).where(SignoffRequest.id == request.id, SignoffRequest.status.in_(from_statuses))
        .values(status=to_status, updated_at=now).execution_options(synchronize_session=False))
    db.session.expire(request, ["status", "updated_at"])
    return result.rowcount == 1


@dataclass(frozen=True)
class Evidence:
    happened_on: date
    setting: str
    method: str
    what_happened: str
    reflection: str
    story_draft_id: int | None = None


def _check_evidence(evidence: Evidence, today: date, trainee: User) -> None:
    if evidence.method not in EVIDENCE_METHODS:
        raise SignoffRefused(_("Please choose how the competency was shown."))
    if evidence.happened_on > today:
        raise SignoffRefused(_("The date is in the future. Ask for a sign-off once it has happened."))
    if not evidence.what_happened.strip():
        raise SignoffRefused(_("Please describe what happened."))
    if evidence.story_draft_id is not None:
        draft = db.session.get(StoryDraft, evidence.story_draft_id)
        if draft is None or draft.author_id != trainee.id:
            raise SignoffRefused(_("Please choose one of your own story drafts."))


def _add_evidence(request: SignoffRequest, evidence: Evidence, now: datetime) -> SignoffEvidence:
    row = SignoffEvidence(request=request, happened_on=evidence.happened_on, setting=evidence.setting.strip(),
                          method=evidence.method, what_happened=evidence.what_happened.strip(),
                          reflection=evidence.reflection.strip(), story_draft_id=evidence.story_draft_id,
                          submitted_at=now)
    db.session.add(row)
    return row


def request_signoff(trainee: User, code: str, evidence: Evidence, now: datetime) -> SignoffRequest:
    """A new request for one competency. One open request per competency at a time."""
    if framework().competency(code) is None:
        raise SignoffRefused(_("That competency is not in the framework."))
    _check_evidence(evidence, now.date(), trainee)
    lock(trainee)  # parallel requests take turns; the partial unique index holds if anything slips by
    open_request = db.session.scalar(select(SignoffRequest.id).where(
        SignoffRequest.trainee_id == trainee.id, SignoffRequest.competency == code,
        SignoffRequest.status.not_in((SignoffStatus.APPROVED, SignoffStatus.WITHDRAWN))))
    if open_request is not None:
        raise SignoffRefused(_("You already have a request open for this competency; add to that one instead."))
    request = SignoffRequest(trainee_id=trainee.id, competency=code, status=SignoffStatus.PENDING, created_at=now,
                             updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        raise SignoffRefused(_("You already have a request open for this competency; add to that one instead."))
    _add_evidence(request, evidence, now)
    db.session.flush()
    return request


def resubmit(request: SignoffRequest, trainee: User, evidence: Evidence, now: datetime) -> None:
    """Revised evidence after a supervisor returned the request; the earlier evidence stays."""
    if request.trainee_id != trainee.id:
        raise SignoffRefused(_("Only the trainee who asked can revise this request."))
    if request.status != SignoffStatus.RETURNED:
        raise SignoffRefused(_("This request is not waiting for a revision."))
    _check_evidence(evidence, now.date(), trainee)
    if not _move(request, (SignoffStatus.RETURNED,), SignoffStatus.PENDING, now):  # withdrawn in another tab
        raise SignoffRefused(_("This request is not waiting for a revision."))
    _add_evidence(request, evidence, now)
    db.session.flush()


def respond(request: SignoffRequest, reviewer: User, outcome: str, level: str | None, comment: str,
            now: datetime) -> SignoffResponse:
    """Approve with a rating on the rubric, or return with feedback for the trainee."""
    if not can_review(reviewer, request.trainee):
        raise SignoffRefused(_("Only a supervisor assigned to this trainee can respond."))
    if request.status != SignoffStatus.PENDING:
        raise SignoffRefused(_not_waiting(request))
    comment = comment.strip()
    latest = request.evidence[-1]
    if outcome == SignoffStatus.APPROVED:
        rubric = framework()
        chosen, minimum = rubric.level(level or ""), rubric.level(required_level())
        if chosen is None:
            raise SignoffRefused(_("Please choose a level on the rubric."))
        if minimum is not None and minimum.rank is not None and not meets_level(chosen.code, minimum.code,
                                                                                 rubric.levels):
            raise SignoffRefused(_(
                "An approval signs the competency off, so it needs “%(minimum)s” or higher, the level the "
                "credential asks for; “%(chosen)s” is not that. Please return the request with what to work "
                "on next (you can also record what you saw as an observation on the trainee's page).",
                minimum=minimum.title, chosen=chosen.title))
    elif outcome == SignoffStatus.RETURNED:
        if not comment:
            raise SignoffRefused(_("Please write what the trainee should add or change."))
    else:
        raise SignoffRefused(_("Choose approve or return."))
    if not _move(request, (SignoffStatus.PENDING,), outcome, now):  # withdrawn, or answered, a moment before
        raise SignoffRefused(_not_waiting(request))
    if outcome == SignoffStatus.APPROVED:
        db.session.add(CompetencyRating(
            trainee_id=request.trainee_id, competency=request.competency, rater_id=reviewer.id, level=level,
            comment=comment, method=latest.method, observed_on=latest.happened_on, request_id=request.id,
            created_at=now))
    response = SignoffResponse(request=request, evidence_id=latest.id, reviewer_id=reviewer.id, outcome=outcome,
                               comment=comment, created_at=now)
    db.session.add(response)
    db.session.flush()
    return response


def _not_waiting(request: SignoffRequest) -> str:
    if request.status == SignoffStatus.WITHDRAWN:
        return _("%(name)s withdrew this request, so there is nothing to respond to.",
                 name=request.trainee.display_name)
    return _("This request is not waiting for a response.")


def withdraw_request(request: SignoffRequest, trainee: User, now: datetime) -> bool:
    """Withdraw the trainee's own open request (waiting for a supervisor, or returned to them):
    it leaves the supervisors' queue, counts nowhere and stays in the trainee's history as
    withdrawn. True if this call withdrew it; False if it was withdrawn already. An approval
    made a moment before stands: SignoffRefused says so."""
    if request.trainee_id != trainee.id:
        raise SignoffRefused(_("Only the trainee who asked can withdraw this request."))
    if _move(request, (SignoffStatus.PENDING, SignoffStatus.RETURNED), SignoffStatus.WITHDRAWN, now):
        return True
    if request.status == SignoffStatus.WITHDRAWN:
        return False
    raise SignoffRefused(_("Your supervisor had already approved this request, so it cannot be withdrawn; "
                           "the rating stands."))


@dataclass(frozen=True)
class RequestRating:
    """The rating an approved request recorded (or the rater's correction of it), in the track's terms."""

    rating: CompetencyRating
    level: Level | None
    minimum: Level | None
    meets: bool      # at the track's minimum level or above
    corrected: bool  # `rating` is a correction of the one the approval recorded


def request_rating(request: SignoffRequest) -> RequestRating | None:
    """The rating in force for an approved `request`, and whether it meets the track's minimum
    level (three queries); None when no rating was recorded with it."""
    ratings = db.session.scalars(select(CompetencyRating).options(selectinload(CompetencyRating.rater)).where(
        CompetencyRating.trainee_id == request.trainee_id, CompetencyRating.competency == request.competency)
        .order_by(CompetencyRating.id)).all()
    rating = next((item for item in reversed(ratings) if item.request_id == request.id), None)
    if rating is None:
        return None
    corrections = {item.supersedes_id: item for item in ratings if item.supersedes_id}
    corrected = rating.id in corrections
    while rating.id in corrections:
        rating = corrections[rating.id]
    view = framework()
    minimum = view.level(required_level())
    return RequestRating(rating=rating, level=view.level(rating.level), minimum=minimum, corrected=corrected,
                         meets=minimum is not None and meets_level(rating.level, minimum.code, view.levels))


def record_observation(trainee: User, reviewer: User, code: str, level: str, method: str, observed_on: date,
                       comment: str, now: datetime, supersedes: CompetencyRating | None = None,
                       reason: str = "") -> CompetencyRating:
    """A rating recorded by a supervisor without a request (what they observed), or a
    correction of one of their earlier ratings, which stays on record."""
    if not can_review(reviewer, trainee):
        raise SignoffRefused(_("Only a supervisor assigned to this trainee can rate their competencies."))
    if framework().competency(code) is None:
        raise SignoffRefused(_("Please choose a competency from the framework."))
    if framework().level(level) is None:
        raise SignoffRefused(_("Please choose a level on the rubric."))
    if method not in EVIDENCE_METHODS:
        raise SignoffRefused(_("Please choose how you observed it."))
    if observed_on > now.date():
        raise SignoffRefused(_("The date is in the future."))
    if supersedes is not None:
        if supersedes.rater_id != reviewer.id or supersedes.trainee_id != trainee.id:
            raise SignoffRefused(_("You can correct only your own ratings."))
        if not reason.strip():
            raise SignoffRefused(_("Please give the reason for the correction; both ratings stay on record."))
    rating = CompetencyRating(trainee_id=trainee.id, competency=code, rater_id=reviewer.id, level=level,
                              comment=comment.strip(), method=method, observed_on=observed_on,
                              supersedes_id=supersedes.id if supersedes else None,
                              supersede_reason=reason.strip(), created_at=now)
    db.session.add(rating)
    db.session.flush()
    return rating


@dataclass
class CompetencyStanding:
    ratings: list[CompetencyRating] = field(default_factory=list)  # in force (not superseded), newest first
    history: list[CompetencyRating] = field(default_factory=list)  # superseded ones
    request: SignoffRequest | None = None                          # the newest request


def standings(trainee_id: int) -> dict[str, CompetencyStanding]:
    """Every competency the trainee has a rating or request for (two queries)."""
    result: dict[str, CompetencyStanding] = {}
    ratings = db.session.scalars(select(CompetencyRating).where(CompetencyRating.trainee_id == trainee_id)
                                 .options(selectinload(CompetencyRating.rater))
                                 .order_by(CompetencyRating.created_at.desc(), CompetencyRating.id.desc())).all()
    superseded = {rating.supersedes_id for rating in ratings if rating.supersedes_id}
    for rating in ratings:
        standing = result.setdefault(rating.competency, CompetencyStanding())
        (standing.history if rating.id in superseded else standing.ratings).append(rating)
    for request in db.session.scalars(select(SignoffRequest).where(SignoffRequest.trainee_id == trainee_id)
                                      .order_by(SignoffRequest.created_at)):
        result.setdefault(request.competency, CompetencyStanding()).request = request
    return result


def is_met(ratings: list[CompetencyRating], minimum_level: str, supervisor_ids: set[int],
           levels: tuple[Level, ...]) -> bool:
    """The track's rule `one_assigned_supervisor`: at least one rating in force, at the minimum
    level or above, from a supervisor assigned to the trainee."""
    return any(rating.rater_id in supervisor_ids and meets_level(rating.level, minimum_level, levels)
               for rating in ratings)


def met_competencies(trainee_id: int, mine: dict[str, CompetencyStanding]) -> set[str]:
    """The codes of `mine` (the trainee's standings) that the track counts as met."""
    supervisors, level, levels = assigned_supervisor_ids(trainee_id), required_level(), framework().levels
    return {code for code, standing in mine.items() if is_met(standing.ratings, level, supervisors, levels)}


def assigned_supervisor_ids(trainee_id: int) -> set[int]:
    return set(db.session.scalars(select(SupervisorAssignment.supervisor_id)
                                  .where(SupervisorAssignment.trainee_id == trainee_id)))


def pending_requests(supervisor: User, limit: int | None = None) -> list[SignoffRequest]:
    """Requests of the supervisor's own trainees that wait for a response, oldest first (at most `limit`)."""
    return list(db.session.scalars(
        select(SignoffRequest).where(SignoffRequest.trainee_id.in_(supervised_trainee_ids(supervisor)),
                                     SignoffRequest.status == SignoffStatus.PENDING)
        .options(selectinload(SignoffRequest.trainee)).order_by(SignoffRequest.updated_at).limit(limit)))
