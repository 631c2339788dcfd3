"""The event bus: declared codes only, in the caller's transaction, handlers in a defined
order, a failing handler rolls the whole action back, and nobody listening costs nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from peertrain.audit.events import (
    EventHandlerFailed,
    EventOutsideTransaction,
    UndeclaredEvent,
    event_record,
    handlers_for,
    subscribe,
    unsubscribe,
)
from peertrain.audit.models import AuditEvent
from peertrain.core.errors import DomainError
from peertrain.notifications.models import Notification
from sessions.errors import SessionError
from sessions.models import Attendance, TrainingSession
from sessions.services.attendance import attendance_mark
from sessions.services.booking import booking_create
from sessions.services.sessions import training_session_complete

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed():
    """Subscribe handlers for one test; they are gone afterwards."""
    added = []

    def add(pattern, handler, **options):
        subscribe(pattern, handler, **options)
        added.append((pattern, handler))

    yield add
    for pattern, handler in added:
        unsubscribe(pattern, handler)


def booking_event(user, **payload):
    return {"session": 1, "user": user.pk, "status": "confirmed"} | payload


def record_booking(actor, user=None):
    """A ``training.booking.created`` event: ``actor`` booked a seat for ``user`` (themselves)."""
    return event_record(
        code="training.booking.created", actor=actor, payload=booking_event(user or actor)
    )


# --- Declared codes only -----------------------------------------------------------------
def test_an_undeclared_code_is_refused(employee):
    with transaction.atomic(), pytest.raises(UndeclaredEvent, match=r"training\.booking\.made"):
        event_record(code="training.booking.made", actor=employee, payload={})


def test_a_payload_must_have_the_declared_keys(employee):
    with transaction.atomic(), pytest.raises(TypeError, match=r"missing \['status'\]"):
        event_record(
            code="training.booking.created", actor=employee, payload={"session": 1, "user": 2}
        )
    with transaction.atomic(), pytest.raises(TypeError, match=r"unknown \['seat'\]"):
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee, seat=4)
        )


def test_subscribing_to_a_pattern_that_matches_no_code_is_refused():
    with pytest.raises(ImproperlyConfigured, match="matches no declared event code"):
        subscribe("training.sesion.completed", lambda event: None)
    with pytest.raises(ImproperlyConfigured):
        subscribe("feedback.*", lambda event: None)


# --- In the caller's transaction ---------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(employee):
    with pytest.raises(EventOutsideTransaction):
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )


def test_the_test_cases_own_transaction_does_not_count(employee):
    """pytest-django wraps each test in a transaction; the code under test must open its own,
    so a service that forgets is caught by its ordinary tests too."""
    with pytest.raises(EventOutsideTransaction):
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )


# --- Order and patterns ------------------------------------------------------------------
def test_handlers_run_by_order_then_as_subscribed(subscribed, employee):
    ran = []
    subscribed("training.booking.created", lambda event: ran.append("late"), order=200)
    subscribed("training.booking.created", lambda event: ran.append("first"), order=10)
    subscribed("training.booking.*", lambda event: ran.append("second"))
    subscribed("training.booking.created", lambda event: ran.append("third"))

    with transaction.atomic():
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )

    assert ran == ["first", "second", "third", "late"]


def test_a_prefix_takes_every_code_below_it_and_nothing_else(subscribed, employee):
    seen = []
    subscribed("training.booking.*", lambda event: seen.append(event.code))

    with transaction.atomic():
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )
        event_record(
            code="training.booking.promoted", actor=None, payload={"session": 1, "user": 2}
        )
        event_record(code="training.session.published", actor=employee)

    assert seen == ["training.booking.created", "training.booking.promoted"]
    assert handlers_for("training.session.published") == ()


def test_subscribing_twice_runs_a_handler_once(subscribed, employee):
    seen = []

    def handler(event):
        seen.append(event)

    subscribed("training.booking.created", handler)
    subscribed("training.booking.created", handler)

    with transaction.atomic():
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )

    assert len(seen) == 1


def test_a_handler_gets_the_actor_target_and_a_read_only_payload(subscribed, employee):
    session = TrainingSessionFactory()
    seen = []
    subscribed("training.booking.created", seen.append)

    with transaction.atomic():
        booking = booking_create(session=session, user=employee)

    (event,) = seen
    assert (event.code, event.actor, event.target) == (
        "training.booking.created",
        employee,
        booking,
    )
    assert event.payload == {"session": session.pk, "user": employee.pk, "status": "confirmed"}
    with pytest.raises(TypeError):
        event.payload["status"] = "waitlisted"


# --- Audit rows and cost -----------------------------------------------------------------
def test_nobody_listening_to_a_dispatch_only_code_costs_no_query(
    employee, django_assert_num_queries
):
    with transaction.atomic(), django_assert_num_queries(0):
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )


def test_an_audited_code_costs_one_insert(employee, django_assert_num_queries):
    session = TrainingSessionFactory()
    with transaction.atomic():
        event_record(code="training.session.published", actor=employee, target=session)  # warm
        with django_assert_num_queries(1):
            event_record(code="training.session.published", actor=employee, target=session)

    row = AuditEvent.objects.filter(action="training.session.published").first()
    assert (row.actor, row.target, row.data) == (employee, session, {})


def test_on_behalf_codes_are_audited_only_when_someone_acts_for_another(employee, lead):
    with transaction.atomic():
        event_record(
            code="training.booking.created", actor=employee, payload=booking_event(employee)
        )
        record_booking(lead, employee)

    assert list(AuditEvent.objects.values_list("actor", flat=True)) == [lead.pk]


# --- Failure rolls everything back -------------------------------------------------------
def completed_session_setup():
    trainer = UserFactory()
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=5)
    present, no_show = UserFactory.create_batch(2)
    for person in (present, no_show):
        booking_create(session=session, user=person)
    start = timezone.now() - timedelta(hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.refresh_from_db()
    attendance_mark(session=session, attendee=present, status="present", by=session.lead_trainer)
    return session


def broken_handler(event):
    raise KeyError("a bug in a handler")


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_rolls_the_whole_action_back(subscribed):
    """On the real database (committing transactions, not the test's savepoints)."""
    session = completed_session_setup()
    subscribed("training.session.completed", broken_handler)  # after the feedback request

    with pytest.raises(EventHandlerFailed) as failed:
        training_session_complete(session=session, by=session.lead_trainer)

    assert failed.value.code == "training.session.completed"
    assert failed.value.handler == "tests.audit.test_events.broken_handler"
    assert isinstance(failed.value.__cause__, KeyError)
    assert "nothing was saved" in failed.value.message
    assert TrainingSession.objects.get(pk=session.pk).status == "published"
    assert not Attendance.objects.filter(status="absent").exists()  # no-shows not recorded
    assert not Notification.objects.filter(kind="training.feedback.requested").exists()
    assert not AuditEvent.objects.filter(action="training.session.completed").exists()


@pytest.mark.django_db(transaction=True)
def test_a_handler_refusing_with_a_domain_error_refuses_the_action_as_is(subscribed):
    session = completed_session_setup()

    def refuse(event):
        raise SessionError("Record the quiz scores first.")

    subscribed("training.session.completed", refuse)

    with pytest.raises(SessionError, match=r"Record the quiz scores first\."):
        training_session_complete(session=session, by=session.lead_trainer)

    assert TrainingSession.objects.get(pk=session.pk).status == "published"
    assert not Notification.objects.filter(kind="training.feedback.requested").exists()


def test_a_failing_handler_is_a_500_page_saying_nothing_was_saved(client, subscribed, caplog):
    session = completed_session_setup()
    subscribed("training.session.completed", broken_handler)
    client.force_login(session.lead_trainer)

    response = client.post(f"/sessions/{session.pk}/complete/")

    assert response.status_code == 500
    assert "nothing was saved" in response.content.decode()
    assert "broken_handler" not in response.content.decode()  # the name is for the log
    assert "tests.audit.test_events.broken_handler failed on training.session.completed" in (
        caplog.text
    )
    assert TrainingSession.objects.get(pk=session.pk).status == "published"


def test_event_handler_failed_is_a_domain_error():
    assert issubclass(EventHandlerFailed, DomainError)
