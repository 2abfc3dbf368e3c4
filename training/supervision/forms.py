"""Forms for the hours log and supervisors' decisions."""
import secrets

from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, HiddenField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.forms import not_blank
from training.models import Decision
from training.supervision.hours import ACTIVITY_LABELS, allowed_activities


class HoursForm(FlaskForm):
    """One entry; `kind` fixes which types are offered (practice or supervision)."""

    activity = SelectField("Type", validators=[InputRequired("Please choose the type.")])
    worked_on = DateField("Date", validators=[InputRequired("Please enter the date, like 2026-11-20.")],
                          description="The day it happened. Future dates cannot be logged.")
    hours = DecimalField("Hours", places=2, validators=[
        InputRequired("Please enter the time in hours, such as 1.5 for an hour and a half."),
        NumberRange(min=0.01, max=24, message="Please enter more than 0 and at most 24 hours.")],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    setting = StringField("Setting", validators=[
        not_blank("Please say where this happened, such as “drop-in centre” or “phone warm line”."),
        Length(max=200, message="Please keep the setting under 200 characters.")])
    mode = RadioField("How", choices=[SelectChoice("in_person", "In person"),
                                       SelectChoice("remote", "Remote (phone or video)")],
                      default="in_person", validators=[InputRequired("Please choose in person or remote.")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)],
                         description="What you did, without names or details that identify anyone.",
                         render_kw={"rows": 3})
    token = HiddenField()

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity.choices = [SelectChoice(code, ACTIVITY_LABELS[code]) for code in allowed_activities(kind)]
        if not self.token.data:
            self.token.data = secrets.token_urlsafe(24)


class DecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=[SelectChoice(Decision.VERIFIED, "Verify"),
                                                       SelectChoice(Decision.REJECTED, "Reject")],
                          validators=[InputRequired("Please choose verify or reject.")])
    reason = TextAreaField("Reason (needed to reject or to change a decision)",
                           validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
