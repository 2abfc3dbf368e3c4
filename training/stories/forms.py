"""The story draft form: guided prompts before the story itself."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from training.forms import not_blank
from training.localization import lazy_gettext as _l

LONG = Length(max=20_000, message=_l("Please keep this part under 20,000 characters."))


class DraftForm(FlaskForm):
    title = StringField(_l("A name for this draft"), validators=[
        not_blank(_l("Please give the draft a name only you will see, such as “Five-minute version for groups”.")),
        Length(max=200, message=_l("Please keep the name under 200 characters."))])
    purpose = TextAreaField(_l("Purpose: why would you share this part?"), validators=[Optional(), LONG],
                            description=_l("What do you hope it does for the person: hope, a new idea, feeling less "
                                           "alone?"),
                            render_kw={"rows": 3})
    audience = TextAreaField(_l("Who it serves"), validators=[Optional(), LONG],
                             description=_l("One person, a group, a public audience? What do they need right now?"),
                             render_kw={"rows": 3})
    leave_out = TextAreaField(_l("What you will leave out"), validators=[Optional(), LONG],
                              description=_l("Details that are private, other people's stories, anything graphic or "
                                             "that you are not ready to share. This is a note for you."),
                              render_kw={"rows": 3})
    body = TextAreaField(_l("Your story, or an ask-share-ask practice"), validators=[Optional(), LONG],
                         description=_l("Ask what the person needs, share briefly, then ask how it lands with them."),
                         render_kw={"rows": 12})


class FeedbackForm(FlaskForm):
    body = TextAreaField(_l("Your feedback"), validators=[
        not_blank(_l("Please write your feedback.")),
        Length(max=10_000, message=_l("Please keep it under 10,000 characters."))],
        render_kw={"rows": 5})
