"""Forms for staff working on quizzes: questions, GIFT import and accommodations."""
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from training.authoring.forms import unix_newlines
from training.forms import email_field, not_blank
from training.inputs import BoundedIntegerField
from training.localization import lazy_gettext as _l

GIFT_LIMIT = 1_000_000


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("The question, written as in quiz.yml"), filters=[unix_newlines], validators=[
        not_blank(_l("The question cannot be empty; start with 'id:' and 'type:'.")),
        Length(max=50_000, message=_l("A question can be at most 50,000 characters."))],
        description=_l("The same fields as one question in quiz.yml (courses/README.md lists them for each type), "
                       "without the leading “- ”."),
        render_kw={"rows": 24, "spellcheck": "true", "class": "code-input"})


class GiftImportForm(FlaskForm):
    gift_file = FileField(_l("A GIFT file (.gift or .txt)"),
                          description=_l("Exported from Moodle, or written by hand."))
    gift_text = TextAreaField(_l("Or paste GIFT text"), filters=[unix_newlines], validators=[
        Optional(), Length(max=GIFT_LIMIT, message=_l("Please import at most 1 MB at once."))],
        render_kw={"rows": 14, "class": "code-input"})

    def gift_source(self) -> str | None:
        """The GIFT text from the upload or the text box; records a field error if neither
        is usable."""
        upload = self.gift_file.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read(GIFT_LIMIT + 1)
            if len(raw) > GIFT_LIMIT:
                self.gift_file.errors.append(_("Please import at most 1 MB at once."))
                return None
            try:
                return unix_newlines(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                self.gift_file.errors.append(_("This file is not UTF-8 text. In Moodle, export GIFT as UTF-8, "
                                               "or open the file and save it as UTF-8."))
                return None
        if self.gift_text.data and self.gift_text.data.strip():
            return self.gift_text.data
        self.gift_text.errors.append(_("Choose a GIFT file or paste GIFT text."))
        return None


class AccommodationForm(FlaskForm):
    email = email_field(_l("Trainee’s email address"))
    extra_attempts = BoundedIntegerField(_l("Extra attempts"), default=0, validators=[
        NumberRange(min=0, max=20, message=_l("Give a whole number from 0 to 20."))])
    extra_minutes = BoundedIntegerField(_l("Extra minutes (only used when the quiz has a time limit)"), default=0,
                                        validators=[NumberRange(min=0, max=600, message=_l(
                                            "Give a whole number of minutes from 0 to 600."))])
    waive_cooldown = BooleanField(_l("No break needed between attempts"))
    reason = TextAreaField(_l("Reason"), validators=[
        not_blank(_l("Please record the reason, for example the agreed adjustment.")),
        Length(max=2000, message=_l("Please keep the reason under 2,000 characters."))],
        description=_l("Kept on record with your name. The trainee does not see it."), render_kw={"rows": 3})

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.extra_attempts.data or self.extra_minutes.data or self.waive_cooldown.data):
            self.form_errors.append(_("Choose at least one adjustment: extra attempts, extra minutes or no break."))
            return False
        return True
