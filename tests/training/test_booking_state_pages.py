"""Issue 12: each booking state shown by the one partial on the session list, the session
page and My sessions; cancelling is confirmed first and says what became of the seat; a
cancelled session says so and offers nothing to book or add to a calendar."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import Booking, TrainingSession
from sessions.services.attendance import attendance_mark
from sessions.services.booking import booking_cancel, booking_create
from sessions.services.sessions import training_session_cancel, training_session_complete

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _starting_in(session: TrainingSession, delta: timedelta) -> TrainingSession:
    starts = timezone.now() + delta
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def badges(page: str) -> list[tuple[str, str]]:
    """(state, words) of every booking-state badge on the page, in order."""
    found = re.findall(
        r'data-testid="booking-state-badge" data-state="([a-z_]+)">([^<]*)</span>', page
    )
    return [(state, " ".join(words.split())) for state, words in found]


def state_line(page: str) -> str:
    match = re.search(r'data-testid="booking-state-text">([^<]*)</span>', page)
    return " ".join(match.group(1).split()) if match else ""


@pytest.fixture
def signed_in(client, employee):
    client.force_login(employee)
    return client


# --- The session list ------------------------------------------------------------------
def test_list_marks_the_sessions_i_am_booked_or_waitlisted_on(signed_in, employee):
    booked = TrainingSessionFactory(
        title="Booked one", starts_at=timezone.now() + timedelta(days=2)
    )
    full = TrainingSessionFactory(
        title="Waiting one", capacity=1, starts_at=timezone.now() + timedelta(days=3)
    )
    TrainingSessionFactory(title="Untouched", starts_at=timezone.now() + timedelta(days=4))
    booking_create(session=booked, user=employee)
    booking_create(session=full, user=UserFactory())
    booking_create(session=full, user=employee)

    page = signed_in.get("/sessions/").content.decode()

    assert badges(page) == [("booked", "Booked"), ("waitlisted", "Waitlist #1")]


def test_list_shows_a_seat_offered_with_its_deadline(signed_in, employee, other_employee):
    session = _starting_in(TrainingSessionFactory(capacity=1), timedelta(hours=3))
    seat = booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    booking_cancel(booking=seat, by=other_employee)
    until = timezone.localtime(session.starts_at)

    page = signed_in.get("/sessions/").content.decode()

    words = f"Seat offered until {until:%a} {until.day} {until:%b, %H:%M}"
    assert badges(page) == [("offered", words)]


def test_list_marks_my_own_cancelling(signed_in, employee):
    session = TrainingSessionFactory()
    booking_cancel(booking=booking_create(session=session, user=employee), by=employee)

    assert badges(signed_in.get("/sessions/").content.decode()) == [
        ("cancelled_by_me", "You cancelled")
    ]


def test_a_full_session_with_nobody_waiting_invites_to_join_the_waitlist(signed_in):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=UserFactory())

    page = signed_in.get("/sessions/").content.decode()

    assert "Full · join the waitlist" in page
    assert "waitlist 0" not in page


def test_a_full_session_i_hold_the_last_seat_on_does_not_invite_me_to_wait(signed_in, employee):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=employee)

    page = signed_in.get("/sessions/").content.decode()

    assert badges(page) == [("booked", "Booked")]
    assert ">Full</span>" in page
    assert "join the waitlist" not in page


def test_a_full_session_says_how_many_wait_or_that_its_waitlist_is_closed(signed_in):
    waiting = TrainingSessionFactory(capacity=1)
    for person in UserFactory.create_batch(3):
        booking_create(session=waiting, user=person)
    closed = TrainingSessionFactory(capacity=1, waitlist_open=False)
    booking_create(session=closed, user=UserFactory())

    page = signed_in.get("/sessions/").content.decode()

    assert "Full · 2 waiting" in page
    assert "Full · waitlist closed" in page


@pytest.mark.parametrize("rows", [1, 40])
def test_list_with_states_keeps_its_query_count_flat(
    signed_in, employee, django_assert_max_num_queries, rows
):
    for index, session in enumerate(TrainingSessionFactory.create_batch(rows)):
        if index % 2 == 0:
            booking_create(session=session, user=employee)

    with django_assert_max_num_queries(7):
        page = signed_in.get("/sessions/").content.decode()

    assert len(badges(page)) == (min(rows, 20) + 1) // 2


# --- The session page ------------------------------------------------------------------
def test_page_says_booked_and_offers_to_cancel(signed_in, employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page) == [("booked", "Booked")]
    assert state_line(page) == "You're booked."
    assert "Cancel my booking…" in page


def test_page_says_my_place_on_the_waitlist(signed_in, employee):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=UserFactory())
    booking_create(session=session, user=employee)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page) == [("waitlisted", "Waitlist #1")]
    assert state_line(page) == "You're number 1 on the waitlist."
    assert "Leave the waitlist…" in page
    assert "take it" not in page


def test_page_offers_a_freed_seat_to_claim(signed_in, employee, other_employee):
    session = _starting_in(TrainingSessionFactory(capacity=1), timedelta(hours=3))
    seat = booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    booking_cancel(booking=seat, by=other_employee)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page)[0][0] == "offered"
    assert state_line(page).startswith("A seat came free and is offered to everyone waiting")
    assert "A seat is free — take it" in page


def test_page_after_my_cancelling_says_so_and_lets_me_book_again(signed_in, employee):
    session = TrainingSessionFactory()
    booking_cancel(booking=booking_create(session=session, user=employee), by=employee)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page) == [("cancelled_by_me", "You cancelled")]
    assert state_line(page).startswith("You cancelled your booking on ")
    assert 'data-testid="book-button"' in page


def test_a_cancelled_session_says_so_with_no_seats_calendar_or_booking(signed_in, employee):
    session = TrainingSessionFactory(capacity=2)
    booking_create(session=session, user=employee)
    training_session_cancel(session=session, by=session.lead_trainer)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page) == [("session_cancelled", "Session cancelled")]
    assert "This session was cancelled" in page
    assert "seats left" not in page
    assert 'data-testid="seats"' not in page
    assert "Add to my calendar" not in page
    assert 'data-testid="book-button"' not in page
    assert 'data-testid="cancel-link"' not in page


def test_a_cancelled_session_i_was_not_on_still_says_it_was_cancelled(signed_in):
    session = TrainingSessionFactory()
    training_session_cancel(session=session, by=session.lead_trainer)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert badges(page) == []
    assert "This session was cancelled" in page
    assert "Add to my calendar" not in page
    assert 'data-testid="book-button"' not in page


@pytest.mark.parametrize(
    ("status", "badge", "line"),
    [
        ("present", "Attended", "You attended this session."),
        ("late", "Attended · late", "You attended this session (arrived late)."),
        (
            "absent",
            "Completed · marked absent",
            "This session has taken place; you were marked absent.",
        ),
    ],
)
def test_page_of_a_held_session_says_how_it_went_for_me(signed_in, employee, status, badge, line):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)
    _starting_in(session, timedelta(days=-1))
    attendance_mark(session=session, attendee=employee, status=status, by=session.lead_trainer)
    training_session_complete(session=session, by=session.lead_trainer)

    page = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert [words for _state, words in badges(page)] == [badge]
    assert state_line(page) == line
    assert "Add to my calendar" not in page
    assert 'data-testid="cancel-link"' not in page


# --- My sessions ----------------------------------------------------------------------
def test_my_sessions_shows_each_state_in_its_section(signed_in, employee, other_employee):
    booked = TrainingSessionFactory(title="Booked one")
    booking_create(session=booked, user=employee)
    full = TrainingSessionFactory(title="Waiting one", capacity=1)
    booking_create(session=full, user=other_employee)
    booking_create(session=full, user=employee)
    called_off = TrainingSessionFactory(title="Called off")
    booking_create(session=called_off, user=employee)
    training_session_cancel(session=called_off, by=called_off.lead_trainer)
    dropped = TrainingSessionFactory(title="Dropped")
    booking_cancel(booking=booking_create(session=dropped, user=employee), by=employee)
    held = TrainingSessionFactory(title="Held")
    booking_create(session=held, user=employee)
    _starting_in(held, timedelta(days=-2))
    attendance_mark(session=held, attendee=employee, status="present", by=held.lead_trainer)

    page = signed_in.get("/sessions/mine/").content.decode()

    upcoming, rest = page.split('data-testid="cancelled-bookings"')
    cancelled, past = rest.split('id="past-heading"')
    assert sorted(badges(upcoming)) == [("booked", "Booked"), ("waitlisted", "Waitlist #1")]
    assert sorted(badges(cancelled)) == [
        ("cancelled_by_me", "You cancelled"),
        ("session_cancelled", "Session cancelled"),
    ]
    assert "Called off" in cancelled
    assert "Called off" not in upcoming
    assert badges(past) == [("attended", "Attended")]


# --- Cancelling, confirmed first --------------------------------------------------------
def test_cancel_asks_first_on_a_page_of_its_own(signed_in, employee):
    session = TrainingSessionFactory(title="Pairing on SQL")
    booking_create(session=session, user=employee)

    response = signed_in.get(f"/sessions/{session.pk}/cancel/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cancel your booking?" in page
    assert f'<form method="post" action="/sessions/{session.pk}/cancel/"' in page
    assert "Keep my booking" in page
    assert Booking.objects.get(user=employee).status == "confirmed"


def test_cancel_asks_first_in_the_panels_place_for_htmx(signed_in, employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)

    page = signed_in.get(f"/sessions/{session.pk}/cancel/", headers=HTMX).content.decode()

    assert 'id="booking-panel"' in page
    assert "<html" not in page
    assert f'data-hx-post="/sessions/{session.pk}/cancel/"' in page
    assert "data-hx-confirm" not in page


def test_leaving_the_waitlist_asks_in_its_own_words(signed_in, employee):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=UserFactory())
    booking_create(session=session, user=employee)

    page = signed_in.get(f"/sessions/{session.pk}/cancel/").content.decode()

    assert "Leave the waitlist?" in page
    assert "You're number 1 on the waitlist" in page


def test_cancelling_says_the_seat_went_to_the_next_person_waiting(signed_in, employee):
    session = TrainingSessionFactory(title="Pairing on SQL", capacity=1)
    booking_create(session=session, user=employee)
    waiting = booking_create(session=session, user=UserFactory())

    response = signed_in.post(f"/sessions/{session.pk}/cancel/", follow=True)

    page = response.content.decode()
    assert (
        "Your booking on “Pairing on SQL” is cancelled; your seat went to the next person waiting."
        in page
    )
    assert badges(page) == [("cancelled_by_me", "You cancelled")]
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_cancelling_with_nobody_waiting_just_says_cancelled(signed_in, employee):
    session = TrainingSessionFactory(title="Pairing on SQL")
    booking_create(session=session, user=employee)

    response = signed_in.post(f"/sessions/{session.pk}/cancel/", headers=HTMX)

    page = response.content.decode()
    assert "Your booking on “Pairing on SQL” is cancelled." in page
    assert "next person" not in page
    assert badges(page) == [("cancelled_by_me", "You cancelled")]


def test_cancelling_on_the_last_day_says_the_seat_is_offered(signed_in, employee):
    session = _starting_in(TrainingSessionFactory(title="Soon", capacity=1), timedelta(hours=3))
    booking_create(session=session, user=employee)
    booking_create(session=session, user=UserFactory())

    page = signed_in.post(f"/sessions/{session.pk}/cancel/", follow=True).content.decode()

    assert "your seat is offered to everyone waiting." in page


def test_leaving_the_waitlist_says_so(signed_in, employee):
    session = TrainingSessionFactory(title="Pairing on SQL", capacity=1)
    booking_create(session=session, user=UserFactory())
    booking_create(session=session, user=employee)

    page = signed_in.post(f"/sessions/{session.pk}/cancel/", follow=True).content.decode()

    assert "You&#x27;ve left the waitlist for “Pairing on SQL”." in page


def test_nobody_sees_the_confirmation_for_someone_elses_booking(client, employee, other_employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=other_employee)
    client.force_login(employee)

    assert client.get(f"/sessions/{session.pk}/cancel/").status_code == 404
    assert client.get(f"/sessions/{session.pk}/cancel/", headers=HTMX).status_code == 404


def test_the_confirmation_needs_signing_in(client, employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)

    response = client.get(f"/sessions/{session.pk}/cancel/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_cancel_refuses_other_methods(signed_in, employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)

    assert signed_in.put(f"/sessions/{session.pk}/cancel/").status_code == 405
    assert signed_in.delete(f"/sessions/{session.pk}/cancel/").status_code == 405
    assert Booking.objects.get(user=employee).status == "confirmed"


def test_keep_my_booking_brings_the_panel_back_with_focus_on_cancel(signed_in, employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)

    kept = signed_in.get(f"/sessions/{session.pk}/", headers=HTMX).content.decode()
    full = signed_in.get(f"/sessions/{session.pk}/").content.decode()

    assert 'id="booking-panel"' in kept
    assert "<html" not in kept
    assert re.search(r'data-testid="cancel-link"\s+autofocus>', kept)
    assert not re.search(r'data-testid="cancel-link"\s+autofocus>', full)
    assert Booking.objects.get(user=employee).status == "confirmed"


def test_my_sessions_shows_a_seat_offered_and_a_session_held_without_me(
    signed_in, employee, other_employee
):
    soon = _starting_in(TrainingSessionFactory(title="Soon", capacity=1), timedelta(hours=3))
    seat = booking_create(session=soon, user=other_employee)
    booking_create(session=soon, user=employee)
    booking_cancel(booking=seat, by=other_employee)
    missed = TrainingSessionFactory(title="Missed")
    booking_create(session=missed, user=employee)
    _starting_in(missed, timedelta(days=-1))
    training_session_complete(session=missed, by=missed.lead_trainer)  # no-show: absent

    page = signed_in.get("/sessions/mine/").content.decode()

    upcoming, past = page.split('id="past-heading"')
    assert [state for state, _words in badges(upcoming)] == ["offered"]
    assert badges(past) == [("completed", "Completed · marked absent")]


@pytest.mark.parametrize("bookings", [1, 20])
def test_my_sessions_with_every_state_keeps_its_query_count_flat(
    signed_in, employee, data_query_budget, bookings
):
    for index, session in enumerate(TrainingSessionFactory.create_batch(bookings)):
        booking = booking_create(session=session, user=employee)
        if index % 3 == 1:
            booking_cancel(booking=booking, by=employee)
        elif index % 3 == 2:
            training_session_cancel(session=session, by=session.lead_trainer)
    for session in TrainingSessionFactory.create_batch(bookings):
        booking_create(session=session, user=employee)
        _starting_in(session, timedelta(days=-3))
        trainer = session.lead_trainer
        attendance_mark(session=session, attendee=employee, status="present", by=trainer)

    # session, user, not over yet (and cancelled), past, taught, invitations to co-teach,
    # the feed (read and, on a first visit, created), L&D check
    with data_query_budget(9):
        page = signed_in.get("/sessions/mine/").content.decode()

    assert page.count('data-state="attended"') == bookings
