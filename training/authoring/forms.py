"""Forms for staff editing content in the browser."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from training.forms import not_blank


def unix_newlines(text):
    """Browsers send textarea text with CRLF line breaks; the files use LF, so a round
    trip through the editor does not turn every line of the file into a change."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class LessonEditForm(FlaskForm):
    source = TextAreaField("Lesson text (Markdown with its header)", filters=[unix_newlines], validators=[
        not_blank("The lesson cannot be empty."),
        Length(max=200_000, message="A lesson can be at most 200,000 characters; please split it.")],
        description="The header between the --- lines holds the title, an optional content_note and "
                    "the activities with their minutes; the lesson's time is computed from its words. "
                    "courses/README.md describes the format.",
        render_kw={"rows": 28, "spellcheck": "true"})
    note = StringField("What changed (optional)", validators=[Optional(), Length(max=300)],
                       description="Shown in the history, for example “fixed the 988 link”.")
    base_version_id = HiddenField()


class NewItemForm(FlaskForm):
    slug = StringField("Short name for the address", validators=[
        not_blank("Please give a short name, like gifts-and-money."), Length(max=60)],
        description="Lower-case letters, digits and hyphens. It becomes the file name and the web address.")
    title = StringField("Title", validators=[not_blank("Please give a title."), Length(max=200)])


class NewModuleForm(NewItemForm):
    summary = StringField("One-sentence summary", validators=[Optional(), Length(max=500)])


class NewCourseForm(NewModuleForm):
    pass
