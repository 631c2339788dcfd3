"""Issue 12, "booking states are unclear", in a real browser on the demo data: the list
marks my sessions, cancelling asks first (in place with htmx, on a page of its own without
JavaScript) and says what became of the seat, and a cancelled session stays in My sessions
and says so on its page."""

import pytest
from playwright.sync_api import Browser, expect

from peertrain.accounts.models import User
from sessions.models import Booking, TrainingSession
from sessions.services.sessions import training_session_cancel

from .conftest import DESKTOP, TIMEOUT_MS, signed_in

pytestmark = pytest.mark.e2e


def test_employee_cancels_after_confirming_and_finds_a_cancelled_session(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")
    page.get_by_test_id("main-nav").get_by_role("link", name="Sessions").click()
    cards = page.get_by_test_id("session-results").locator("li")
    python = cards.filter(has_text="Python for spreadsheet people")
    presenting = cards.filter(has_text="Presenting with confidence")
    expect(python.get_by_test_id("booking-state-badge")).to_have_text("Booked")
    expect(presenting.get_by_test_id("booking-state-badge")).to_have_text("Waitlist #2")
    expect(
        cards.filter(has_text="Code review clinic").get_by_test_id("booking-state-badge")
    ).to_have_count(0)

    python.get_by_role("link", name="Python for spreadsheet people").click()
    page.get_by_role("link", name="Cancel my booking…").click()
    confirmation = page.get_by_test_id("cancel-confirmation")
    expect(confirmation).to_contain_text("Cancel your booking?")
    keep = confirmation.get_by_role("link", name="Keep my booking")
    expect(keep).to_be_focused()  # a second Enter keeps the booking
    keep.click()
    expect(page.get_by_test_id("booking-state-text")).to_have_text("You're booked.")
    assert Booking.objects.filter(
        user__email="employee@example.com",
        session__title="Python for spreadsheet people",
        status="confirmed",
    ).exists()

    page.get_by_role("link", name="Cancel my booking…").click()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_test_id("booking-done")).to_have_text(
        "Your booking on “Python for spreadsheet people” is cancelled."
    )
    expect(page.get_by_test_id("booking-state-badge")).to_have_text("You cancelled")
    expect(page.get_by_test_id("book-button")).to_be_visible()

    session = TrainingSession.objects.get(title="Presenting with confidence")
    training_session_cancel(session=session, by=session.lead_trainer, reason="Room flooded.")
    page.get_by_test_id("main-nav").get_by_role("link", name="Sessions").click()
    page.get_by_role("link", name="My sessions").click()
    cancelled = page.get_by_test_id("cancelled-bookings").locator("li")
    expect(
        cancelled.filter(has_text="Presenting with confidence").get_by_test_id(
            "booking-state-badge"
        )
    ).to_have_text("Session cancelled")
    expect(
        cancelled.filter(has_text="Python for spreadsheet people").get_by_test_id(
            "booking-state-badge"
        )
    ).to_have_text("You cancelled")
    expect(page.get_by_test_id("upcoming-bookings")).to_have_count(0)

    cancelled.get_by_role("link", name="Presenting with confidence").click()
    expect(page.get_by_test_id("session-cancelled")).to_contain_text("This session was cancelled")
    expect(page.get_by_test_id("booking-state-badge")).to_have_text("Session cancelled")
    expect(page.get_by_test_id("seats")).to_have_count(0)
    expect(page.get_by_test_id("ics-link")).to_have_count(0)
    expect(page.get_by_test_id("book-button")).to_have_count(0)
    expect(page.get_by_test_id("cancel-link")).to_have_count(0)


def test_cancelling_without_javascript_asks_on_its_own_page(demo, browser: Browser, live_server):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        presenting = TrainingSession.objects.get(title="Presenting with confidence")
        signed_in(page, live_server, "grace.kim@example.com")
        page.goto(f"{live_server.url}/sessions/{presenting.pk}/")

        page.get_by_role("link", name="Cancel my booking…").click()
        expect(page).to_have_url(f"{live_server.url}/sessions/{presenting.pk}/cancel/")
        assert Booking.objects.get(
            session=presenting, user__email="grace.kim@example.com", status="confirmed"
        )
        page.get_by_role("button", name="Yes, cancel my booking").click()

        expect(page).to_have_url(f"{live_server.url}/sessions/{presenting.pk}/")
        expect(page.get_by_role("alert")).to_contain_text(
            "Your booking on “Presenting with confidence” is cancelled; "
            "your seat went to the next person waiting."
        )
        kofi = User.objects.get(email="kofi.mensah@example.com")
        assert Booking.objects.get(session=presenting, user=kofi, status="confirmed")
    finally:
        context.close()


def _tab_to(page, target) -> None:
    """Press Tab until ``target`` has the focus, as someone without a mouse would."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("Tab never reached the element")


def test_booking_and_cancelling_work_with_the_keyboard_alone(demo, page, live_server):
    clinic = TrainingSession.objects.get(title="Code review clinic")
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/sessions/{clinic.pk}/")

    _tab_to(page, page.get_by_test_id("book-button"))
    page.keyboard.press("Enter")
    done = page.get_by_test_id("booking-done")
    expect(done).to_have_text("You're booked. See you there!")
    expect(done).to_be_focused()  # focus stays in the panel, not lost to the page

    _tab_to(page, page.get_by_test_id("cancel-link"))
    page.keyboard.press("Enter")
    keep = page.get_by_role("link", name="Keep my booking")
    expect(keep).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("booking-state-text")).to_have_text("You're booked.")
    expect(page.get_by_test_id("cancel-link")).to_be_focused()

    page.keyboard.press("Enter")
    expect(keep).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Yes, cancel my booking")).to_be_focused()
    page.keyboard.press("Enter")
    expect(done).to_have_text("Your booking on “Code review clinic” is cancelled.")
    expect(done).to_be_focused()
    assert not Booking.objects.filter(
        session=clinic, user__email="employee@example.com", status="confirmed"
    ).exists()
