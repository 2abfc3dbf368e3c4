"""Forms for staff editing content in the browser."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from training.forms import not_blank
from training.localization import lazy_gettext as _l


def unix_newlines(text):
    """Browsers send textarea text with CRLF line breaks; the files use LF, so a round
    trip through the editor does not turn every line of the file into a change."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class LessonEditForm(FlaskForm):
    source = TextAreaField(_l("Lesson text (Markdown with its header)"), filters=[unix_newlines], validators=[
        not_blank(_l("The lesson cannot be empty.")),
        Length(max=200_000, message=_l("A lesson can be at most 200,000 characters; please split it."))],
        description=_l("The header between the --- lines holds the title, an optional content_note and "
                       "the activities with their minutes; the lesson's time is computed from its words. "
                       "courses/README.md describes the format."),
        render_kw={"rows": 28, "spellcheck": "true"})
    note = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=300)],
                       description=_l("Shown in the history, for example “fixed the 988 link”."))
    base_version_id = HiddenField()


class NewItemForm(FlaskForm):
    slug = StringField(_l("Short name for the address"), validators=[
        not_blank(_l("Please give a short name, like gifts-and-money.")), Length(max=60)],
        description=_l("Lower-case letters, digits and hyphens. It becomes the file name and the web address."))
    title = StringField(_l("Title"), validators=[not_blank(_l("Please give a title.")), Length(max=200)])


class NewModuleForm(NewItemForm):
    summary = StringField(_l("One-sentence summary"), validators=[Optional(), Length(max=500)])


class NewCourseForm(NewModuleForm):
    pass
