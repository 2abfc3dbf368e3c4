"""Forms for signing the code of ethics, continuing education, and staff certificate actions."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DecimalField, SelectChoice, SelectField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.certification.facts import ce_topics
from training.forms import not_blank

NAME = Length(max=200, message="Please keep this under 200 characters.")


class SignForm(FlaskForm):
    legal_name = StringField("Your full legal name", validators=[
        not_blank("Please type your full legal name to sign."), NAME],
        description="As it appears on your ID. Your certificate is issued in this name.",
        render_kw={"autocomplete": "name"})
    confirm = BooleanField("I have read this code of ethics and I agree to practise by it.", validators=[
        InputRequired("Please tick the box to confirm you have read and agree to the code.")])


class ContinuingEducationForm(FlaskForm):
    topic = SelectField("Topic", validators=[InputRequired("Please choose the topic.")])
    title = StringField("Course or event", validators=[
        not_blank("Please name the course or event, such as “Ethics refresher for peer specialists”."), NAME])
    provider = StringField("Provider", validators=[
        not_blank("Please name who provided it, such as the organisation that ran the training."), NAME])
    completed_on = DateField("Date completed", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    hours = DecimalField("Hours", places=2, validators=[
        InputRequired("Please enter the hours, such as 1.5 for an hour and a half."),
        NumberRange(min=0.25, max=40, message="Please enter between 0.25 and 40 hours for one record.")],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    proof = FileField("Proof (optional)", description="A certificate of attendance: PDF, PNG or JPEG, up to 2 MB.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [SelectChoice(code, label) for code, label in ce_topics().items()]


class ExternalTrainingForm(FlaskForm):
    domain = SelectField("Training domain", validators=[InputRequired("Please choose the domain.")])
    title = StringField("Training", validators=[not_blank("Please name the training."), NAME])
    provider = StringField("Provider", validators=[not_blank("Please name the provider."), NAME])
    completed_on = DateField("Date completed", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    hours = DecimalField("Contact hours", places=2, validators=[
        InputRequired("Please enter the contact hours."),
        NumberRange(min=0.25, max=200, message="Please enter between 0.25 and 200 hours.")],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)],
                         description="How it was approved, such as the certificate you saw.", render_kw={"rows": 2})

    def __init__(self, domains, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = [SelectChoice(code, title) for code, title in domains]


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[
        not_blank("Please give the reason."), Length(max=2000, message="Please keep it under 2,000 characters.")],
        render_kw={"rows": 3})


class CodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form on a public page

    code = StringField("Verification code", validators=[Optional(), Length(max=200)],
                       description="The code printed under the QR code, or the whole verification link.",
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
