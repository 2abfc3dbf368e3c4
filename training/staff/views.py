"""Program staff: people, invitations, cohorts, supervisor assignment and qualifications, and the mail outbox."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from training.access import role_required
from training.auth import accounts
from training.certification.forms import QualificationForm, ReasonForm
from training.certification.records import RecordRefused
from training.courses.published import tracks
from training.extensions import db
from training.inputs import whole_number
from training import mailer
from training.mailer import external_url
from training.models import (Cohort, Enrolment, OutboxMessage, Role, SupervisorAssignment, SupervisorQualification,
                             User, UserRole, utcnow)
from training.notifications.events import supervisor_changed
from training.staff import cohorts as cohort_rules
from training.staff import invites_csv
from training.staff import search as staff_search
from training.staff.forms import (ROLE_LABELS, AssignSupervisorForm, CohortForm, EnrolForm, InviteFileForm, InviteForm,
                                  RolesForm, SendInvitesForm)
from training.supervision.qualifications import (in_force, qualifications_of, record_qualification,
                                                 withdraw_qualification)

bp = Blueprint("staff", __name__, url_prefix="/staff")
PEOPLE_PER_PAGE = 50


def _people_with(role: Role):
    return db.session.scalars(select(User).where(User.role_rows.any(UserRole.role == role))
                              .order_by(User.display_name, User.id)).all()


def _invite_link(secret):
    return external_url("auth.accept_invite", secret=secret)


def _search_text() -> tuple[str, str | None]:
    """The search box's text, stripped, and a problem to show instead of searching (or None)."""
    text = (request.args.get("q") or "").strip()
    if len(text) > staff_search.LONGEST_QUERY:
        return "", _("Please search for at most %(count)d characters: a name, an email, or part of one.",
                     count=staff_search.LONGEST_QUERY)
    return text, None


@bp.route("/search")
@role_required(Role.STAFF)
def search():
    """Staff: find people by name or email, certificates by number, code or holder, and mail by
    recipient or subject."""
    text, problem = _search_text()
    results = staff_search.search(text) if text else None
    return render_template("staff/search.html", q=text, problem=problem, results=results,
                           limit=staff_search.GROUP_LIMIT), 400 if problem else 200


@bp.route("/people")
@role_required(Role.STAFF)
def people():
    """Staff: everyone with an account, their roles, and who has not accepted an invitation, 50 a page,
    filtered by role and by name or email."""
    text, problem = _search_text()
    role = next((role for role in Role if role.value == request.args.get("role")), None)
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    query = select(User).options(selectinload(User.role_rows)).order_by(User.display_name, User.id)
    if role is not None:
        query = query.where(User.role_rows.any(UserRole.role == role))
    if text:
        query = query.where(staff_search.people_matching(text))
    users = db.paginate(query, page=page, per_page=PEOPLE_PER_PAGE, error_out=False)
    return render_template("staff/people.html", users=users, q=text, role=role, problem=problem, Role=Role,
                           role_labels=ROLE_LABELS), 400 if problem else 200


@bp.route("/people/invite", methods=["GET", "POST"])
@role_required(Role.STAFF)
def invite():
    """Staff: invite someone by email with a role (and for a trainee, a cohort and a primary supervisor)."""
    form = InviteForm()
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    form.cohort_id.choices = [SelectChoice(0, _("No cohort"))] + [SelectChoice(c.id, c.name) for c in cohorts]
    form.supervisor_id.choices = [SelectChoice(0, _("No supervisor yet"))] + [
        SelectChoice(s.id, f"{s.display_name} ({s.email})") for s in _people_with(Role.SUPERVISOR)]
    if form.validate_on_submit():
        role = Role(form.role.data)
        cohort = db.session.get(Cohort, form.cohort_id.data) if form.cohort_id.data else None
        supervisor = db.session.get(User, form.supervisor_id.data) if form.supervisor_id.data else None
        if supervisor is not None and role is not Role.TRAINEE:
            form.supervisor_id.errors.append(_("Only trainees have a supervisor; choose “No supervisor yet” "
                                               "for this role."))
            return render_template("staff/invite.html", form=form), 400
        try:
            user = accounts.invite_person(form.email.data, form.display_name.data, role, current_user,
                                          _invite_link, cohort=cohort)
            if supervisor is not None:
                cohort_rules.assign_supervisor(user, supervisor, primary=True, by=current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            # The address was taken, or a role that is not a trainee was given a cohort (in any language).
            field = form.email if accounts.find_user_by_email(form.email.data) is not None else form.cohort_id
            field.errors.append(str(error))
        except cohort_rules.CohortError as error:
            db.session.rollback()
            (form.supervisor_id if supervisor is not None else form.cohort_id).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("staff.person", user_id=user.id))
    return render_template("staff/invite.html", form=form), 400 if form.errors else 200


@bp.route("/people/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def import_people():
    """Staff: invite many people from a CSV file, after a preview of every row; nothing is sent
    until every row is right."""
    upload_form, send_form = InviteFileForm(), SendInvitesForm(prefix="send")
    if request.method == "POST" and "send-payload" in request.form:
        values = invites_csv.unsign_rows(send_form.payload.data or "") if send_form.validate_on_submit() else None
        if values is None:
            upload_form.file.errors = [_("That preview could not be used (it is more than a day old, or was "
                                         "changed). Please upload the file again.")]
            return render_template("staff/import.html", form=upload_form), 400
        check = invites_csv.check_invites(values, current_user)
        if check.clean:
            try:
                invited = invites_csv.send_invites(check, current_user, _invite_link)
            except (accounts.AccountError, cohort_rules.CohortError):
                db.session.rollback()  # someone was invited or changed meanwhile: check again
                check = invites_csv.check_invites(values, current_user)
            else:
                db.session.commit()
                flash(ngettext("%(num)d invitation sent. The link works for 14 days; until the person chooses a "
                               "password they show here as Invited.", "%(num)d invitations sent. The links work "
                               "for 14 days; until each person chooses a password they show here as Invited.",
                               len(invited)), "success")
                return redirect(url_for("staff.people"))
        # Something changed since the preview (an account was made, a cohort renamed): show what, send nothing.
        return render_template("staff/import_preview.html", check=check, send_form=send_form,
                               file_form=InviteFileForm(formdata=None), changed=True), 409
    if upload_form.validate_on_submit():
        upload = upload_form.file.data
        content = upload.read(invites_csv.LARGEST_FILE + 1)
        upload.close()  # a large upload is a temporary file: close it now, not when it is collected
        values, problems = invites_csv.read_file(content)
        check = invites_csv.InviteCheck([], problems) if problems else invites_csv.check_invites(values, current_user)
        if check.clean:
            send_form.payload.data = invites_csv.sign_rows(values)
        return render_template("staff/import_preview.html", check=check, send_form=send_form,
                               file_form=InviteFileForm(formdata=None), changed=False), 200 if check.clean else 422
    return render_template("staff/import.html", form=upload_form), 400 if upload_form.errors else 200


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def person(user_id):
    """Staff: one person's roles, cohorts and supervisors; change their roles."""
    user = db.get_or_404(User, user_id)
    form = RolesForm(data={role.value: role in user.roles for role in Role})
    if form.validate_on_submit():
        wanted = {role for role in Role if form[role.value].data}
        if not wanted:
            form.form_errors.append(_("Everyone needs at least one role. To stop someone signing in, "
                                      "deactivate the account instead."))
        elif user.id == current_user.id:
            form.form_errors.append(_("You cannot change your own roles; please ask another staff member."))
        else:
            user.role_rows = [row for row in user.role_rows if row.role in wanted]
            for role in wanted:
                user.grant(role)
            db.session.commit()
            flash(_("Roles updated."), "success")
            return redirect(url_for("staff.person", user_id=user.id))
    return _person_page(user, form, QualificationForm(), 400 if form.form_errors else 200)


def _person_page(user: User, form, qualification_form, status: int):
    enrolments = db.session.scalars(select(Enrolment).options(selectinload(Enrolment.cohort))
                                    .where(Enrolment.trainee_id == user.id)).all()
    supervisors = db.session.scalars(
        select(SupervisorAssignment).options(selectinload(SupervisorAssignment.supervisor))
        .where(SupervisorAssignment.trainee_id == user.id)).all()
    track_titles = [(slug, track.get("title", slug)) for slug, track in tracks().items()]
    qualifications = qualifications_of(user.id) if user.has_role(Role.SUPERVISOR) else []
    return render_template("staff/person.html", user=user, form=form, enrolments=enrolments, Role=Role,
                           supervisors=supervisors, track_titles=track_titles, qualifications=qualifications,
                           qualification=in_force(qualifications), qualification_form=qualification_form,
                           withdraw_form=ReasonForm(prefix="withdraw")), status


@bp.route("/people/<int:user_id>/qualification", methods=["POST"])
@role_required(Role.STAFF)
def record_supervisor_qualification(user_id):
    """Staff: record a supervisor's qualification (credential, license, years); it replaces the one in force."""
    user = db.get_or_404(User, user_id)
    form = QualificationForm()
    if form.validate_on_submit():
        try:
            record_qualification(user, credential=form.credential.data or "", license=form.license.data or "",
                                 years_in_role=form.years_in_role.data, by=current_user, now=utcnow())
        except RecordRefused as refusal:
            db.session.rollback()
            (getattr(form, refusal.field or "", None) or form.credential).errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("%(name)s's qualification is recorded. Hours they verify now count on credentials that ask for a "
                    "qualified supervisor.", name=user.display_name), "success")
            return redirect(url_for("staff.person", user_id=user.id) + "#qualification")
    return _person_page(user, RolesForm(data={role.value: role in user.roles for role in Role}), form, 422)


@bp.route("/qualifications/<int:record_id>/withdraw", methods=["POST"])
@role_required(Role.STAFF)
def withdraw_supervisor_qualification(record_id):
    """Staff: withdraw a qualification (with the reason); it stays on record."""
    record = db.get_or_404(SupervisorQualification, record_id)
    form = ReasonForm(prefix="withdraw")
    try:
        if not form.validate_on_submit():
            raise RecordRefused(_("Say why the qualification is withdrawn; it stays on record."))
        withdraw_qualification(record, by=current_user, reason=form.reason.data, now=utcnow())
    except RecordRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(_("The qualification is withdrawn. Hours this supervisor verifies no longer count where a qualified "
                "supervisor is required."), "success")
    return redirect(url_for("staff.person", user_id=record.supervisor_id) + "#qualification")


@bp.route("/people/<int:user_id>/resend-invite", methods=["POST"])
@role_required(Role.STAFF)
def resend_invite(user_id):
    """Staff: send a fresh invitation link (the old one stops working)."""
    user = db.get_or_404(User, user_id)
    if user.has_password:
        flash(_("%(name)s has already set up their account.", name=user.display_name), "info")
    else:
        accounts.send_invitation(user, current_user, _invite_link)
        db.session.commit()
        flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("staff.person", user_id=user.id))


@bp.route("/people/<int:user_id>/active", methods=["POST"])
@role_required(Role.STAFF)
def set_active(user_id):
    """Staff: deactivate or reactivate an account (records are kept either way)."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        user.is_active_account = request.form.get("active") == "1"
        db.session.commit()
        flash(_("%(name)s is now active.", name=user.display_name) if user.is_active_account
              else _("%(name)s is now deactivated.", name=user.display_name), "success")
    return redirect(url_for("staff.person", user_id=user.id))


@bp.route("/cohorts", methods=["GET", "POST"])
@role_required(Role.STAFF)
def cohorts():
    """Staff: list cohorts and create a new one."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = cohort_rules.create_cohort(form.name.data, form.starts_on.data, form.ends_on.data)
        except cohort_rules.CohortError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Cohort “%(name)s” created.", name=cohort.name), "success")
            return redirect(url_for("staff.cohort", cohort_id=cohort.id))
    rows = db.session.execute(
        select(Cohort, db.func.count(Enrolment.id)).outerjoin(Enrolment)
        .group_by(Cohort.id).order_by(Cohort.name)).all()
    return render_template("staff/cohorts.html", form=form, rows=rows), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def cohort(cohort_id):
    """Staff: a cohort's trainees and their supervisors; enrol and assign."""
    cohort = db.get_or_404(Cohort, cohort_id)
    enrol_form = EnrolForm(prefix="enrol")
    assign_form = AssignSupervisorForm(prefix="assign")
    members = [e.trainee for e in db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.trainee))
        .where(Enrolment.cohort_id == cohort.id)).all()]
    member_ids = {m.id for m in members}
    assign_form.trainee_id.choices = [SelectChoice(t.id, t.display_name) for t in members]
    assign_form.supervisor_id.choices = [SelectChoice(s.id, f"{s.display_name} ({s.email})")
                                         for s in _people_with(Role.SUPERVISOR)]
    if request.method == "POST":
        if "enrol-trainee" in request.form and enrol_form.validate_on_submit():
            try:
                trainee = cohort_rules.trainee_to_enrol(cohort, enrol_form.trainee.data)
            except cohort_rules.CohortError as error:
                enrol_form.trainee.errors.append(str(error))
            else:
                cohort_rules.enrol_trainee(cohort, trainee)
                db.session.commit()
                flash(_("%(trainee)s is enrolled in %(cohort)s. Assign them a supervisor below if they have none "
                        "yet.", trainee=trainee.display_name, cohort=cohort.name), "success")
                return redirect(url_for("staff.cohort", cohort_id=cohort.id))
        if "assign-trainee_id" in request.form and assign_form.validate_on_submit():
            trainee = db.session.get(User, assign_form.trainee_id.data)
            supervisor = db.session.get(User, assign_form.supervisor_id.data)
            try:
                cohort_rules.assign_supervisor(trainee, supervisor, primary=assign_form.primary.data,
                                               by=current_user)
            except cohort_rules.CohortError as error:
                db.session.rollback()
                assign_form.supervisor_id.errors.append(str(error))
            else:
                supervisor_changed(trainee, supervisor, added=True, by=current_user)
                db.session.commit()
                flash(_("%(supervisor)s now supervises %(trainee)s.", supervisor=supervisor.display_name,
                        trainee=trainee.display_name), "success")
                return redirect(url_for("staff.cohort", cohort_id=cohort.id))
    assignments = db.session.scalars(
        select(SupervisorAssignment).options(selectinload(SupervisorAssignment.supervisor))
        .where(SupervisorAssignment.trainee_id.in_(member_ids))
        .order_by(SupervisorAssignment.is_primary.desc(), SupervisorAssignment.id)).all()
    supervisors_of = {m.id: [] for m in members}
    for assignment in assignments:
        supervisors_of[assignment.trainee_id].append(assignment)
    status = 400 if enrol_form.errors or assign_form.errors else 200
    return render_template("staff/cohort.html", cohort=cohort, members=members,
                           supervisors_of=supervisors_of, enrol_form=enrol_form,
                           can_enrol=bool(enrol_form.errors) or cohort_rules.anyone_to_enrol(cohort),
                           assign_form=assign_form), status


@bp.route("/assignments/<int:assignment_id>/remove", methods=["GET", "POST"])
@role_required(Role.STAFF)
def remove_assignment(assignment_id):
    """Staff: stop a supervisor supervising a trainee, after a page that says what that changes."""
    cohort_id = whole_number(request.values.get("cohort_id"))
    assignment = db.session.get(SupervisorAssignment, assignment_id)
    if assignment is None:
        if request.method == "POST" and cohort_id:  # a second click, or another staff member was quicker
            flash(_("That supervisor was already removed."), "info")
            return redirect(url_for("staff.cohort", cohort_id=cohort_id))
        abort(404)
    back = (url_for("staff.cohort", cohort_id=cohort_id) if cohort_id
            else url_for("staff.person", user_id=assignment.trainee_id))
    supervisor, trainee = assignment.supervisor, assignment.trainee
    waiting = cohort_rules.waiting_after_removal(assignment)
    if request.method == "GET":
        return render_template("staff/remove_assignment.html", assignment=assignment, supervisor=supervisor,
                               trainee=trainee, waiting=waiting, cohort_id=cohort_id, back=back)
    try:
        cohort_rules.unassign_supervisor(assignment, by=current_user)
    except cohort_rules.CohortError as error:
        flash(str(error), "error")
        return redirect(back)
    supervisor_changed(trainee, supervisor, added=False, by=current_user)
    db.session.commit()
    said = [_("%(supervisor)s no longer supervises %(trainee)s.", supervisor=supervisor.display_name,
              trainee=trainee.display_name)]
    if not waiting.others:
        said.append(_("Please assign another supervisor, so %(trainee)s's hours and requests can be reviewed.",
                      trainee=trainee.display_name))
    flash(" ".join(said), "success")
    return redirect(back)


@bp.route("/outbox")
@role_required(Role.STAFF)
def outbox():
    """Staff: mail the platform sent or stored, newest first (password-reset mail hidden)."""
    page = max(whole_number(request.args.get("page"), maximum=100_000) or 1, 1)
    messages = db.paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()),
                           page=page, per_page=50, error_out=False)
    return render_template("staff/outbox.html", messages=messages)


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@role_required(Role.STAFF)
def retry_mail(message_id):
    """Staff: send a message again after every attempt failed (a fresh set of attempts)."""
    message = db.get_or_404(OutboxMessage, message_id)
    if mailer.retry(message):
        db.session.commit()
        flash(_("The message to %(recipient)s is queued again. This page shows whether it was sent.",
                recipient=message.recipient), "success")
    else:
        flash(_("That message is not waiting to be sent again."), "info")
    return redirect(url_for("staff.outbox"))
