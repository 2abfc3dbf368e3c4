"""Forms for signing the code of ethics, eligibility attestations and the statement of lived
experience, continuing education, exam results, supervisors' qualifications and staff
certificate actions."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from training.certification.facts import ce_topics
from training.forms import RequiredSelectField, not_blank
from training.inputs import BoundedDateField, BoundedIntegerField, FiniteDecimalField
from training.localization import lazy_gettext as _l

NAME = Length(max=200, message=_l("Please keep this under 200 characters."))


class SignForm(FlaskForm):
    legal_name = StringField(_l("Your full legal name"), validators=[
        not_blank(_l("Please type your full legal name to sign.")), NAME],
        description=_l("As it appears on your ID. Your certificate is issued in this name."),
        render_kw={"autocomplete": "name"})
    confirm = BooleanField(_l("I have read this code of ethics and I agree to practice by it."), validators=[
        InputRequired(_l("Please tick the box to confirm you have read and agree to the code."))])


class ContinuingEducationForm(FlaskForm):
    topic = RequiredSelectField(_l("Topic"), _l("Please choose the topic."))
    title = StringField(_l("Course or event"), validators=[
        not_blank(_l("Please name the course or event, such as “Ethics refresher for peer specialists”.")), NAME])
    provider = StringField(_l("Provider"), validators=[
        not_blank(_l("Please name who provided it, such as the organization that ran the training.")), NAME])
    completed_on = BoundedDateField(_l("Date completed"), validators=[
        InputRequired(_l("Please enter the date, like 2026-11-20."))])
    hours = FiniteDecimalField(_l("Hours"), places=2, validators=[
        InputRequired(_l("Please enter the hours, such as 1.5 for an hour and a half.")),
        NumberRange(min=0.25, max=40, message=_l("Please enter between 0.25 and 40 hours for one record."))],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    proof = FileField(_l("Proof (optional)"),
                      description=_l("A certificate of attendance: PDF, PNG or JPEG, up to 2 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [SelectChoice(code, label) for code, label in ce_topics().items()]


class ExternalTrainingForm(FlaskForm):
    domain = RequiredSelectField(_l("Training domain"), _l("Please choose the domain."))
    title = StringField(_l("Training"), validators=[not_blank(_l("Please name the training.")), NAME])
    provider = StringField(_l("Provider"), validators=[not_blank(_l("Please name the provider.")), NAME])
    completed_on = BoundedDateField(_l("Date completed"), validators=[
        InputRequired(_l("Please enter the date, like 2026-11-20."))])
    hours = FiniteDecimalField(_l("Contact hours"), places=2, validators=[
        InputRequired(_l("Please enter the contact hours.")),
        NumberRange(min=0.25, max=200, message=_l("Please enter between 0.25 and 200 hours."))],
        render_kw={"inputmode": "decimal", "class": "input-short"})
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)],
                         description=_l("How it was approved, such as the certificate you saw."), render_kw={"rows": 2})

    def __init__(self, domains, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = [SelectChoice(code, title) for code, title in domains]


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[
        not_blank(_l("Please give the reason.")),
        Length(max=2000, message=_l("Please keep it under 2,000 characters."))],
        render_kw={"rows": 3})


def _revoking(description, what) -> tuple[TextAreaField, BooleanField]:
    """The reason for revoking (shown where `description` says) and the box that confirms it."""
    reason = TextAreaField(_l("Reason for revoking"), validators=[
        not_blank(_l("Please give the reason for revoking.")),
        Length(max=2000, message=_l("Please keep it under 2,000 characters."))],
        description=description, render_kw={"rows": 3})
    confirm = BooleanField(_l("I understand that revoking takes effect at once and cannot be undone."), validators=[
        InputRequired(what)])
    return reason, confirm


class RevokeForm(FlaskForm):
    reason, confirm = _revoking(
        _l("Shown on the public verification page and sent to the holder. Plain and factual, such as “Issued in "
           "error: the practice hours were counted twice.”"),
        _l("Please tick the box to confirm that you want to revoke this certificate."))


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("What the corrected certificate corrects"), validators=[
        not_blank(_l("Please say what the corrected certificate corrects.")),
        Length(max=2000, message=_l("Please keep it under 2,000 characters."))],
        description=_l("Kept in the record of both certificates, such as “The legal name was misspelled.”"),
        render_kw={"rows": 3})


class CodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form on a public page

    code = StringField(_l("Verification code"), validators=[Optional(), Length(max=200)],
                       description=_l("The code printed under the QR code, or the whole verification link."),
                       render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"})


class AttestForm(FlaskForm):
    """Confirming an eligibility wording; `choices` (education, jurisdiction) say which applies."""
    detail = RadioField(_l("Which applies to you"), validators=[Optional()])
    proof = FileField(_l("A copy of your diploma or equivalency (optional)"),
                      description=_l("PDF, PNG or JPEG, up to 2 MB. Only program staff see it."))
    confirm = BooleanField(_l("I confirm the statement above is true."), validators=[
        InputRequired(_l("Please tick the box to confirm."))])

    def __init__(self, choices: dict[str, str] | None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if choices:
            self.detail.choices = [SelectChoice(code, label) for code, label in choices.items()]
            self.detail.validators = [InputRequired(_l("Please choose the option that fits you."))]
        else:
            del self.detail


class ProofForm(FlaskForm):
    proof = FileField(_l("A copy of your diploma or equivalency"), validators=[
        FileRequired(_l("Please choose the file to upload."))],
        description=_l("PDF, PNG or JPEG, up to 2 MB. Only program staff see it."))


class StatementForm(FlaskForm):
    text = TextAreaField(_l("Your statement"), validators=[
        not_blank(_l("Please write your statement before sending it.")),
        Length(max=40000, message=_l("Please keep your statement under 40,000 characters."))],
        render_kw={"rows": 18, "spellcheck": "true"})


class StatementReviewForm(FlaskForm):
    outcome = RadioField(_l("Your decision"), choices=[SelectChoice("accept", _l("Accept the statement")),
                                                       SelectChoice("return", _l("Return it with feedback"))],
                         validators=[InputRequired(_l("Please choose to accept or return the statement."))])
    feedback = TextAreaField(_l("Feedback to the author"), validators=[Optional(), Length(max=4000)],
                             description=_l("Needed when you return it: what to add or change. Kind and specific."),
                             render_kw={"rows": 4})


class ExamResultForm(FlaskForm):
    taken_on = BoundedDateField(_l("Date taken"), validators=[
        InputRequired(_l("Please enter the date, like 2026-11-20."))])
    passed = RadioField(_l("Result"), choices=[SelectChoice("pass", _l("Passed")),
                                               SelectChoice("fail", _l("Not passed"))],
                        validators=[InputRequired(_l("Please choose passed or not passed."))])
    score = FiniteDecimalField(_l("Score (optional)"), places=2, validators=[Optional()],
                               description=_l("As printed on the result, if there is one."),
                               render_kw={"inputmode": "decimal", "class": "input-short"})
    evidence = FileField(_l("Evidence (optional)"),
                         description=_l("The score report: PDF, PNG or JPEG, up to 2 MB."))
    reason = TextAreaField(_l("Why this corrects the earlier result"), validators=[Optional(), Length(max=2000)],
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


class RecordRevokeForm(FlaskForm):
    """Staff: revoke an issued learner record (one issued in error, or resting on a record since corrected)."""
    reason, confirm = _revoking(
        _l("Shown on the record's public page. Plain and factual, such as “Issued in error: a quiz result was "
           "later corrected.”"),
        _l("Please tick the box to confirm that you want to revoke this learner record."))
