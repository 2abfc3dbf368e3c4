"""Forms for program staff: inviting people, cohorts and supervisor assignment."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from training.forms import RequiredSelectField, display_name_field, email_field, not_blank
from training.inputs import BoundedDateField
from training.localization import lazy_gettext as _l
from training.models import Role

ROLE_LABELS = {Role.TRAINEE: _l("Trainee"), Role.SUPERVISOR: _l("Supervisor"), Role.STAFF: _l("Staff")}
ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class InviteForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    role = RequiredSelectField(_l("Role"), _l("Please choose a role."), choices=ROLE_CHOICES,
                               default=Role.TRAINEE.value)
    cohort_id = SelectField(_l("Cohort (trainees only)"), coerce=int, validators=[Optional()],
                            description=_l("Optional. Enrols the trainee straight away."))
    supervisor_id = SelectField(_l("Supervisor (trainees only)"), coerce=int, validators=[Optional()],
                                description=_l("Optional. Becomes the trainee's primary supervisor."))


class RolesForm(FlaskForm):
    trainee = BooleanField(_l("Trainee"))
    supervisor = BooleanField(_l("Supervisor"))
    staff = BooleanField(_l("Program staff"))


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[
        not_blank(_l("Please give the cohort a name.")),
        Length(max=120, message=_l("Please keep the name to 120 characters or fewer."))],
        description=_l("For example “Spring 2027, evening group”."))
    starts_on = BoundedDateField(_l("Starts on"), validators=[Optional()], description=_l("Optional."))
    ends_on = BoundedDateField(_l("Ends on"), validators=[Optional()], description=_l("Optional."))


class EnrolForm(FlaskForm):
    # A search field, not a list: a list of every trainee is thousands of options long.
    trainee = StringField(_l("Trainee's email or name"), validators=[
        not_blank(_l("Please type the email address or the full name of the trainee to enrol.")),
        Length(max=254, message=_l("Please type at most 254 characters: an email address or a name."))],
        description=_l("Their email address, or their full name as it appears on their account."),
        render_kw={"autocomplete": "off", "spellcheck": "false"})


class AssignSupervisorForm(FlaskForm):
    trainee_id = RequiredSelectField(_l("Trainee"), _l("Please choose a trainee."), coerce=int)
    supervisor_id = RequiredSelectField(_l("Supervisor"), _l("Please choose a supervisor."), coerce=int)
    primary = BooleanField(_l("Primary supervisor"),
                           description=_l("Each trainee has one primary supervisor; a new primary "
                                          "replaces the old one, who stays on as an additional supervisor."))


class InviteFileForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Please choose a CSV file to upload."))],
                     description=_l("At most 1 MB and 2,000 people. The first row names the columns: email, name, "
                                    "role (trainee, supervisor or staff), and if you like cohort (its name) and "
                                    "supervisor (their email)."),
                     render_kw={"accept": ".csv,text/csv"})


class SendInvitesForm(FlaskForm):
    payload = HiddenField(validators=[InputRequired()])
