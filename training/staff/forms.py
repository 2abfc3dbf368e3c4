"""Forms for program staff: inviting people, cohorts and supervisor assignment."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from training.forms import display_name_field, email_field, not_blank
from training.inputs import BoundedDateField
from training.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class InviteForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TRAINEE.value,
                       validators=[InputRequired("Please choose a role.")])
    cohort_id = SelectField("Cohort (trainees only)", coerce=int, validators=[Optional()],
                            description="Optional. Enrols the trainee straight away.")


class RolesForm(FlaskForm):
    trainee = BooleanField("Trainee")
    supervisor = BooleanField("Supervisor")
    staff = BooleanField("Program staff")


class CohortForm(FlaskForm):
    name = StringField("Cohort name", validators=[
        not_blank("Please give the cohort a name."),
        Length(max=120, message="Please keep the name to 120 characters or fewer.")],
        description="For example “Spring 2027, evening group”.")
    starts_on = BoundedDateField("Starts on", validators=[Optional()], description="Optional.")
    ends_on = BoundedDateField("Ends on", validators=[Optional()], description="Optional.")


class EnrolForm(FlaskForm):
    trainee_id = SelectField("Trainee", coerce=int,
                             validators=[InputRequired("Please choose a trainee to enrol.")])


class AssignSupervisorForm(FlaskForm):
    trainee_id = SelectField("Trainee", coerce=int, validators=[InputRequired("Please choose a trainee.")])
    supervisor_id = SelectField("Supervisor", coerce=int,
                                validators=[InputRequired("Please choose a supervisor.")])
    primary = BooleanField("Primary supervisor",
                           description="Each trainee has one primary supervisor; a new primary "
                                       "replaces the old one, who stays on as an additional supervisor.")
