"""Issue 12, "booking states are unclear": one selector states where a person stands on a
session, and one partial shows it the same way on the list, the session page and My
sessions, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import Booking, TrainingSession
from sessions.selectors_booking_states import (
    Relation,
    booking_state_of,
    booking_states_for,
    my_sessions,
)
from sessions.services.attendance import attendance_mark
from sessions.services.booking import booking_cancel, booking_create
from sessions.services.sessions import training_session_cancel, training_session_complete

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _starting_in(session: TrainingSession, delta: timedelta) -> TrainingSession:
    """Move ``session`` so it starts ``delta`` from now (negative: it has started)."""
    starts = timezone.now() + delta
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def _fresh(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.get(pk=session.pk)


def _held(session: TrainingSession, *, attendee, status: str) -> TrainingSession:
    """``session`` took place yesterday: ``attendee`` recorded ``status``, then completed."""
    _starting_in(session, timedelta(days=-1))
    attendance_mark(session=session, attendee=attendee, status=status, by=session.lead_trainer)
    training_session_complete(session=session, by=session.lead_trainer)
    return _fresh(session)


# --- The rule, state by state -----------------------------------------------------------
def test_no_booking_is_no_relation(employee):
    session = TrainingSessionFactory()

    assert booking_state_of(user=employee, session=session).relation == Relation.NONE


def test_a_seat_is_booked(employee):
    session = TrainingSessionFactory()
    booking = booking_create(session=session, user=employee)

    state = booking_state_of(user=employee, session=_fresh(session))

    assert state.relation == Relation.BOOKED
    assert state.active_booking == booking


def test_a_full_session_puts_me_on_the_waitlist_with_my_number(employee, other_employee):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=UserFactory())
    booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)

    state = booking_state_of(user=employee, session=_fresh(session))

    assert state.relation == Relation.WAITLISTED
    assert state.waitlist_position == 2


def test_a_seat_freed_on_the_last_day_is_offered_until_the_start(employee, other_employee):
    session = _starting_in(TrainingSessionFactory(capacity=1), timedelta(hours=5))
    seat = booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    booking_cancel(booking=seat, by=other_employee)

    session = _fresh(session)
    state = booking_state_of(user=employee, session=session)

    assert state.relation == Relation.OFFERED
    assert state.offered_until == session.starts_at
    assert state.active_booking is not None


def test_a_seat_freed_earlier_goes_to_the_first_person_waiting(employee, other_employee):
    session = TrainingSessionFactory(capacity=1)
    seat = booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    booking_cancel(booking=seat, by=other_employee)

    assert booking_state_of(user=employee, session=_fresh(session)).relation == Relation.BOOKED


def test_my_own_cancelling_is_cancelled_by_me(employee):
    session = TrainingSessionFactory()
    booking_cancel(booking=booking_create(session=session, user=employee), by=employee)

    state = booking_state_of(user=employee, session=_fresh(session))

    assert state.relation == Relation.CANCELLED_BY_ME
    assert state.active_booking is None


def test_booking_again_after_cancelling_is_booked(employee):
    session = TrainingSessionFactory()
    booking_cancel(booking=booking_create(session=session, user=employee), by=employee)
    booking_create(session=session, user=employee)

    assert booking_state_of(user=employee, session=_fresh(session)).relation == Relation.BOOKED


@pytest.mark.parametrize("was", ["confirmed", "waitlisted"])
def test_a_cancelled_session_is_session_cancelled(employee, other_employee, was):
    session = TrainingSessionFactory(capacity=1)
    if was == "waitlisted":
        booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    training_session_cancel(session=session, by=session.lead_trainer)

    state = booking_state_of(user=employee, session=_fresh(session))

    assert state.relation == Relation.SESSION_CANCELLED


def test_a_held_session_i_missed_is_completed_marked_absent(employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)
    session = _held(session, attendee=employee, status="absent")

    state = booking_state_of(user=employee, session=session)

    assert state.relation == Relation.COMPLETED
    assert state.attendance_status == "absent"


def test_a_session_over_but_not_marked_completed_is_completed(employee):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)
    session = _starting_in(session, timedelta(days=-1))

    assert booking_state_of(user=employee, session=session).relation == Relation.COMPLETED


@pytest.mark.parametrize("status", ["present", "late"])
def test_present_or_late_is_attended(employee, status):
    session = TrainingSessionFactory()
    booking_create(session=session, user=employee)
    session = _held(session, attendee=employee, status=status)

    state = booking_state_of(user=employee, session=session)

    assert state.relation == Relation.ATTENDED
    assert state.attendance_status == status


def test_waiting_to_the_end_without_a_seat_leaves_no_state(employee, other_employee):
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    session = _starting_in(session, timedelta(days=-1))

    assert booking_state_of(user=employee, session=session).relation == Relation.NONE


def test_states_are_one_query_for_upcoming_sessions_however_many(
    employee, django_assert_num_queries
):
    sessions = TrainingSessionFactory.create_batch(30)
    for session in sessions[:10]:
        booking_create(session=session, user=employee)
    sessions = list(TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]))

    with django_assert_num_queries(1):
        states = booking_states_for(user=employee, sessions=sessions)

    assert sum(state.relation == Relation.BOOKED for state in states.values()) == 10


def test_states_read_attendance_in_one_more_query_when_sessions_have_started(
    employee, django_assert_num_queries
):
    sessions = TrainingSessionFactory.create_batch(5)
    for session in sessions:
        booking_create(session=session, user=employee)
        _held(session, attendee=employee, status="present")
    sessions = list(TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]))

    with django_assert_num_queries(2):
        states = booking_states_for(user=employee, sessions=sessions)

    assert {state.relation for state in states.values()} == {Relation.ATTENDED}


def test_my_sessions_sorts_states_into_upcoming_cancelled_and_past(employee, other_employee):
    booked = TrainingSessionFactory(title="Booked")
    booking_create(session=booked, user=employee)
    waiting = TrainingSessionFactory(title="Waiting", capacity=1)
    booking_create(session=waiting, user=other_employee)
    booking_create(session=waiting, user=employee)
    called_off = TrainingSessionFactory(title="Called off")
    booking_create(session=called_off, user=employee)
    training_session_cancel(session=called_off, by=called_off.lead_trainer)
    dropped = TrainingSessionFactory(title="Dropped")
    booking_cancel(booking=booking_create(session=dropped, user=employee), by=employee)
    held = TrainingSessionFactory(title="Held")
    booking_create(session=held, user=employee)
    _held(held, attendee=employee, status="late")

    mine = my_sessions(user=employee)

    def states(rows):
        return {row.session.title: row.state.relation for row in rows}

    assert states(mine.upcoming) == {"Booked": Relation.BOOKED, "Waiting": Relation.WAITLISTED}
    assert states(mine.cancelled) == {
        "Called off": Relation.SESSION_CANCELLED,
        "Dropped": Relation.CANCELLED_BY_ME,
    }
    assert states(mine.past) == {"Held": Relation.ATTENDED}


def test_my_sessions_is_two_queries_whatever_the_history(employee, django_assert_num_queries):
    for session in TrainingSessionFactory.create_batch(8):
        booking = booking_create(session=session, user=employee)
        if session.pk % 2:
            booking_cancel(booking=booking, by=employee)
    for session in TrainingSessionFactory.create_batch(4):
        booking_create(session=session, user=employee)
        _held(session, attendee=employee, status="present")

    with django_assert_num_queries(2):
        mine = my_sessions(user=employee)

    assert len(mine.upcoming) + len(mine.cancelled) == 8
    assert [row.state.relation for row in mine.past] == [Relation.ATTENDED] * 4
    assert Booking.objects.filter(user=employee).count() == 12


@pytest.mark.parametrize(("days_ago", "kept"), [(5, True), (40, False)])
def test_a_cancelled_session_stays_on_my_sessions_for_a_month_after_its_date(
    employee, days_ago, kept
):
    session = TrainingSessionFactory(title="Called off")
    booking_create(session=session, user=employee)
    training_session_cancel(session=session, by=session.lead_trainer)
    _starting_in(session, timedelta(days=-days_ago))

    mine = my_sessions(user=employee)

    assert [row.session.title for row in mine.cancelled] == (["Called off"] if kept else [])
    assert mine.upcoming == []
    assert mine.past == []
