"""Issue 12, "people can't set their own time zone or language": on a phone, a person opens
My profile from the account menu, picks a time zone by typing, and sees a session's times in
it."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from peertrain.accounts.models import User

from ..factories import TEST_PASSWORD, TrainingSessionFactory, UserFactory
from .conftest import PHONE, sign_in

pytestmark = pytest.mark.e2e


def test_a_person_changes_their_time_zone_on_a_phone_and_session_times_follow(
    transactional_db, phone_page, live_server
):
    page = phone_page
    person = UserFactory(email="tz@example.com", display_name="Tomo Sato")
    session = TrainingSessionFactory(
        title="SQL window functions", starts_at=datetime(2031, 1, 15, 12, 0, tzinfo=UTC)
    )
    detail = f"{live_server.url}/sessions/{session.pk}/"
    sign_in(page, live_server, person.email, TEST_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(detail)
    expect(page.get_by_text("Wednesday 15 January 2031, 12:00")).to_be_visible()

    page.get_by_role("button", name="Show navigation").click()
    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="My profile").click()
    expect(page).to_have_url(f"{live_server.url}/account/profile/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Europe/London")
    zone.fill("Asia/Tokyo")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert User.objects.get(pk=person.pk).time_zone == "Asia/Tokyo"

    page.goto(detail)
    expect(page.get_by_text("Wednesday 15 January 2031, 21:00")).to_be_visible()
    expect(page.get_by_text("(your time, JST)")).to_be_visible()


def test_a_time_zone_nobody_knows_is_refused_beside_the_field(
    transactional_db, phone_page, live_server
):
    page = phone_page
    person = UserFactory(email="typo@example.com")
    sign_in(page, live_server, person.email, TEST_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/account/profile/")

    page.get_by_label("Time zone").fill("Europe/Londn")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("Nothing was saved")
    expect(page.locator("#error_1_id_time_zone")).to_contain_text("not a time zone we know")
    assert User.objects.get(pk=person.pk).time_zone == "Europe/London"
