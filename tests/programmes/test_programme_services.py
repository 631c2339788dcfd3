"""programme_save refuses what the model refuses, as one ProgrammeError naming the input."""

from datetime import date

import pytest

from peertrain.core.errors import DomainError
from programmes.errors import ProgrammeError
from programmes.models import Programme
from programmes.services import programme_save

pytestmark = pytest.mark.django_db


def save(ld_staff, **fields):
    fields = {
        "title": "Onboarding",
        "goals": "Find your way around.",
        "owner": ld_staff,
        "starts_on": date(2027, 1, 1),
    } | fields
    return programme_save(by=ld_staff, skills=[], audience_teams=[], **fields)


def test_a_bad_input_is_refused_beside_its_field(ld_staff):
    with pytest.raises(ProgrammeError) as refused:
        save(ld_staff, title="x" * 201)

    assert isinstance(refused.value, DomainError)
    assert refused.value.field == "title"
    assert refused.value.status_code == 400
    assert "at most 200 characters" in refused.value.message
    assert not Programme.objects.exists()


def test_an_end_before_the_start_is_refused_beside_the_end(ld_staff):
    with pytest.raises(ProgrammeError) as refused:
        save(ld_staff, ends_on=date(2026, 12, 1))

    assert refused.value.field == "ends_on"
    assert refused.value.message == "The end date can't be before the start date."
    assert not Programme.objects.exists()


def test_several_bad_inputs_are_all_named(ld_staff):
    with pytest.raises(ProgrammeError) as refused:
        save(ld_staff, title="", status="nonsense")

    assert refused.value.field is None
    assert "This field cannot be blank." in refused.value.message
    assert "is not a valid choice" in refused.value.message
