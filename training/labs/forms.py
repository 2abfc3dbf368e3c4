"""Forms for scheduling lab sessions, cancelling them and recording attendance."""
from flask_wtf import FlaskForm
from wtforms import (FieldList, FormField, HiddenField, RadioField, SelectChoice, StringField, TextAreaField,
                     TimeField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.forms import RequiredSelectField, not_blank
from training.inputs import BoundedDateField, BoundedIntegerField
from training.labs.booking import ATTENDANCE_STATUSES, MAX_CAPACITY, MAX_SESSION_MINUTES, MODES, time_zones
from training.localization import lazy_gettext as _l
from training.models import LabMode

DEFAULT_TIME_ZONE = "America/New_York"


class ScheduleForm(FlaskForm):
    day = BoundedDateField(_l("Date"), validators=[InputRequired(_l("Please enter the date, like 2026-12-15."))])
    start = TimeField(_l("Start time"), validators=[InputRequired(_l("Please enter the start time, like 18:30."))],
                      description=_l("On the clock of the time zone below (24-hour, like 18:30)."))
    time_zone = RequiredSelectField(_l("Time zone"), _l("Please choose the time zone."), default=DEFAULT_TIME_ZONE)
    minutes = BoundedIntegerField(_l("Length in minutes"), validators=[
        InputRequired(_l("Please give the length in minutes.")),
        NumberRange(min=1, max=MAX_SESSION_MINUTES,
                    message=_l("Please enter from 1 to %(most)d minutes.", most=MAX_SESSION_MINUTES))],
        render_kw={"inputmode": "numeric", "class": "input-short"})
    mode = RadioField(_l("Where"), choices=[SelectChoice(code, label) for code, label in MODES.items()],
                      default=LabMode.IN_PERSON, validators=[InputRequired(_l("Please choose in person or online."))])
    location = StringField(_l("Place (in person)"), validators=[Optional(), Length(max=300)],
                           description=_l("The address and room, so people can find it."))
    link = StringField(_l("Meeting link (online)"), validators=[Optional(), Length(max=500)],
                       description=_l("Starts with https://. Only people with a place, the facilitator and staff see "
                                      "it."),
                       render_kw={"inputmode": "url", "spellcheck": "false"})
    facilitator = RequiredSelectField(_l("Facilitator"), _l("Please choose the facilitator."), coerce=int)
    capacity = BoundedIntegerField(_l("Places"), default=12, validators=[
        InputRequired(_l("Please give the number of places.")),
        NumberRange(min=1, max=MAX_CAPACITY, message=_l("Please enter from 1 to %(most)d places.", most=MAX_CAPACITY))],
        render_kw={"inputmode": "numeric", "class": "input-short"})

    def __init__(self, facilitators, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [SelectChoice(zone, zone.replace("_", " ")) for zone in time_zones()]
        self.facilitator.choices = [SelectChoice(person.id, f"{person.display_name} ({person.email})")
                                    for person in facilitators]


class CancelSessionForm(FlaskForm):
    reason = TextAreaField(_l("Why it is cancelled"), validators=[
        not_blank(_l("Please say why; the people booked are told.")), Length(max=1000)], render_kw={"rows": 2})


class MarkForm(FlaskForm):
    """One booked person's attendance (a row of AttendanceForm)."""

    class Meta:
        csrf = False  # the enclosing form carries the token

    booking = HiddenField()
    status = RadioField(_l("Attendance"), choices=[SelectChoice(code, label)
                                                   for code, label in ATTENDANCE_STATUSES.items()],
                        validators=[Optional()])
    minutes = BoundedIntegerField(_l("Minutes attended (if they left early)"), validators=[Optional()],
                                  render_kw={"inputmode": "numeric", "class": "input-short"})


class AttendanceForm(FlaskForm):
    marks = FieldList(FormField(MarkForm))
