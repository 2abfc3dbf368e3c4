"""Forms for the hours log and supervisors' decisions."""
import secrets

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.forms import RequiredSelectField, not_blank
from training.inputs import BoundedDateField, FiniteDecimalField
from training.localization import lazy_gettext as _l
from training.models import EVIDENCE_METHODS, Decision
from training.supervision.hours import ACTIVITY_LABELS, allowed_activities


class HoursForm(FlaskForm):
    """One entry; `kind` fixes which types are offered (practice or supervision)."""

    activity = RequiredSelectField(_l("Type"), _l("Please choose the type."))
    worked_on = BoundedDateField(_l("Date"), validators=[InputRequired(_l("Please enter the date, like 2026-11-20."))],
                                 description=_l("The day it happened. Future dates cannot be logged."))
    hours = FiniteDecimalField(_l("Hours"), places=2, validators=[
        InputRequired(_l("Please enter the time in hours, such as 1.5 for an hour and a half.")),
        NumberRange(min=0.01, max=24, message=_l("Please enter more than 0 and at most 24 hours."))],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    setting = StringField(_l("Setting"), validators=[
        not_blank(_l("Please say where this happened, such as “drop-in centre” or “phone warm line”.")),
        Length(max=200, message=_l("Please keep the setting under 200 characters."))])
    mode = RadioField(_l("How"), choices=[SelectChoice("in_person", _l("In person")),
                                          SelectChoice("remote", _l("Remote (phone or video)"))],
                      default="in_person", validators=[InputRequired(_l("Please choose in person or remote."))])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)],
                         description=_l("What you did, without names or details that identify anyone."),
                         render_kw={"rows": 3})
    token = HiddenField()

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity.choices = [SelectChoice(code, ACTIVITY_LABELS[code]) for code in allowed_activities(kind)]
        if not self.token.data:
            self.token.data = secrets.token_urlsafe(24)


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice(Decision.VERIFIED, _l("Verify")),
                                                   SelectChoice(Decision.REJECTED, _l("Reject"))],
                          validators=[InputRequired(_l("Please choose verify or reject."))])
    reason = TextAreaField(_l("Reason (needed to reject or to change a decision)"),
                           validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})


class BulkDecisionForm(FlaskForm):
    """One decision for the entries ticked on the review queue; the buttons carry the decision."""
    decision = RequiredSelectField(_l("Decision"), _l("Please choose verify or reject."),
                                   choices=[SelectChoice(Decision.VERIFIED, _l("Verify")),
                                            SelectChoice(Decision.REJECTED, _l("Reject"))])
    reason = TextAreaField(_l("Reason (needed to reject)"), validators=[Optional(), Length(max=2000)],
                           description=_l("One reason for every selected entry; each trainee sees it with their "
                                          "entry."), render_kw={"rows": 2})


def method_choices():
    return [SelectChoice(code, label) for code, label in EVIDENCE_METHODS.items()]


def level_choices(levels):
    return [SelectChoice(level.code, level.title) for level in levels]


class EvidenceForm(FlaskForm):
    happened_on = BoundedDateField(_l("When it happened"),
                                   validators=[InputRequired(_l("Please enter the date, like 2026-11-20."))])
    setting = StringField(_l("Setting"), validators=[
        not_blank(_l("Please say where, such as “one-to-one at the drop-in centre” or “role-play in training”.")),
        Length(max=200, message=_l("Please keep the setting under 200 characters."))])
    method = RadioField(_l("How it was shown"), validators=[InputRequired(_l("Please choose how it was shown."))])
    what_happened = TextAreaField(_l("What happened"), validators=[
        not_blank(_l("Please describe what happened.")),
        Length(max=5000, message=_l("Please keep it under 5,000 characters."))],
        description=_l("What you did and said, and what followed. Leave out names and details that identify anyone."),
        render_kw={"rows": 6})
    reflection = TextAreaField(_l("Your reflection (optional)"), validators=[Optional(), Length(max=5000)],
                               description=_l("What went well, and what you would do differently."),
                               render_kw={"rows": 4})
    story_draft = SelectField(_l("A story draft that goes with it (optional)"), validators=[Optional()],
                              description=_l("From My story. Your supervisors can open it only while you share it."))

    def __init__(self, drafts=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = method_choices()
        self.story_draft.choices = [SelectChoice("", _("None"))] + [SelectChoice(str(d.id), d.title) for d in drafts]


class ResponseForm(FlaskForm):
    outcome = RadioField(_l("Your response"), choices=[
        SelectChoice("approved", _l("Approve with a rating: the competency is signed off")),
        SelectChoice("returned", _l("Return for more evidence, with what to work on next"))],
        validators=[InputRequired(_l("Please choose approve or return."))])
    level = RadioField(_l("Rating on the rubric (when approving)"), validators=[Optional()])
    comment = TextAreaField(_l("Comment for the trainee (needed when returning)"),
                            validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})

    def __init__(self, levels, minimum=None, *args, **kwargs):
        """`minimum`: the rubric Level the credential track asks for, named in each choice."""
        super().__init__(*args, **kwargs)
        self.level.choices = [SelectChoice(level.code, _("%(level)s (%(against)s)", level=level.title,
                                                         against=_against(level, minimum)))
                              for level in levels] if minimum is not None else level_choices(levels)
        if minimum is not None:
            self.level.description = _("The credential asks for “%(level)s” or higher, so only those ratings can "
                                       "approve. For a lower rating, return the request with what to work on.",
                                       level=minimum.title)


def _against(level, minimum) -> str:
    """A rubric level in the track's terms, for the choice's label."""
    if level.rank is None:
        return _("not a judgment, so not an approval")
    if level.rank < minimum.rank:
        return _("below what the credential needs")
    return _("the level the credential needs") if level.rank == minimum.rank else _("above what the credential needs")


class ObservationForm(FlaskForm):
    competency = RequiredSelectField(_l("Competency"), _l("Please choose a competency."))
    level = RadioField(_l("Rating on the rubric"), validators=[InputRequired(_l("Please choose a level."))])
    method = RadioField(_l("How you observed it"), validators=[InputRequired(_l("Please choose how you observed it."))])
    observed_on = BoundedDateField(_l("When"),
                                   validators=[InputRequired(_l("Please enter the date, like 2026-11-20."))])
    comment = TextAreaField(_l("Comment for the trainee (optional)"), validators=[Optional(), Length(max=5000)],
                            render_kw={"rows": 4})
    reason = TextAreaField(_l("Reason for the correction"), validators=[Optional(), Length(max=2000)],
                           description=_l("Both ratings stay on record; the trainee sees the reason."),
                           render_kw={"rows": 2})
    corrects = HiddenField()

    def __init__(self, framework, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competency.choices = [SelectChoice(item.code, f"{item.code} {item.title}")
                                   for category in framework.categories for item in category.items]
        self.level.choices = level_choices(framework.levels)
        self.method.choices = method_choices()
