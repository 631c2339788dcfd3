"""The outbox's delivery states as filters, shared by L&D's home page (counts) and the
admin's list filter (the rows), so a count and the list it links to always agree."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import Notification

# The relay takes due rows every 15 seconds; a row due this long ago and still unsent means
# nothing is sending (worker or scheduler down, mail server refusing).
STUCK_AFTER = timedelta(minutes=10)

WAITING = "waiting"
STUCK = "stuck"
FAILED = "failed"
UNKNOWN = "unknown"
SENT = "sent"

DELIVERY_STATES = [
    (WAITING, "Waiting to send"),
    (STUCK, "Stuck (overdue)"),
    (FAILED, "Failed (gave up)"),
    (UNKNOWN, "Outcome unknown"),
    (SENT, "Sent"),
]


def delivery_state(state: str, *, now: datetime | None = None) -> Q:
    """Rows in ``state`` (one of ``DELIVERY_STATES``). Stuck rows are also waiting."""
    now = now or timezone.now()
    gave_up = Q(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS)
    waiting = Q(sent_at=None, outcome_unknown=False) & ~gave_up
    filters = {
        WAITING: waiting,
        STUCK: waiting & Q(next_attempt_at__lt=now - STUCK_AFTER),
        FAILED: Q(sent_at=None, outcome_unknown=False) & gave_up,
        UNKNOWN: Q(sent_at=None, outcome_unknown=True),
        SENT: Q(sent_at__isnull=False),
    }
    return filters[state]


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int
    stuck: int
    failed: int
    unknown: int


def outbox_counts(*, now: datetime | None = None) -> OutboxCounts:
    """How many unsent messages are in each state, in one query."""
    now = now or timezone.now()
    counts = Notification.objects.filter(sent_at=None).aggregate(
        **{
            state: Count("pk", filter=delivery_state(state, now=now))
            for state in (WAITING, STUCK, FAILED, UNKNOWN)
        }
    )
    return OutboxCounts(**counts)
