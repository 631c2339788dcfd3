"""Every form field, walked: the rules for what people may type hold in every form and
admin form, including ones added later (the walk finds them, nobody lists them)."""

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from peertrain.core.limits import DateWindowValidator
from peertrain.core.text import validate_single_line, validate_text

from ..forms_inventory import FormField, all_form_fields, is_password

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "notifications", "audit", "programmes", "trainers", "training"}


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


# --- Limits match columns ------------------------------------------------------------------
# Plain forms (not model forms) and the model whose columns their fields are saved to, by
# the same name; None for forms whose fields go into no column. A new plain form must be
# listed here (the walk fails otherwise), so its limits are checked against its columns.
PLAIN_FORM_MODELS = {
    "sessions.forms_manage.SessionForm": "training.TrainingSession",
    "sessions.forms_manage.SessionProposeForm": "training.TrainingSession",
    "sessions.forms_manage.SessionEditForm": "training.TrainingSession",
    "sessions.forms_manage.CancelSessionForm": None,  # the reason goes into the emails
    "sessions.forms.SessionFilterForm": None,  # filters a list
    "sessions.forms_attendance.AttendanceMarkForm": "training.Attendance",
    "sessions.forms_attendance.CheckInForm": None,  # a code compared, never stored
    "programmes.forms.SkillRatingForm": "programmes.SkillAssessment",
    "programmes.forms.ProgrammeFilterForm": None,  # filters a list
    "programmes.forms.ProgrammeForm": "programmes.Programme",
    "programmes.forms_matrix.MatrixAssessForm": "programmes.SkillAssessment",
    "programmes.forms_matrix.TargetForm": "programmes.SkillTarget",
    "programmes.forms_matrix.GapFilterForm": None,  # filters a list
    "trainers.forms.TrainerAssessForm": "programmes.SkillAssessment",
    "trainers.forms.NominatePrefill": None,  # ids a link carries, looked up
    "trainers.forms.NominationForm": "trainers.Nomination",
    "trainers.forms.TrainerBioForm": "trainers.TrainerProfile",
    "trainers.forms.NominationDeclineForm": None,  # goes to decline_reason, below
    "peertrain.accounts.forms.LoginForm": None,  # allauth's sign-in
    "peertrain.notifications.forms.PreferencesForm": None,  # switches: a row per kind switched
    "peertrain.accounts.forms.ProfileForm": "accounts.User",
    "peertrain.accounts.forms.SkillPrivacyForm": "accounts.User",
}
# Fields saved to a column of another name or model.
PLAIN_FORM_COLUMNS = {
    ("sessions.forms_manage.SessionProposeForm", "repeat_until"): "training.TrainingSeries.until",
    (
        "sessions.forms_manage.SessionProposeForm",
        "repeat_every_weeks",
    ): "training.TrainingSeries.every_weeks",
    ("trainers.forms.NominationDeclineForm", "reason"): "trainers.Nomination.decline_reason",
}


def _column(label: str):
    app_label, model_name, field_name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def columns_of(entry: FormField):
    """The column a form field is saved to, if any."""
    if entry.model_field is not None:
        return entry.model_field
    if (entry.where, entry.name) in PLAIN_FORM_COLUMNS:
        return _column(PLAIN_FORM_COLUMNS[(entry.where, entry.name)])
    model_label = PLAIN_FORM_MODELS.get(entry.where)
    if model_label is None:
        return None
    try:
        return apps.get_model(model_label)._meta.get_field(entry.name)
    except FieldDoesNotExist:
        return None


def test_every_plain_form_says_which_model_it_feeds(form_fields):
    plain = {
        entry.where
        for entry in form_fields
        if not entry.where.startswith("admin:") and not hasattr(entry.form, "_meta")
    }

    assert plain - set(PLAIN_FORM_MODELS) == set()


def value_bounds(entry: FormField) -> tuple[int | None, int | None]:
    """The smallest and largest number the form lets through: its own limits and the
    model's declared validators (not the ones Django derives from the database in use,
    which on SQLite allow any 64-bit number)."""
    validators = list(entry.field.validators)
    if entry.model_field is not None:
        validators += entry.model_field._validators
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return (max(lows) if lows else None, min(highs) if highs else None)


def test_every_form_field_fits_its_column(form_fields):
    """A video link of 201 characters passed the form and failed in the database (a 500).
    Text must be no longer than its column; numbers must stay in the column's range."""
    problems = []
    for entry in form_fields:
        column = columns_of(entry)
        if column is None or column.choices or isinstance(entry.field, forms.ChoiceField):
            continue  # a choice is one of the listed values
        if getattr(column, "max_length", None) and isinstance(entry.field, forms.CharField):
            length = entry.field.max_length
            if length is None or length > column.max_length:
                problems.append(f"{entry}: max_length {length}, column {column.max_length}")
        if isinstance(column, models.IntegerField) and not column.is_relation:
            low, high = BaseDatabaseOperations.integer_field_ranges[column.get_internal_type()]
            form_low, form_high = value_bounds(entry)
            if form_low is None or form_low < low or form_high is None or form_high > high:
                problems.append(f"{entry}: takes {form_low}..{form_high}, column {low}..{high}")

    assert problems == [], "\n".join(problems)


# --- Nothing unbounded ---------------------------------------------------------------------
def _is_filter(entry: FormField) -> bool:
    return entry.where in PLAIN_FORM_MODELS and entry.where.endswith("FilterForm")


def _is_ours(entry: FormField) -> bool:
    """Fields of our own models, or of forms without a model (ours by the walk)."""
    if entry.model_field is None:
        return True
    return entry.model_field.model._meta.app_label in OUR_APPS


def test_every_text_field_has_a_maximum_length(form_fields):
    """A 100 KB programme goal was accepted. Every text input has a limit; columns of
    third-party models (sign-in provider tokens) keep their own."""
    unbounded = [
        str(entry)
        for entry in form_fields
        if isinstance(entry.field, forms.CharField)
        and not is_password(entry.field)
        and not isinstance(entry.field, forms.JSONField)
        and entry.field.max_length is None
        and _is_ours(entry)
    ]

    assert unbounded == [], "\n".join(unbounded)


def test_every_number_field_has_a_smallest_and_a_largest_value(form_fields):
    unbounded = []
    for entry in form_fields:
        if isinstance(entry.field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            low, high = value_bounds(entry)
            if low is None or high is None:
                unbounded.append(f"{entry}: {low}..{high}")

    assert unbounded == [], "\n".join(unbounded)


def test_every_date_field_keeps_to_a_window_of_years(form_fields):
    """Programme dates in years 1 and 9999 were accepted, and a session ending in 9999.
    Filters are left out: their dates are stored nowhere, and the list takes any date
    (test_session_filters.test_dates_at_the_ends_of_the_calendar_are_not_an_error)."""
    date_fields = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)
    unbounded = [
        str(entry)
        for entry in form_fields
        if isinstance(entry.field, date_fields)
        and not _is_filter(entry)
        and not any(isinstance(v, DateWindowValidator) for v in entry.validators)
    ]

    assert unbounded == [], "\n".join(unbounded)
