"""Forms for signing the code of ethics, eligibility attestations and the statement of lived
experience, continuing education, exam results, supervisors' qualifications and staff
certificate actions."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.certification.facts import ce_topics
from training.forms import not_blank
from training.inputs import BoundedDateField, BoundedIntegerField, FiniteDecimalField

NAME = Length(max=200, message="Please keep this under 200 characters.")


class SignForm(FlaskForm):
    legal_name = StringField("Your full legal name", validators=[
        not_blank("Please type your full legal name to sign."), NAME],
        description="As it appears on your ID. Your certificate is issued in this name.",
        render_kw={"autocomplete": "name"})
    confirm = BooleanField("I have read this code of ethics and I agree to practice by it.", validators=[
        InputRequired("Please tick the box to confirm you have read and agree to the code.")])


class ContinuingEducationForm(FlaskForm):
    topic = SelectField("Topic", validators=[InputRequired("Please choose the topic.")])
    title = StringField("Course or event", validators=[
        not_blank("Please name the course or event, such as “Ethics refresher for peer specialists”."), NAME])
    provider = StringField("Provider", validators=[
        not_blank("Please name who provided it, such as the organisation that ran the training."), NAME])
    completed_on = BoundedDateField("Date completed", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    hours = FiniteDecimalField("Hours", places=2, validators=[
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
    completed_on = BoundedDateField("Date completed", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    hours = FiniteDecimalField("Contact hours", places=2, validators=[
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


class AttestForm(FlaskForm):
    """Confirming an eligibility wording; `choices` (education, jurisdiction) say which applies."""
    detail = RadioField("Which applies to you", validators=[Optional()])
    proof = FileField("A copy of your diploma or equivalency (optional)",
                      description="PDF, PNG or JPEG, up to 2 MB. Only program staff see it.")
    confirm = BooleanField("I confirm the statement above is true.", validators=[
        InputRequired("Please tick the box to confirm.")])

    def __init__(self, choices: dict[str, str] | None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if choices:
            self.detail.choices = [SelectChoice(code, label) for code, label in choices.items()]
            self.detail.validators = [InputRequired("Please choose the option that fits you.")]
        else:
            del self.detail


class ProofForm(FlaskForm):
    proof = FileField("A copy of your diploma or equivalency", validators=[
        FileRequired("Please choose the file to upload.")],
        description="PDF, PNG or JPEG, up to 2 MB. Only program staff see it.")


class StatementForm(FlaskForm):
    text = TextAreaField("Your statement", validators=[
        not_blank("Please write your statement before sending it."),
        Length(max=40000, message="Please keep your statement under 40,000 characters.")],
        render_kw={"rows": 18, "spellcheck": "true"})


class StatementReviewForm(FlaskForm):
    outcome = RadioField("Your decision", choices=[SelectChoice("accept", "Accept the statement"),
                                                   SelectChoice("return", "Return it with feedback")],
                         validators=[InputRequired("Please choose to accept or return the statement.")])
    feedback = TextAreaField("Feedback to the author", validators=[Optional(), Length(max=4000)],
                             description="Needed when you return it: what to add or change. Kind and specific.",
                             render_kw={"rows": 4})


class ExamResultForm(FlaskForm):
    taken_on = BoundedDateField("Date taken", validators=[InputRequired("Please enter the date, like 2026-11-20.")])
    passed = RadioField("Result", choices=[SelectChoice("pass", "Passed"), SelectChoice("fail", "Not passed")],
                        validators=[InputRequired("Please choose passed or not passed.")])
    score = FiniteDecimalField("Score (optional)", places=2, validators=[Optional()],
                               description="As printed on the result, if there is one.",
                               render_kw={"inputmode": "decimal", "class": "input-short"})
    evidence = FileField("Evidence (optional)", description="The score report: PDF, PNG or JPEG, up to 2 MB.")
    reason = TextAreaField("Why this corrects the earlier result", validators=[Optional(), Length(max=2000)],
                           render_kw={"rows": 2})


class QualificationForm(FlaskForm):
    credential = StringField("Credential", validators=[NAME],
                             description="For example: Certified Peer Recovery Specialist, or LCSW.")
    license = StringField("License or certificate number and state (optional)", validators=[Optional(), NAME],
                          description="For example: LCSW 12345, Pennsylvania.")
    years_in_role = BoundedIntegerField("Years in a supervisory role", validators=[
        InputRequired("Please give the years, 0 or more."),
        NumberRange(min=0, max=60, message="Please enter from 0 to 60 years.")],
        render_kw={"inputmode": "numeric", "class": "input-short"})
