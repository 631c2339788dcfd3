"""Reminders before sessions, recorded in the outbox by a periodic task.

Each reminder's unique key names the booking, the kind and the session's start time, so a
task that runs twice records it once, and a session that moves gets fresh reminders.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peertrain.notifications.notify import notifications_recorded, notify

from ..models import Booking, TrainingSession


@dataclass(frozen=True)
class ReminderKind:
    code: str  # "24h": kind training.reminder.24h, templates notifications/training.reminder/
    before: timedelta


REMINDERS = (
    ReminderKind("24h", timedelta(hours=24)),
    ReminderKind("1h", timedelta(hours=1)),
)


def _due_bookings(kind: ReminderKind, *, now):
    """Confirmed seats on published sessions starting within ``kind.before``, booked early
    enough that the reminder is news (a seat booked 3 hours ahead gets no 24-hour one)."""
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__status=TrainingSession.Status.PUBLISHED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + kind.before,
        created_at__lte=F("session__starts_at") - kind.before,
    ).select_related("session", "user")


def _key(kind: ReminderKind, booking: Booking) -> str:
    return f"training.reminder.{kind.code}:{booking.pk}:{booking.session.starts_at:%Y%m%dT%H%M}"


def reminders_record_due(*, now=None) -> int:
    """Record every reminder that is due and not yet recorded (a person who switched a
    reminder off gets none). Returns how many were recorded."""
    now = now or timezone.now()
    recorded = 0
    for kind in REMINDERS:
        due = {_key(kind, booking): booking for booking in _due_bookings(kind, now=now)}
        known = notifications_recorded(keys=list(due))
        with transaction.atomic():
            for key, booking in due.items():
                if key in known:
                    continue
                rows = notify(
                    recipient=booking.user,
                    kind=f"training.reminder.{kind.code}",
                    key=key,
                    related=booking,
                    context={"session": booking.session, "booking": booking, "reminder": kind},
                )
                recorded += bool(rows)
    return recorded
