"""Every form field, walked: the rules for what people may type hold in every form and
admin form, including ones added later (the walk finds them, nobody lists them)."""

import pytest
from django import forms

from peertrain.core.text import validate_single_line, validate_text

from ..forms_inventory import all_form_fields, is_password

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def form_fields(django_db_blocker):
    with django_db_blocker.unblock():
        return all_form_fields()


def test_the_walk_finds_the_app_forms_and_the_admin_forms(form_fields):
    where = {field.where for field in form_fields}

    assert "sessions.forms_manage.SessionProposeForm" in where
    assert "programmes.forms.ProgrammeForm" in where
    assert "admin:accounts.User:change" in where
    assert "admin:trainers.TrainerProfile:change:trainers.Certification" in where


def test_every_text_field_refuses_control_characters(form_fields):
    """One line: no line breaks, tabs or control characters (a title with "\\r\\nBcc:" broke
    every email about its session). Several lines: line breaks and tabs only. Passwords are
    secrets and never shown or sent, so anything goes."""
    missing = []
    for entry in form_fields:
        if not isinstance(entry.field, forms.CharField) or is_password(entry.field):
            continue
        if isinstance(entry.field, forms.JSONField):  # the JSON parser refuses raw ones
            continue
        multi_line = isinstance(entry.field.widget, forms.Textarea)
        expected = validate_text if multi_line else validate_single_line
        if expected not in entry.validators:
            missing.append(f"{entry} needs {type(expected).__name__}")

    assert missing == [], "\n".join(missing)
