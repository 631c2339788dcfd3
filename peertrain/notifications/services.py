"""The notifications outbox: record a message in the caller's transaction, deliver it once.

Every email PeerTrain sends goes through ``notification_record``. Delivery happens in a
worker (``deliver_notification``); the periodic relay re-publishes rows whose message was
lost (broker down when the request committed), whose worker died mid-send, or whose failed
send is due again. The row's ``next_attempt_at`` is the only retry schedule.
"""

import logging
import time
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.core.text import one_line

from .models import Notification

logger = logging.getLogger(__name__)

# The request's own on_commit publish normally delivers within seconds; the relay waits
# this long before assuming that message was lost.
RELAY_GRACE = timedelta(minutes=2)
# A claim older than this belongs to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
REDACTED_BODY = "[removed after sending: it contained a one-time link]"


class NotificationDeliveryError(Exception):
    """Sending failed; the row is released for a later attempt."""


def notification_record(
    *,
    email: str,
    kind: str,
    unique_key: str,
    subject: str,
    body: str,
    recipient: User | None = None,
    related: models.Model | None = None,
    payload: dict | None = None,
    sensitive: bool = False,
) -> Notification:
    """Record a message once per ``unique_key`` and publish it after the caller commits.

    Runs inside the caller's transaction, so a rolled-back action sends nothing. Recording
    an existing key changes nothing in the row (the returned object carries the caller's
    values, not the stored ones; re-read it if they matter).

    The subject is flattened to one line here, whoever rendered it: a line break from a
    title saved before titles were checked (or a name from single sign-on) would otherwise
    make the mail library refuse the message on every attempt.
    """
    defaults = {
        "recipient": recipient,
        "email": email,
        "kind": kind,
        "subject": one_line(subject)[:255],
        "body": body,
        "payload": payload or {},
        "sensitive": sensitive,
        "next_attempt_at": timezone.now() + RELAY_GRACE,
    }
    if related is not None:
        defaults["content_type"] = ContentType.objects.get_for_model(related)
        defaults["object_id"] = str(related.pk)
    # One INSERT … ON CONFLICT (unique_key) whatever happens, so callers on hot paths
    # (a booking) pay a single query; a duplicate key returns the existing row's id.
    notification = Notification(unique_key=unique_key, **defaults)
    Notification.objects.bulk_create(
        [notification],
        update_conflicts=True,
        unique_fields=["unique_key"],
        update_fields=["unique_key"],
    )
    # Publishing a row twice is harmless: delivery claims it before sending.
    transaction.on_commit(partial(notification_publish, notification_id=notification.pk))
    return notification


class _BrokerCircuit:
    """After a failed publish, skip the broker for a while instead of making every
    request pay the connection timeout again; the relay catches up."""

    def __init__(self, cool_off_seconds: float):
        self.cool_off_seconds = cool_off_seconds
        self.open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self) -> None:
        self.open_until = time.monotonic() + self.cool_off_seconds

    def reset(self) -> None:
        self.open_until = 0.0


broker_circuit = _BrokerCircuit(cool_off_seconds=15)


def notification_publish(*, notification_id: int, relayed_until: datetime | None = None) -> bool:
    """Hand a delivery to the broker without ever blocking the caller for long.

    A broker error is logged, not raised: the row is safe and the relay will publish it.
    ``relayed_until`` is the ``next_attempt_at`` the relay set when it published the row.
    """
    from .tasks import deliver_notification

    if broker_circuit.is_open():
        return False
    kwargs = {"relayed_until": relayed_until.isoformat()} if relayed_until else {}
    try:
        deliver_notification.apply_async(args=[notification_id], kwargs=kwargs, retry=False)
    except Exception as exc:  # any broker failure; the outbox row is the source of truth
        broker_circuit.trip()
        logger.warning(
            "Broker unavailable (%s); notification %s left for the relay", exc, notification_id
        )
        return False
    return True


def _claim(notification_id: int, *, relayed_until: datetime | None = None) -> bool:
    """Take an unsent row for this worker, unless a failed send's backoff is still running.

    ``next_attempt_at`` means two things: on a row never tried it is only the relay's grace
    (the on-commit publish delivers at once); after a failure it is the backoff, which holds.
    The relay also pushes it forward when it publishes a due row; ``relayed_until`` is that
    value, and finding it unchanged shows no send failed since, so the backoff was served.
    """
    now = timezone.now()
    ready = Q(attempts=0) | Q(next_attempt_at__lte=now)
    if relayed_until is not None:
        ready |= Q(next_attempt_at=relayed_until)
    claimed = (
        Notification.objects.filter(
            pk=notification_id,
            sent_at=None,
            attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
        )
        .filter((Q(claimed_at=None) & ready) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _send(notification: Notification) -> None:
    if notification.channel != Notification.Channel.EMAIL:
        raise NotificationDeliveryError(f"Unknown channel {notification.channel!r}")
    EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
    ).send()


def backoff_after(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def notification_deliver(*, notification_id: int, relayed_until: datetime | None = None) -> bool:
    """Send one notification unless it is sent, being sent, or backing off after a failure.
    Returns True if it sent now; a failed send raises, with the next attempt on the row.

    Safe to call any number of times, from any number of workers: only the caller whose
    conditional update claims the row sends it.
    """
    if not _claim(notification_id, relayed_until=relayed_until):
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        _send(notification)
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff_after(notification.attempts),
        )
        raise NotificationDeliveryError(str(exc)) from exc
    sent = {"sent_at": timezone.now(), "last_error": ""}
    if notification.sensitive:
        sent["body"] = REDACTED_BODY
    Notification.objects.filter(pk=notification_id).update(**sent)
    return True


def notifications_relay(*, limit: int = 200) -> int:
    """Re-publish unsent rows that are due: never published, failed earlier, or stuck.

    ``SKIP LOCKED`` (PostgreSQL) lets two relays run at once without picking the same rows;
    pushing ``next_attempt_at`` forward keeps the next run from publishing them again.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                sent_at=None,
                next_attempt_at__lte=now,
                attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
            )
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        relayed_until = now + RELAY_GRACE
        Notification.objects.filter(pk__in=due).update(next_attempt_at=relayed_until)
        for notification_id in due:
            transaction.on_commit(
                partial(
                    notification_publish,
                    notification_id=notification_id,
                    relayed_until=relayed_until,
                )
            )
    if due:
        logger.info("Relay re-published %d notification(s)", len(due))
    return len(due)
