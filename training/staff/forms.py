"""Forms for program staff: inviting people, cohorts and supervisor assignment."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

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
    trainee_id = RequiredSelectField(_l("Trainee"), _l("Please choose a trainee to enrol."), coerce=int)


class AssignSupervisorForm(FlaskForm):
    trainee_id = RequiredSelectField(_l("Trainee"), _l("Please choose a trainee."), coerce=int)
    supervisor_id = RequiredSelectField(_l("Supervisor"), _l("Please choose a supervisor."), coerce=int)
    primary = BooleanField(_l("Primary supervisor"),
                           description=_l("Each trainee has one primary supervisor; a new primary "
                                          "replaces the old one, who stays on as an additional supervisor."))
