"""Form fields and validators shared by several features."""
from flask_login import current_user
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from training.auth.passwords import MIN_PASSWORD_LENGTH, guessable
from training.localization import lazy_gettext as _l


def not_blank(message):
    """Like InputRequired, but also rejects text that is only spaces."""
    def check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(message)
    return check


CHOOSE_LABEL = _l("Choose…")
NOT_IN_LIST = _l("Please choose one of the options in the list.")


class RequiredSelectField(SelectField):
    """A drop-down list the person must answer. It opens on an empty "Choose…" option, so
    nothing is chosen by accident (and the page is valid HTML, which asks a required select for
    an empty first option), and `message` refuses that option kindly. `coerce` converts the
    real choices; the empty one becomes None."""

    def __init__(self, label, message, coerce=str, **kwargs):
        kwargs.setdefault("invalid_choice_message", NOT_IN_LIST)
        kwargs.setdefault("invalid_value_message", NOT_IN_LIST)
        super().__init__(label, validators=[InputRequired(message)], coerce=_blank_is_none(coerce), **kwargs)

    @property
    def choices(self):
        choices = SelectField.choices.fget(self)
        return None if choices is None else [SelectChoice("", CHOOSE_LABEL), *choices]

    @choices.setter
    def choices(self, value):
        SelectField.choices.fset(self, value)


def _blank_is_none(coerce):
    def convert(value):
        return None if value in ("", None) else coerce(value)
    return convert


def email_field(label=_l("Email address")):
    return EmailField(label, validators=[
        InputRequired(_l("Please enter an email address.")),
        Email(_l("Please enter an email address like name@example.org."), check_deliverability=False),
        Length(max=254, message=_l("An email address can be at most 254 characters.")),
    ], filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "spellcheck": "false"})


def display_name_field():
    return StringField(_l("Name to show on the platform"), validators=[
        not_blank(_l("Please enter the name you would like us to use.")),
        Length(max=120, message=_l("Please keep this to 120 characters or fewer.")),
    ], description=_l("The name people will see. It can be a first name or a nickname."),
        render_kw={"autocomplete": "nickname"})


def legal_name_field():
    return StringField(_l("Legal name"), validators=[
        Length(max=200, message=_l("Please keep this to 200 characters or fewer.")),
    ], description=_l("Used only on certificates, which many boards require to match your ID. "
                      "You can add it later."), render_kw={"autocomplete": "name"})


class NotGuessable:
    """Refuses one of the most used passwords, and one holding the person's email name or
    names: from the form's own email and name fields, the `person` a view sets on the form
    (a reset or invitation link's account), or whoever is signed in."""

    MESSAGES = {
        "common": _l("That password is one of the most used ones, so it is easy to guess. Please choose "
                     "another: a short sentence of your own works well."),
        "personal": _l("Please choose a password that does not contain your name or email address."),
    }

    def __call__(self, form, field):
        person = getattr(form, "person", None)
        if person is None and current_user and current_user.is_authenticated:
            person = current_user
        personal = [getattr(form, name).data for name in ("email", "display_name", "legal_name")
                    if hasattr(form, name) and isinstance(getattr(form, name).data, str)]
        if person is not None:
            personal += [person.email, person.display_name, person.legal_name]
        reason = guessable(field.data or "", personal)
        if reason:
            raise ValidationError(str(self.MESSAGES[reason]))


def new_password_fields(label=_l("New password")):
    """A password and its confirmation, as a pair of fields."""
    password = PasswordField(label, validators=[
        InputRequired(_l("Please choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Please use at least %(min)d characters. A short sentence you will remember works well.",
                          min=MIN_PASSWORD_LENGTH)),
        NotGuessable(),
    ], description=_l("At least %(min)d characters. A short sentence works well.", min=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Type the password again"), validators=[
        InputRequired(_l("Please type the password a second time.")),
        EqualTo("password", message=_l("The two passwords are different. Please type them again.")),
    ], render_kw={"autocomplete": "new-password"})
    return password, confirm

