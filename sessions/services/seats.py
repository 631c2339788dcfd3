"""A session's seats: the one place that locks a session row, gives free seats to the
waitlist and moves a person from the waitlist to a seat. Booking, cancelling, claiming a
freed seat and changing a session's capacity all go through here, each inside one
transaction holding the session's row lock, so the counters, the bookings and the waitlist
order can never disagree. (Booking itself takes the lock with its claim, a conditional
``UPDATE`` in ``booking.py``, as late as it can; everything else takes it first.)"""

from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import OperationalError
from django.db.models import F
from django.utils import timezone

from peertrain.audit.events import event_record
from peertrain.notifications.notify import notify

from ..errors import BookingBusy
from ..models import Booking, TrainingSession
from ..selectors import ACTIVE

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout
# Within this window a freed seat is offered to the whole waitlist instead of given to
# the first person, who may no longer be able to come at such short notice.
LATE_RELEASE_WINDOW = timedelta(hours=24)


@contextmanager
def busy_when_lock_times_out():
    """PostgreSQL's lock_timeout (DB_LOCK_TIMEOUT_MS) ends a long wait for the session row
    with an error; say "try again" (``BookingBusy``) instead of failing or hanging."""
    try:
        yield
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise BookingBusy from error
        raise


def lock(session: TrainingSession) -> TrainingSession:
    """The session as it is now, its row locked until the caller's transaction ends."""
    with busy_when_lock_times_out():
        return TrainingSession.objects.select_for_update().get(pk=session.pk)


def is_late_release(session: TrainingSession, *, now: datetime | None = None) -> bool:
    """Whether a seat freed now is offered to everyone waiting rather than given in order."""
    return session.starts_at - (now or timezone.now()) <= LATE_RELEASE_WINDOW


def leave_waitlist(session: TrainingSession, position: int) -> None:
    """Close the gap a person leaves at ``position`` (caller holds the lock)."""
    Booking.objects.filter(
        session=session, status=Booking.Status.WAITLISTED, waitlist_position__gt=position
    ).update(waitlist_position=F("waitlist_position") - 1)
    TrainingSession.objects.filter(pk=session.pk).update(waitlist_count=F("waitlist_count") - 1)
    session.waitlist_count -= 1


def take_from_waitlist(booking: Booking, *, session: TrainingSession) -> Booking:
    """Give a waitlisted ``booking`` a seat (caller holds the lock and knows one is free)."""
    position = booking.waitlist_position
    if position is None:  # the check constraint: only a waitlisted booking has a place in line
        raise ValueError(f"Booking {booking.pk} is not on the waitlist.")
    booking.status = Booking.Status.CONFIRMED
    booking.waitlist_position = None
    booking.promoted_at = timezone.now()
    booking.save(update_fields=["status", "waitlist_position", "promoted_at", "updated_at"])
    leave_waitlist(session, position)
    TrainingSession.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)
    session.confirmed_count += 1
    return booking


def give_back(session: TrainingSession) -> None:
    """A confirmed seat is given up: count it free and pass it on (caller holds the lock)."""
    TrainingSession.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") - 1)
    session.confirmed_count -= 1
    fill_free(session)


def end_all_bookings(session: TrainingSession) -> None:
    """End every seat and waitlist place on ``session`` (it is being cancelled; caller
    holds the lock)."""
    Booking.objects.filter(session=session, status__in=ACTIVE).update(
        status=Booking.Status.CANCELLED, waitlist_position=None, cancelled_at=timezone.now()
    )
    TrainingSession.objects.filter(pk=session.pk).update(confirmed_count=0, waitlist_count=0)
    session.confirmed_count = session.waitlist_count = 0


def fill_free(session: TrainingSession) -> None:
    """Give a published session's free seats to its waitlist, first come first served —
    or, within ``LATE_RELEASE_WINDOW`` of the start, offer them to everyone waiting (the
    first to claim one gets it). Caller holds the lock."""
    if session.status != TrainingSession.Status.PUBLISHED or session.waitlist_count == 0:
        return
    if session.confirmed_count >= session.capacity:
        return
    if is_late_release(session):
        _offer_to_waitlist(session)
        return
    while session.confirmed_count < session.capacity and session.waitlist_count > 0:
        first = Booking.objects.select_related("user").get(
            session=session, status=Booking.Status.WAITLISTED, waitlist_position=1
        )
        _promote(first, session=session)


def _promote(booking: Booking, *, session: TrainingSession) -> None:
    take_from_waitlist(booking, session=session)
    event_record(
        actor=None,
        code="training.booking.promoted",
        target=booking,
        payload={"session": session.pk, "user": booking.user_id},
    )
    notify(
        recipient=booking.user,
        kind="training.booking.promoted",
        key=f"training.booking.promoted:{booking.pk}:{booking.promoted_at:%s}",
        related=booking,
        context={"session": session, "booking": booking},
    )


def _offer_to_waitlist(session: TrainingSession) -> None:
    """Tell everyone waiting that a seat is free; the first to claim it gets it."""
    stamp = timezone.now()
    for booking in Booking.objects.filter(
        session=session, status=Booking.Status.WAITLISTED
    ).select_related("user"):
        notify(
            recipient=booking.user,
            kind="training.seat.offered",
            key=f"training.seat.offered:{booking.pk}:{stamp:%s}",
            related=booking,
            context={"session": session, "booking": booking},
        )
