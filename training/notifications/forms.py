"""The one setting people have for notifications: whether, and how often, to email them."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from training.localization import lazy_gettext as _l
from training.models import EmailPreference


def _value(choice) -> str:
    """The stored choice (an EmailPreference) as the value the radio buttons carry."""
    return choice.value if isinstance(choice, EmailPreference) else str(choice)


class EmailPreferenceForm(FlaskForm):
    notification_email = RadioField(_l("Email me about notifications"), coerce=_value, choices=[
        SelectChoice(EmailPreference.EACH.value, _l("Each one, as it happens")),
        SelectChoice(EmailPreference.DIGEST.value, _l("Once a day, one email listing what is new")),
        SelectChoice(EmailPreference.OFF.value, _l("Never: I will look under Notifications here")),
    ], validators=[InputRequired(_l("Please choose how often we email you."))],
        description=_l("Everything is always listed under Notifications. Emails say what happened and link to it; "
                       "they never include story drafts, statements or feedback."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="notifications", **kwargs)
