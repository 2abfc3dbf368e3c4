"""Form fields and validators shared by several features."""
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from training.auth.passwords import MIN_PASSWORD_LENGTH


def not_blank(message):
    """Like InputRequired, but also rejects text that is only spaces."""
    def check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(message)
    return check


def email_field(label="Email address"):
    return EmailField(label, validators=[
        InputRequired("Please enter an email address."),
        Email("Please enter an email address like name@example.org.", check_deliverability=False),
        Length(max=254, message="An email address can be at most 254 characters."),
    ], filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "spellcheck": "false"})


def display_name_field():
    return StringField("Name to show on the platform", validators=[
        not_blank("Please enter the name you would like us to use."),
        Length(max=120, message="Please keep this to 120 characters or fewer."),
    ], description="The name people will see. It can be a first name or a nickname.",
        render_kw={"autocomplete": "nickname"})


def legal_name_field():
    return StringField("Legal name", validators=[
        Length(max=200, message="Please keep this to 200 characters or fewer."),
    ], description="Used only on certificates, which many boards require to match your ID. "
                   "You can add it later.", render_kw={"autocomplete": "name"})


def new_password_fields(label="New password"):
    """A password and its confirmation, as a pair of fields."""
    password = PasswordField(label, validators=[
        InputRequired("Please choose a password."),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=f"Please use at least {MIN_PASSWORD_LENGTH} characters. "
                       "A short sentence you will remember works well."),
    ], description=f"At least {MIN_PASSWORD_LENGTH} characters. A short sentence works well.",
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Type the password again", validators=[
        InputRequired("Please type the password a second time."),
        EqualTo("password", message="The two passwords are different. Please type them again."),
    ], render_kw={"autocomplete": "new-password"})
    return password, confirm

