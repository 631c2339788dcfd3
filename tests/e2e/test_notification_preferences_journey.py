"""An employee finds their notification choices in the account menu, switches feedback
requests off, and sees the choice kept; messages that are always sent have no switch."""

import pytest
from playwright.sync_api import expect

from peertrain.accounts.models import User
from peertrain.notifications.models import NotificationPreference

from .conftest import signed_in

pytestmark = pytest.mark.e2e


def test_switching_feedback_requests_off_from_the_account_menu(page, live_server, demo):
    signed_in(page, live_server, "employee@example.com")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Notifications").click()
    expect(page).to_have_url(f"{live_server.url}/account/notifications/")
    switch = page.get_by_label("Feedback requests after a session by email")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    expect(page.get_by_label("Feedback requests after a session by email")).not_to_be_checked()
    expect(page.get_by_label("Reminder the day before a session by email")).to_be_checked()
    always = page.get_by_test_id("always-sent")
    expect(always).to_contain_text("A seat was given to you from the waitlist")
    expect(always.get_by_role("checkbox")).to_have_count(0)
    employee = User.objects.get(email="employee@example.com")
    assert list(
        NotificationPreference.objects.filter(user=employee).values_list("kind", "enabled")
    ) == [("training.feedback.requested", False)]
