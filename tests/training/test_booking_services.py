from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from peertrain.notifications.models import Notification
from sessions.errors import BookingError
from sessions.models import Booking, TrainingSession
from sessions.services.booking import (
    _claim_seat_or_place,
    booking_cancel,
    booking_claim_free_seat,
    booking_create,
)

from ..factories import TrainingSessionFactory, UserFactory, co_trainer

pytestmark = pytest.mark.django_db


def fresh(session: TrainingSession) -> TrainingSession:
    session.refresh_from_db()
    return session


def waitlist(session) -> list[tuple[str, int]]:
    return list(
        Booking.objects.filter(session=session, status="waitlisted")
        .order_by("waitlist_position")
        .values_list("user__email", "waitlist_position")
    )


@pytest.fixture
def session(db):
    return TrainingSessionFactory(capacity=2)


def test_booking_a_free_seat_confirms_it_and_tells_the_booker(session, employee):
    booking = booking_create(session=session, user=employee)

    assert booking.status == Booking.Status.CONFIRMED
    assert fresh(session).confirmed_count == 1
    assert Notification.objects.get(recipient=employee).kind == "training.booking.confirmed"


def test_full_session_puts_booker_on_waitlist(session):
    people = UserFactory.create_batch(4)
    bookings = [booking_create(session=session, user=person) for person in people]

    assert [b.status for b in bookings] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [b.waitlist_position for b in bookings[2:]] == [1, 2]
    assert (fresh(session).confirmed_count, session.waitlist_count) == (2, 2)


def test_booking_twice_is_refused(session, employee):
    booking_create(session=session, user=employee)

    with pytest.raises(BookingError, match="already booked"):
        booking_create(session=session, user=employee)
    assert Booking.objects.filter(user=employee).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "draft"}, "isn't open for booking"),
        ({"status": "cancelled"}, "was cancelled"),
        ({"booking_deadline": timezone.now() - timedelta(minutes=1)}, "closed at the deadline"),
        (
            {
                "starts_at": timezone.now() - timedelta(hours=2),
                "ends_at": timezone.now() - timedelta(hours=1),
            },
            "already taken place",
        ),
    ],
)
def test_unbookable_sessions_are_refused_with_a_reason(session, employee, change, message):
    TrainingSession.objects.filter(pk=session.pk).update(**change)

    with pytest.raises(BookingError, match=message):
        booking_create(session=fresh(session), user=employee)
    assert not Booking.objects.exists()


def test_a_trainer_cannot_book_the_session_they_teach(session):
    co = co_trainer(session).user

    for teacher in (session.lead_trainer, co):
        with pytest.raises(BookingError, match="You teach this session"):
            booking_create(session=session, user=teacher)


def test_full_session_with_closed_waitlist_is_refused(session):
    TrainingSession.objects.filter(pk=session.pk).update(waitlist_open=False)
    for person in UserFactory.create_batch(2):
        booking_create(session=fresh(session), user=person)

    with pytest.raises(BookingError, match="waitlist is closed"):
        booking_create(session=fresh(session), user=UserFactory())


def test_cancelling_a_seat_promotes_the_first_waitlisted_person_once(session):
    first, second, third, fourth = UserFactory.create_batch(4)
    seat = booking_create(session=session, user=first)
    booking_create(session=session, user=second)
    booking_create(session=session, user=third)
    booking_create(session=session, user=fourth)

    booking_cancel(booking=seat, by=first)

    promoted = Booking.objects.get(session=session, user=third)
    assert promoted.status == "confirmed"
    assert promoted.promoted_at is not None
    assert waitlist(session) == [(fourth.email, 1)]
    assert (fresh(session).confirmed_count, session.waitlist_count) == (2, 1)
    notice = Notification.objects.get(recipient=third, kind="training.booking.promoted")
    assert "Give the seat back" in notice.body


def test_leaving_the_waitlist_closes_the_gap(session):
    people = UserFactory.create_batch(5)
    bookings = [booking_create(session=session, user=person) for person in people]

    booking_cancel(booking=bookings[3], by=people[3])  # number 2 on the waitlist leaves

    assert waitlist(session) == [(people[2].email, 1), (people[4].email, 2)]
    assert fresh(session).waitlist_count == 2


def test_within_24_hours_a_freed_seat_is_offered_not_assigned(employee):
    session = TrainingSessionFactory(
        capacity=1,
        starts_at=timezone.now() + timedelta(hours=5),
        ends_at=timezone.now() + timedelta(hours=6),
    )
    holder, waiting_a, waiting_b = UserFactory.create_batch(3)
    seat = booking_create(session=session, user=holder)
    a = booking_create(session=session, user=waiting_a)
    b = booking_create(session=session, user=waiting_b)

    booking_cancel(booking=seat, by=holder)

    assert waitlist(session) == [(waiting_a.email, 1), (waiting_b.email, 2)]
    offers = Notification.objects.filter(kind="training.seat.offered")
    assert {n.recipient_id for n in offers} == {waiting_a.pk, waiting_b.pk}
    booking_claim_free_seat(booking=b)  # the first to claim gets it
    with pytest.raises(BookingError, match="claimed the seat first"):
        booking_claim_free_seat(booking=a)
    assert waitlist(session) == [(waiting_a.email, 1)]
    assert fresh(session).confirmed_count == 1


def test_cancelling_twice_is_refused(session, employee):
    booking = booking_create(session=session, user=employee)
    booking_cancel(booking=booking, by=employee)

    with pytest.raises(BookingError, match="already cancelled"):
        booking_cancel(booking=booking, by=employee)


def test_a_cancelled_person_can_book_again(session, employee):
    booking_cancel(booking=booking_create(session=session, user=employee), by=employee)

    again = booking_create(session=fresh(session), user=employee)

    assert again.status == "confirmed"


def test_database_refuses_two_active_bookings_for_one_person(session, employee):
    from django.db import IntegrityError, transaction

    Booking.objects.create(session=session, user=employee, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session, user=employee, status="waitlisted", waitlist_position=1
        )


def test_links_in_emails_are_absolute(session, employee, settings):
    settings.SITE_URL = "https://peertrain.example.com"

    booking_create(session=session, user=employee)

    body = Notification.objects.get(recipient=employee).body
    assert f"https://peertrain.example.com/sessions/{session.pk}/" in body


def test_a_second_booking_is_refused_and_rolls_its_claim_back(session, employee):
    """The unique index refuses the second active booking; the seat counter the claim
    moved goes back with it."""
    booking_create(session=session, user=employee)

    with pytest.raises(BookingError, match="already booked"):
        booking_create(session=session, user=employee)

    assert (fresh(session).confirmed_count, session.waitlist_count) == (1, 0)
    assert Booking.objects.filter(session=session).count() == 1


def test_a_claim_made_on_stale_counts_lands_where_the_row_says(session, employee):
    """The checks read the session without a lock; the claim re-checks the seats itself,
    so a session that filled up since it was read puts the booker on the waitlist."""
    stale = fresh(session)
    for person in UserFactory.create_batch(2):
        booking_create(session=session, user=person)

    with transaction.atomic():
        status = _claim_seat_or_place(stale)

    assert status == Booking.Status.WAITLISTED
    assert (stale.confirmed_count, stale.waitlist_count) == (2, 1)


def test_a_claim_refuses_a_session_cancelled_since_it_was_read(session):
    stale = fresh(session)
    TrainingSession.objects.filter(pk=session.pk).update(status="cancelled")

    with transaction.atomic():
        assert _claim_seat_or_place(stale) is None
    assert fresh(session).confirmed_count == 0


def test_claims_that_keep_missing_end_in_try_again(session, employee, monkeypatch):
    """Seats that come and go between each read and claim (a race, simulated here by
    claims that never land) give up after a few tries with "try again", saving nothing."""
    from sessions.errors import BookingBusy
    from sessions.services import booking as booking_services

    attempts = []
    monkeypatch.setattr(booking_services, "_claim", lambda *args: attempts.append(1) and False)

    with pytest.raises(BookingBusy):
        booking_create(session=session, user=employee)

    assert len(attempts) == 2 * booking_services.CLAIM_ATTEMPTS  # seat, then waitlist, each try
    assert not Booking.objects.exists()
