"""Issue 5's journeys in a real browser, on the demo data."""

from datetime import timedelta

import psycopg2
import psycopg2.sql
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peertrain.accounts.models import User
from sessions.models import Booking, TrainingSession
from sessions.services.booking import booking_create

from .conftest import sign_in, signed_in

pytestmark = pytest.mark.e2e


def test_employee_finds_books_downloads_and_cancels_a_session(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")
    page.get_by_test_id("main-nav").get_by_role("link", name="Sessions").click()

    filters = page.get_by_test_id("session-filters")
    filters.get_by_label("Skill").select_option(label="Code review")
    filters.get_by_role("button", name="Filter").click()
    results = page.get_by_test_id("session-results")
    expect(results).to_contain_text("Code review clinic")
    expect(results).not_to_contain_text("Python for spreadsheet people")
    results.get_by_role("link", name="Code review clinic").click()

    page.get_by_test_id("book-button").click()
    expect(page.get_by_test_id("booking-state-text")).to_have_text("You're booked.")
    expect(page.get_by_test_id("video-link")).to_be_visible()  # only once booked

    with page.expect_download() as download_info:
        page.get_by_test_id("ics-link").click()
    ics = download_info.value
    assert ics.suggested_filename.endswith(".ics")
    content = open(ics.path(), encoding="utf-8").read()  # noqa: SIM115 - read once
    assert "BEGIN:VEVENT" in content
    assert "Code review clinic" in content

    page.goto(f"{live_server.url}/sessions/mine/")
    upcoming = page.get_by_test_id("upcoming-bookings")
    expect(upcoming).to_contain_text("Code review clinic")
    upcoming.get_by_role("link", name="Code review clinic").click()
    page.get_by_role("link", name="Cancel my booking…").click()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_test_id("book-button")).to_be_visible()
    assert not Booking.objects.filter(
        user__email="employee@example.com",
        session__title="Code review clinic",
        status="confirmed",
    ).exists()


def test_a_cancelled_seat_goes_to_the_first_person_waiting(demo, page, live_server):
    presenting = TrainingSession.objects.get(title="Presenting with confidence")
    signed_in(page, live_server, "grace.kim@example.com")
    page.goto(f"{live_server.url}/sessions/{presenting.pk}/")

    page.get_by_role("link", name="Cancel my booking…").click()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_test_id("book-button")).to_be_visible()

    kofi = Booking.objects.get(
        session=presenting,
        user__email="kofi.mensah@example.com",
        status__in=["confirmed", "waitlisted"],
    )
    assert kofi.status == "confirmed"
    page.context.clear_cookies()
    sign_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/sessions/{presenting.pk}/")
    expect(page.get_by_test_id("booking-state-text")).to_have_text(
        "You're number 1 on the waitlist."
    )


def test_trainer_takes_attendance_on_a_phone(demo, phone_page, live_server):
    trainer = User.objects.get(email="trainer@example.com")
    python = TrainingSession.objects.get(title="Python for spreadsheet people")
    start = timezone.now() - timedelta(minutes=5)
    TrainingSession.objects.filter(pk=python.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    page = phone_page
    signed_in(page, live_server, trainer.email)

    page.goto(f"{live_server.url}/sessions/{python.pk}/attendance/")
    eli = page.get_by_test_id("attendance-row").filter(has_text="Eli Moreno")
    eli.get_by_test_id("mark-present").click()
    expect(eli.get_by_test_id("attendance-state")).to_have_text("Present")
    kofi = page.get_by_test_id("attendance-row").filter(has_text="Kofi Mensah")
    kofi.get_by_test_id("mark-absent").click()
    expect(kofi.get_by_test_id("attendance-state")).to_have_text("Absent")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone


def test_trainer_accepts_an_invitation_to_co_teach_and_the_lead_sees_it(demo, page, live_server):
    """Issue 9: a colleague becomes a co-trainer only by accepting, and only then sees the
    draft; the lead sees their answer."""
    draft = TrainingSession.objects.get(title="Reviewing code as a manager")
    signed_in(page, live_server, "trainer@example.com")

    invitations = page.get_by_test_id("home-invitations")
    invitations.get_by_role("link", name="Reviewing code as a manager").click()
    invitation = page.get_by_test_id("co-teach-invitation")
    expect(invitation).to_contain_text("Priya Nair invites you to co-teach")
    expect(page.get_by_text("what to look for when you no longer write")).to_have_count(0)

    invitation.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("trainers")).to_have_text("Priya Nair, Tomás Rivera")
    expect(page.get_by_text("what to look for when you no longer write")).to_be_visible()
    expect(page.get_by_role("link", name="Take attendance")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "priya.nair@example.com")
    page.goto(f"{live_server.url}/sessions/{draft.pk}/")
    states = page.get_by_test_id("co-trainer-states")
    expect(states).to_contain_text("Tomás Rivera")
    expect(states).to_contain_text("Teaching")


def test_a_refused_booking_click_says_why_over_the_page(demo, page, live_server):
    """The booking was made in another tab meanwhile: the click is refused (409), the reason
    shows in the page's alert region, and the booking panel stays where it was."""
    clinic = TrainingSession.objects.get(title="Code review clinic")
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/sessions/{clinic.pk}/")
    booking_create(session=clinic, user=User.objects.get(email="employee@example.com"))

    page.get_by_test_id("book-button").click()

    alert = page.locator("#domain-error").get_by_role("alert")
    expect(alert).to_contain_text("already booked on this session. Nothing was changed.")
    expect(page.get_by_test_id("booking-panel")).to_be_visible()
    alert.get_by_role("button", name="Close").click()
    expect(alert).to_have_count(0)


@pytest.mark.postgres
def test_a_booking_click_in_a_rush_is_told_to_try_again(demo, page, live_server, settings):
    """Someone else holds the session's row (a rush on the last seats): the click is answered
    503 with a reason, which shows over the page instead of nothing happening."""
    clinic = TrainingSession.objects.get(title="Code review clinic")
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/sessions/{clinic.pk}/")

    database = settings.DATABASES["default"]
    holder = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        host=database["HOST"],
        port=database["PORT"],
    )
    try:
        with holder.cursor() as cursor:
            table = psycopg2.sql.Identifier(TrainingSession._meta.db_table)
            query = psycopg2.sql.SQL("SELECT id FROM {} WHERE id = %s FOR UPDATE")
            cursor.execute(query.format(table), [clinic.pk])
            with page.expect_response(lambda response: response.status == 503):
                page.get_by_test_id("book-button").click()
    finally:
        holder.rollback()
        holder.close()

    alert = page.locator("#domain-error").get_by_role("alert")
    expect(alert).to_contain_text("Lots of people are booking this session right now.")
    expect(page.get_by_test_id("booking-panel")).to_be_visible()
    assert not Booking.objects.filter(session=clinic, user__email="employee@example.com").exists()


def test_a_booking_click_that_never_reaches_the_server_says_so(demo, page, live_server):
    """The network drops the request: the person is told nothing was sent."""
    clinic = TrainingSession.objects.get(title="Code review clinic")
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/sessions/{clinic.pk}/")
    page.route("**/book/", lambda route: route.abort("internetdisconnected"))

    page.get_by_test_id("book-button").click()

    alert = page.locator("#domain-error").get_by_role("alert")
    expect(alert).to_contain_text("couldn't be reached, so nothing was sent")
    assert not Booking.objects.filter(session=clinic, user__email="employee@example.com").exists()
