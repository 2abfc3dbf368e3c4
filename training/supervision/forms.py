"""Forms for the hours log and supervisors' decisions."""
import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.forms import not_blank
from training.inputs import BoundedDateField, FiniteDecimalField
from training.models import EVIDENCE_METHODS, Decision
from training.supervision.hours import ACTIVITY_LABELS, allowed_activities


class HoursForm(FlaskForm):
    """One entry; `kind` fixes which types are offered (practice or supervision)."""

    activity = SelectField("Type", validators=[InputRequired("Please choose the type.")])
    worked_on = BoundedDateField("Date", validators=[InputRequired("Please enter the date, like 2026-11-20.")],
                          description="The day it happened. Future dates cannot be logged.")
    hours = FiniteDecimalField("Hours", places=2, validators=[
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


def method_choices():
    return [SelectChoice(code, label) for code, label in EVIDENCE_METHODS.items()]


def level_choices(levels):
    return [SelectChoice(level.code, level.title) for level in levels]


class EvidenceForm(FlaskForm):
    happened_on = BoundedDateField("When it happened", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    setting = StringField("Setting", validators=[
        not_blank("Please say where, such as “one-to-one at the drop-in centre” or “role-play in training”."),
        Length(max=200, message="Please keep the setting under 200 characters.")])
    method = RadioField("How it was shown", validators=[InputRequired("Please choose how it was shown.")])
    what_happened = TextAreaField("What happened", validators=[
        not_blank("Please describe what happened."), Length(max=5000, message="Please keep it under 5,000 characters.")],
        description="What you did and said, and what followed. Leave out names and details that identify anyone.",
        render_kw={"rows": 6})
    reflection = TextAreaField("Your reflection (optional)", validators=[Optional(), Length(max=5000)],
                               description="What went well, and what you would do differently.",
                               render_kw={"rows": 4})
    story_draft = SelectField("A story draft that goes with it (optional)", validators=[Optional()],
                              description="From My story. Your supervisors can open it only while you share it.")

    def __init__(self, drafts=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = method_choices()
        self.story_draft.choices = [SelectChoice("", "None")] + [SelectChoice(str(d.id), d.title) for d in drafts]


class ResponseForm(FlaskForm):
    outcome = RadioField("Your response", choices=[SelectChoice("approved", "Approve with a rating"),
                                                   SelectChoice("returned", "Return for more evidence")],
                         validators=[InputRequired("Please choose approve or return.")])
    level = RadioField("Rating on the rubric (when approving)", validators=[Optional()])
    comment = TextAreaField("Comment for the trainee (needed when returning)", validators=[Optional(), Length(max=5000)],
                            render_kw={"rows": 4})

    def __init__(self, levels, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = level_choices(levels)


class ObservationForm(FlaskForm):
    competency = SelectField("Competency", validators=[InputRequired("Please choose a competency.")])
    level = RadioField("Rating on the rubric", validators=[InputRequired("Please choose a level.")])
    method = RadioField("How you observed it", validators=[InputRequired("Please choose how you observed it.")])
    observed_on = BoundedDateField("When", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    comment = TextAreaField("Comment for the trainee (optional)", validators=[Optional(), Length(max=5000)],
                            render_kw={"rows": 4})
    reason = TextAreaField("Reason for the correction", validators=[Optional(), Length(max=2000)],
                           description="Both ratings stay on record; the trainee sees the reason.",
                           render_kw={"rows": 2})
    corrects = HiddenField()

    def __init__(self, framework, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competency.choices = [SelectChoice(item.code, f"{item.code} {item.title}")
                                   for category in framework.categories for item in category.items]
        self.level.choices = level_choices(framework.levels)
        self.method.choices = method_choices()
