from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from training.forms import not_blank
from training.localization import lazy_gettext as _l


class ErasureForm(FlaskForm):
    """Staff confirm an erasure by typing the person's email address, and say which request it answers."""
    confirm_email = StringField(_l("Type their email address to confirm"), validators=[
        not_blank(_l("Please type the person's email address, so the erasure cannot happen by mistake.")),
        Length(max=254, message=_l("That is longer than any email address; please check it."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    reference = StringField(_l("Their request"), validators=[
        not_blank(_l("Please say which request this answers, such as the date and how it came.")),
        Length(max=200, message=_l("Please keep it under 200 characters."))],
        description=_l("For the audit log, such as “Email of December 3, 2026, ticket 418”. Names and "
                       "numbers only: the log keeps it for good."))
