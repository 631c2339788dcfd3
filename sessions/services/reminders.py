"""Reminders before sessions, recorded in the outbox by a periodic task.

Each reminder's unique key names the booking, the kind and the session's start time, so a
task that runs twice records it once, and a session that moves gets fresh reminders.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peertrain.core.links import absolute_url
from peertrain.notifications.models import Notification
from peertrain.notifications.services import notification_record

from ..models import Booking, TrainingSession
from ..wording import starts_for


@dataclass(frozen=True)
class ReminderKind:
    code: str
    before: timedelta
    label: str


REMINDERS = (
    ReminderKind("24h", timedelta(hours=24), "tomorrow"),
    ReminderKind("1h", timedelta(hours=1), "in an hour"),
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
    """Record every reminder that is due and not yet recorded. Returns how many."""
    now = now or timezone.now()
    recorded = 0
    for kind in REMINDERS:
        due = {_key(kind, booking): booking for booking in _due_bookings(kind, now=now)}
        known = set(
            Notification.objects.filter(unique_key__in=due).values_list("unique_key", flat=True)
        )
        with transaction.atomic():
            for key, booking in due.items():
                if key in known:
                    continue
                session = booking.session
                where = session.location or ("online" if session.video_url else "")
                notification_record(
                    recipient=booking.user,
                    email=booking.user.email,
                    kind=f"training.reminder.{kind.code}",
                    unique_key=key,
                    related=booking,
                    subject=f"Reminder: {session.title} {kind.label}",
                    body=(
                        f"{session.title} starts {kind.label}: "
                        f"{starts_for(session, booking.user)}"
                        f"{f' ({where})' if where else ''}.\n\n"
                        f"Details, the video link and cancelling: "
                        f"{absolute_url(session.get_absolute_url())}"
                    ),
                )
                recorded += 1
    return recorded
