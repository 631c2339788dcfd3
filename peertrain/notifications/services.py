"""The notifications outbox: record a message in the caller's transaction, deliver it once.

Every message PeerTrain sends is recorded by ``notification_record`` (called by ``notify``,
one row per channel). Delivery happens in a
worker (``deliver_notification``); the periodic relay re-publishes rows whose message was
lost (broker down when the request committed), whose worker died mid-send, or whose failed
send is due again. The row's ``next_attempt_at`` is the only retry schedule.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.core.db import with_reconnect
from peertrain.core.text import one_line

from .channels import Channel, channel_named, message_id
from .mail import OutcomeUnknown
from .models import Notification

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
REDACTED_BODY = "[removed after sending: it contained a one-time link]"
UNKNOWN_OUTCOME = (
    "Outcome unknown: handed to the mail server, never confirmed. Not sent again "
    "automatically; check with the recipient, then use 'Send again' in the admin."
)


class NotificationDeliveryError(Exception):
    """Sending failed; the row is released for a later attempt."""


def notification_record(
    *,
    address: str,
    kind: str,
    unique_key: str,
    subject: str,
    body: str,
    body_html: str = "",
    channel: str = "email",
    recipient: User | None = None,
    related: models.Model | None = None,
    payload: dict | None = None,
    sensitive: bool = False,
) -> Notification:
    """Record a message once per ``unique_key`` and publish it after the caller commits.
    ``notify`` renders messages and calls this once per channel; nothing else should.

        Runs inside the caller's transaction, so a rolled-back action sends nothing. Recording
        an existing key changes nothing in the row (the returned object carries the caller's
        values, not the stored ones; re-read it if they matter).

        The subject is flattened to one line here, whoever rendered it: a line break from a
        title saved before titles were checked (or a name from single sign-on) would otherwise
        make the mail library refuse the message on every attempt.
    """
    defaults: dict[str, Any] = {
        "recipient": recipient,
        "address": address,
        "channel": channel,
        "kind": kind,
        "subject": one_line(subject)[:255],
        "body": body,
        "body_html": body_html,
        "payload": payload or {},
        "sensitive": sensitive,
        # While the broker is known to be down its publish is skipped, so the relay needn't
        # leave the row to it: due at once, it goes out on the relay's first run afterwards.
        "next_attempt_at": timezone.now()
        + (timedelta(0) if broker_circuit.is_open() else settings.NOTIFICATION_RELAY_GRACE),
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


def notification_publish(*, notification_id: int) -> bool:
    """Hand a delivery to the broker without ever blocking the caller for long.

    A broker error is logged, not raised: the row is safe and the relay will send it.
    """
    from .tasks import deliver_notification

    if broker_circuit.is_open():
        return False
    try:
        deliver_notification.apply_async(args=(notification_id,), retry=False)
    except Exception as exc:  # any broker failure; the outbox row is the source of truth
        broker_circuit.trip()
        logger.warning(
            "Broker unavailable (%s); notification %s left for the relay", exc, notification_id
        )
        return False
    return True


def _due() -> Q:
    """Unsent rows a worker may take now: never handed to the mail server, not given up
    on, and either unclaimed and due (a fresh row's relay grace or a failed send's backoff
    is over) or claimed by a worker that died (or lost the database) before handing over."""
    now = timezone.now()
    return Q(sent_at=None, handed_over_at=None, attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS) & (
        Q(claimed_at=None, next_attempt_at__lte=now)
        | Q(claimed_at__lt=now - settings.NOTIFICATION_CLAIM_TIMEOUT)
    )


def _claim(notification_id: int) -> datetime | None:
    """Take one row for this worker; returns the claim's time, which is its token (every
    later write checks it, so a worker whose claim was taken over can't hand over or mark
    the row). A row never tried goes at once, whatever its relay grace says."""
    now = timezone.now()
    never_tried = Q(
        sent_at=None, handed_over_at=None, claimed_at=None, attempts=0, next_attempt_at__gt=now
    )
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(_due() | never_tried)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return now if claimed == 1 else None


def _claim_due(batch: int) -> tuple[datetime, list[Notification]]:
    """Take up to ``batch`` due rows, oldest due first; returns the claim's time (the rows'
    ``claimed_at``) and the rows. ``SKIP LOCKED`` (PostgreSQL) lets several workers drain
    at once without waiting for, or taking, each other's rows."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_due())
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return now, []
        Notification.objects.filter(_due(), pk__in=ids).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
    return now, list(Notification.objects.filter(pk__in=ids, claimed_at=now).order_by("pk"))


class HandOverRefused(Exception):
    """This worker's claim was taken over: it must not send."""


def _record_hand_over(notification: Notification, claimed_at: datetime) -> None:
    """Written while the mail server waits for the message; without it nothing is sent.
    Idempotent (a retry after a lost connection finds its own value), so it can reconnect."""
    at = timezone.now()

    def write() -> int:
        return (
            Notification.objects.filter(pk=notification.pk, claimed_at=claimed_at, sent_at=None)
            .filter(Q(handed_over_at=None) | Q(handed_over_at=at))
            .update(handed_over_at=at)
        )

    if with_reconnect(write, what=f"handing over notification {notification.pk}") != 1:
        raise HandOverRefused(f"Notification {notification.pk} was claimed by another worker")


def _record_sent(notification: Notification, claimed_at: datetime) -> None:
    """The mail server took it: record that, reconnecting if the connection dropped (about
    15 s of tries). If even that fails, the row keeps its hand-over and ends as "outcome
    unknown" — never sent twice."""
    sent: dict = {"sent_at": timezone.now(), "last_error": "", "outcome_unknown": False}
    if notification.sensitive:
        sent["body"] = REDACTED_BODY
        sent["body_html"] = ""
    try:
        with_reconnect(
            lambda: Notification.objects.filter(
                pk=notification.pk, claimed_at=claimed_at, sent_at=None
            ).update(**sent),
            what=f"recording notification {notification.pk} as sent",
        )
    except DatabaseError:
        logger.error(
            "Notification %s was sent (Message-ID %s) but could not be recorded; it will show "
            "as outcome unknown and will not be sent again",
            notification.pk,
            message_id(notification),
        )


def _release(notification: Notification, claimed_at: datetime, error: Exception) -> None:
    """Nothing was delivered: give the claim back with the error and the backoff."""
    with_reconnect(
        lambda: Notification.objects.filter(
            pk=notification.pk, claimed_at=claimed_at, sent_at=None
        ).update(
            claimed_at=None,
            handed_over_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + backoff_after(notification.attempts),
        ),
        what=f"releasing notification {notification.pk}",
    )


class _Connections:
    """One open connection per channel (a mail server's), reused for a batch of sends."""

    def __init__(self) -> None:
        self.open: dict[str, tuple[Channel, Any]] = {}

    def send(self, notification: Notification, *, hand_over) -> None:
        channel = channel_named(notification.channel)
        if channel is None:
            raise NotificationDeliveryError(f"Unknown channel {notification.channel!r}")
        if channel.code not in self.open:
            self.open[channel.code] = (channel, channel.open())
        channel.send(notification, hand_over=hand_over, connection=self.open[channel.code][1])

    def close(self) -> None:
        for channel, connection in self.open.values():
            channel.close(connection)
        self.open.clear()


def _send_claimed(
    notification: Notification, claimed_at: datetime, *, connections: _Connections
) -> bool:
    """Send a row this worker claimed, through its channel. True if sent; False if the
    outcome is unknown or the claim was lost; raises NotificationDeliveryError if nothing
    was delivered (the row is released with its next attempt time)."""
    try:
        connections.send(
            notification, hand_over=partial(_record_hand_over, notification, claimed_at)
        )
    except HandOverRefused:
        return False
    except OutcomeUnknown as exc:
        # Handed over, then the answer was lost: maybe delivered. Left as it is; the relay
        # marks it "outcome unknown" once the window has passed.
        logger.warning(
            "Notification %s (Message-ID %s): outcome unknown after hand-over: %s",
            notification.pk,
            message_id(notification),
            exc,
        )
        return False
    except DatabaseError:
        raise  # the hand-over couldn't be recorded, so nothing was sent; the claim expires
    except Exception as exc:
        _release(notification, claimed_at, exc)
        raise NotificationDeliveryError(str(exc)) from exc
    _record_sent(notification, claimed_at)
    return True


def backoff_after(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def notification_deliver(*, notification_id: int) -> bool:
    """Send one notification unless it is sent, being sent, handed over, or backing off
    after a failure. Returns True if it sent now; a failed send raises, with the next
    attempt on the row.

    Safe to call any number of times, from any number of workers: only the caller whose
    conditional update claims the row sends it, and only after recording the hand-over.
    """
    claimed_at = _claim(notification_id)
    if claimed_at is None:
        return False
    notification = Notification.objects.get(pk=notification_id)
    connections = _Connections()
    try:
        return _send_claimed(notification, claimed_at, connections=connections)
    finally:
        connections.close()


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0  # not delivered; released with a later attempt
    skipped: int = 0  # outcome unknown, or taken over by another worker
    out_of_time: bool = False  # stopped with rows maybe still due


def notifications_drain(*, seconds: float, batch: int = 20) -> DrainResult:
    """Send due rows — never published (broker down), failed earlier and due again, or
    claimed by a worker that died before sending — a batch at a time over one connection
    per channel (one mail connection), until none is due or ``seconds`` have passed. With
    nothing due it costs one indexed query."""
    deadline = time.monotonic() + seconds
    result = DrainResult()
    connections = _Connections()
    try:
        while True:
            if time.monotonic() >= deadline:
                result.out_of_time = True
                break
            claimed_at, claimed = _claim_due(batch)
            if not claimed:
                break
            for notification in claimed:
                try:
                    if _send_claimed(notification, claimed_at, connections=connections):
                        result.sent += 1
                    else:
                        result.skipped += 1
                except NotificationDeliveryError as exc:
                    result.failed += 1
                    logger.warning("Notification %s not sent: %s", notification.pk, exc)
    finally:
        connections.close()
    if result.sent or result.failed:
        logger.info("Outbox drain: %s", result)
    return result


def notifications_flag_unknown() -> int:
    """Rows handed to the mail server but never confirmed within the window (the worker
    died, or lost the database for longer than it retries): maybe delivered, maybe not.
    They are marked, logged and shown to L&D staff, and never sent again by themselves
    (``notification_send_again`` does it on purpose)."""
    cutoff = timezone.now() - settings.NOTIFICATION_OUTCOME_WINDOW
    rows = list(
        Notification.objects.filter(
            sent_at=None, outcome_unknown=False, handed_over_at__lt=cutoff
        ).values_list("pk", "handed_over_at")
    )
    for pk, handed_over_at in rows:
        logger.warning(
            "Notification %s: outcome unknown (handed to the mail server at %s, never "
            "confirmed); not sent again automatically",
            pk,
            handed_over_at,
        )
    return Notification.objects.filter(pk__in=[pk for pk, _ in rows], sent_at=None).update(
        outcome_unknown=True, last_error=UNKNOWN_OUTCOME
    )


def notification_send_again(*, notification: Notification, by: User) -> None:
    """L&D staff checked that a message of unknown outcome did not arrive: queue it again
    (with the same Message-ID, so a receiving system that has it can drop the copy)."""
    with transaction.atomic():
        changed = Notification.objects.filter(
            pk=notification.pk, sent_at=None, outcome_unknown=True
        ).update(
            outcome_unknown=False,
            handed_over_at=None,
            claimed_at=None,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
        )
        if changed:
            event_record(
                actor=by,
                code="notifications.notification.sent_again",
                target=notification,
                payload={"kind": notification.kind, "address": notification.address},
            )
            transaction.on_commit(partial(notification_publish, notification_id=notification.pk))
