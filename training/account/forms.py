"""Forms for a person's own account."""
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import InputRequired, ValidationError

from training.forms import display_name_field, legal_name_field, new_password_fields
from training.localization import is_time_zone, lazy_gettext as _l, time_zone_choices


def known_time_zone(form, field):
    if field.data and not is_time_zone(field.data):
        raise ValidationError(_("Please choose a time zone from the list, such as America/Chicago."))


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    legal_name = legal_name_field()
    time_zone = SelectField(_l("Time zone"), validate_choice=False, validators=[known_time_zone],
                            description=_l("Times on the platform and in emails are shown in this zone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()
