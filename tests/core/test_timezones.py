"""One way to look a time zone up by name: a known zone, or None to refuse or fall back on."""

from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone

from peertrain.accounts.middleware import UserTimezoneMiddleware
from peertrain.accounts.models import User
from peertrain.core.timezones import zone_named


def test_a_known_zone_is_found():
    assert zone_named("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "", "../etc/passwd", "/Europe/London", "Europe", "America"]
)
def test_an_unknown_or_malformed_name_is_none(name):
    assert zone_named(name) is None


@pytest.mark.parametrize(
    ("stored", "shown"), [("Asia/Tokyo", "Asia/Tokyo"), ("Mars/Olympus_Mons", "default")]
)
@pytest.mark.django_db
def test_pages_show_times_in_my_zone_or_the_default_if_it_is_unknown(
    employee, settings, stored, shown
):
    User.objects.filter(pk=employee.pk).update(time_zone=stored)  # bypasses the validator
    employee.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = employee

    try:
        seen = UserTimezoneMiddleware(lambda _: timezone.get_current_timezone_name())(request)
    finally:
        timezone.deactivate()

    assert seen == (settings.TIME_ZONE if shown == "default" else shown)
