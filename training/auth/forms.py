"""Sign-in, password reset, invitation and registration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired

from training.forms import display_name_field, email_field, legal_name_field, new_password_fields
from training.localization import lazy_gettext as _l


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Please enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"),
                            description=_l("Leave this unticked on a shared or public computer."))


class ResetRequestForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInviteForm(FlaskForm):
    display_name = display_name_field()
    legal_name = legal_name_field()
    password, confirm = new_password_fields(_l("Choose a password"))


class RegisterForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    legal_name = legal_name_field()
    password, confirm = new_password_fields(_l("Choose a password"))
