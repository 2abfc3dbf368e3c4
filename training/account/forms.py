"""Forms for a person's own account."""
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired

from training.forms import display_name_field, legal_name_field, new_password_fields


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    legal_name = legal_name_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[
        InputRequired("Please enter your current password.")],
        render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()
