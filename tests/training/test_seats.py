"""A freed seat goes to the waitlist the same way whichever action frees it: someone
cancelling, or the trainer adding seats. Both run ``sessions.services.seats``; these tests
hold the two paths (and the late claim) to one behaviour, and the source check keeps the
seat rules from being written again elsewhere."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from sessions.models import Booking, TrainingSession
from sessions.services.booking import booking_cancel, booking_claim_free_seat, booking_create
from sessions.services.sessions import training_session_update

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _cancel_a_seat(session, booked, trainer):
    booking_cancel(booking=Booking.objects.get(session=session, user=booked[0]), by=booked[0])


def _add_a_seat(session, booked, trainer):
    training_session_update(session=session, by=trainer, capacity=session.capacity + 1)


FREE_A_SEAT = pytest.mark.parametrize(
    "free_a_seat", [_cancel_a_seat, _add_a_seat], ids=["cancelled", "capacity_raised"]
)


def _full_session(*, starts_in: timedelta):
    starts_at = timezone.now() + starts_in
    session = TrainingSessionFactory(
        capacity=2, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    people = UserFactory.create_batch(5)
    for person in people:
        booking_create(session=session, user=person)
    return session, people[:2], people[2:]


def _state(session):
    session = TrainingSession.objects.get(pk=session.pk)
    rows = Booking.objects.filter(session=session).exclude(status="cancelled")
    waiting = sorted(
        rows.filter(status="waitlisted").values_list("user_id", "waitlist_position"),
        key=lambda row: row[1],
    )
    confirmed = rows.filter(status="confirmed").count()
    assert (session.confirmed_count, session.waitlist_count) == (confirmed, len(waiting))
    assert [position for _, position in waiting] == list(range(1, len(waiting) + 1))
    return session, [user_id for user_id, _ in waiting]


@FREE_A_SEAT
def test_a_freed_seat_goes_to_the_first_person_waiting(free_a_seat):
    session, booked, waiting = _full_session(starts_in=timedelta(days=7))

    free_a_seat(session, booked, session.lead_trainer)

    session, still_waiting = _state(session)
    first = Booking.objects.get(session=session, user=waiting[0])
    assert (first.status, first.waitlist_position) == ("confirmed", None)
    assert first.promoted_at is not None
    assert still_waiting == [person.pk for person in waiting[1:]]
    promoted = AuditEvent.objects.get(action="training.booking.promoted")
    assert promoted.actor is None
    assert promoted.data == {"session": session.pk, "user": waiting[0].pk}
    told = Notification.objects.filter(kind="training.booking.promoted")
    assert list(told.values_list("recipient", flat=True)) == [waiting[0].pk]


@FREE_A_SEAT
def test_a_seat_freed_within_a_day_is_offered_to_everyone_waiting(free_a_seat):
    session, booked, waiting = _full_session(starts_in=timedelta(hours=5))

    free_a_seat(session, booked, session.lead_trainer)

    session, still_waiting = _state(session)
    assert still_waiting == [person.pk for person in waiting]  # nobody moved yet
    assert session.confirmed_count == session.capacity - 1
    offered = Notification.objects.filter(kind="training.seat.offered")
    assert set(offered.values_list("recipient", flat=True)) == {p.pk for p in waiting}
    assert not Notification.objects.filter(kind="training.booking.promoted").exists()


@FREE_A_SEAT
def test_the_seat_offered_late_is_claimed_like_a_promotion(free_a_seat):
    session, booked, waiting = _full_session(starts_in=timedelta(hours=5))
    free_a_seat(session, booked, session.lead_trainer)
    second = Booking.objects.get(session=session, user=waiting[1])

    booking_claim_free_seat(booking=second)

    session, still_waiting = _state(session)
    second.refresh_from_db()
    assert (second.status, second.waitlist_position) == ("confirmed", None)
    assert second.promoted_at is not None
    assert still_waiting == [waiting[0].pk, waiting[2].pk]
    assert session.confirmed_count == session.capacity


def test_more_seats_on_a_draft_tell_nobody(trainer):
    session = TrainingSessionFactory(lead_trainer=trainer, status="draft", capacity=1)

    training_session_update(session=session, by=trainer, capacity=4)

    assert not Notification.objects.exists()


# --- One home for the seat rules ---------------------------------------------------------
SEATS_MODULE = Path("sessions/services/seats.py")
# What only the seats module writes: the session row lock, a promotion's stamp, and the
# waitlist counter moving down (a place given up or turned into a seat).
SEAT_WRITES = ("select_for_update", "promoted_at", "waitlist_count")


def _python_files():
    root = Path(settings.BASE_DIR)
    for folder in ("sessions", "programmes", "trainers", "peertrain"):
        for path in (root / folder).rglob("*.py"):
            relative = path.relative_to(root)
            if "migrations" not in relative.parts:
                yield relative, path.read_text()


def _session_locks_and_seat_writes(source: str) -> list[str]:
    """Each place ``source`` locks a TrainingSession row or writes a seat field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            call = ast.unparse(node)
            if node.func.attr == "select_for_update" and "TrainingSession" in call:
                found.append(call)
        elif isinstance(node, ast.keyword) and node.arg in SEAT_WRITES[1:]:
            found.append(f"{node.arg}=…")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in SEAT_WRITES[1:]:
                    found.append(ast.unparse(target))
    return found


def test_only_the_seats_module_locks_sessions_and_moves_the_waitlist():
    elsewhere = {
        str(path): found
        for path, source in _python_files()
        if path != SEATS_MODULE and (found := _session_locks_and_seat_writes(source))
    }
    assert elsewhere == {}, "seat rules belong in sessions/services/seats.py"


def test_the_source_check_sees_a_copied_rule():
    copied = (
        "def f(session):\n"
        "    TrainingSession.objects.select_for_update().get(pk=session.pk)\n"
        "    booking.promoted_at = now\n"
        "    Session.objects.update(waitlist_count=F('waitlist_count') - 1)\n"
    )
    assert len(_session_locks_and_seat_writes(copied)) == 3
