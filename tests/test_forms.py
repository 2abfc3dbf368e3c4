"""The one form macro and the shared fields: valid markup, an error summary that takes focus
and leads to each field, and required lists that open on an empty choice."""
import importlib
import pkgutil
import re

from flask import render_template_string
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

import training
from training.extensions import db
from training.forms import CHOOSE_LABEL, RequiredSelectField
from training.models import Role, SupervisorAssignment
from training.staff.cohorts import create_cohort, enrol_trainee


class ExampleForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Your name.", validators=[InputRequired("Please enter your name.")])
    colour = RadioField("Colour", choices=[SelectChoice("red", "Red"), SelectChoice("blue", "Blue")],
                        validators=[InputRequired("Please choose a colour.")])
    size = RequiredSelectField("Size", "Please choose a size.", coerce=int,
                               choices=[SelectChoice(1, "Small"), SelectChoice(2, "Large")])


def render_form(form, **options):
    return render_template_string('{% from "_forms.html" import render_form %}{{ render_form(form, **options) }}',
                                  form=form, options=options)


def test_a_form_sent_to_its_own_page_has_no_empty_action(app):
    with app.test_request_context("/"):
        assert "action=" not in render_form(ExampleForm(formdata=None))
        assert '<form method="post" action="/elsewhere"' in render_form(ExampleForm(formdata=None), action="/elsewhere")


def test_after_a_failed_submit_the_error_summary_takes_focus_and_links_to_each_field(app):
    with app.test_request_context("/", method="POST", data={"name": "", "size": ""}):
        form = ExampleForm()
        assert not form.validate()
        page = render_form(form)
    summary = re.search(r'<div class="error-summary"([^>]*)>(.*?)</div>', page, re.S)
    assert 'tabindex="-1"' in summary.group(1) and "autofocus" in summary.group(1)  # focus moves here, no script
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(2))
    assert links == [("name", "Your name: Please enter your name."),
                     ("colour-0", "Colour: Please choose a colour."),  # a group: its first radio button
                     ("size", "Size: Please choose a size.")]
    for target, _ in links:
        assert f'id="{target}"' in page
    # The group's own message is inside its fieldset and described by it.
    group = re.search(r'<fieldset class="field field-choices has-error" id="colour"\s+aria-describedby="colour-error">'
                      r'(.*?)</fieldset>', page, re.S)
    assert group and 'id="colour-error"' in group.group(1)

    with app.test_request_context("/", method="POST", data={"name": "Ana", "colour": "red", "size": "2"}):
        form = ExampleForm()
        assert form.validate() and form.size.data == 2
        assert "error-summary" not in render_form(form)


def test_a_required_list_opens_on_an_empty_choice_that_is_refused_kindly(app):
    with app.test_request_context("/"):
        html = render_form(ExampleForm(formdata=None))
    select_tag = re.search(r'<select[^>]*id="size"[^>]*>(.*?)</select>', html, re.S)
    assert "required" in select_tag.group(0)
    first = re.search(r"<option([^>]*)>([^<]*)</option>", select_tag.group(1))
    assert 'value=""' in first.group(1) and "selected" in first.group(1) and first.group(2) == CHOOSE_LABEL

    for sent, message in (("", "Please choose a size."), ("7", "Please choose one of the options in the list."),
                          ("large", "Please choose one of the options in the list.")):
        with app.test_request_context("/", method="POST", data={"name": "Ana", "colour": "red", "size": sent}):
            form = ExampleForm()
            assert not form.validate() and form.size.errors == [message], sent


def test_every_required_list_in_the_app_opens_on_an_empty_choice():
    """Found by looking at every form class, so a new one cannot forget."""
    required, plain = [], []
    for module_info in pkgutil.walk_packages(training.__path__, "training."):
        if not module_info.name.rsplit(".", 1)[-1].endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, FlaskForm) and form.__module__ == module.__name__):
                continue
            for name, field in vars(form).items():
                if not (isinstance(field, UnboundField) and issubclass(field.field_class, SelectField)) \
                        or issubclass(field.field_class, RadioField):  # radio buttons are a SelectField too
                    continue
                validators = field.kwargs.get("validators") or []
                if issubclass(field.field_class, RequiredSelectField):
                    required.append(f"{form.__name__}.{name}")
                elif any(isinstance(v, (InputRequired, DataRequired)) for v in validators):
                    plain.append(f"{form.__name__}.{name}")
    assert "HoursForm.activity" in required and "ScheduleForm.facilitator" in required
    assert plain == []


def test_staff_who_leave_a_list_on_choose_are_asked_kindly_and_nothing_is_saved(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee = make_user(Role.TRAINEE)
    make_user(Role.SUPERVISOR)
    cohort = create_cohort("Spring")
    enrol_trainee(cohort, trainee)
    db.session.commit()
    page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    assert re.search(r'<select id="assign-supervisor_id" name="assign-supervisor_id" required>\s*'
                     r'<option selected value="">', page)
    response = client.post(f"/staff/cohorts/{cohort.id}", {"assign-trainee_id": trainee.id,
                                                           "assign-supervisor_id": ""})
    answer = response.get_data(as_text=True)
    assert response.status_code == 400 and "Please choose a supervisor." in answer
    assert "Invalid Choice" not in answer and "Not a valid choice" not in answer
    assert db.session.scalar(select(func.count(SupervisorAssignment.id))) == 0
