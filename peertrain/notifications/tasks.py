import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task
def deliver_notification(notification_id: int, relayed_until: str | None = None) -> bool:
    """Send one outbox row. Safe to run twice: the row is claimed before sending and its
    hand-over to the mail server recorded, so a redelivered message finds it sent (or
    claimed, or handed over) and does nothing.

    No Celery retry: a failed send leaves its next attempt time on the row (the one retry
    schedule), and the relay sends the row when that time comes. (``relayed_until`` was
    sent by an earlier relay; messages still queued with it are accepted and it is ignored.)
    """
    try:
        return services.notification_deliver(notification_id=notification_id)
    except services.NotificationDeliveryError as exc:
        logger.warning("Notification %s not sent; the relay retries it: %s", notification_id, exc)
        return False


@shared_task
def relay_outbox() -> int:
    """Beat, every few seconds: mark rows whose send outcome stayed unknown, then send the
    rows that are due (a lost message, a dead worker, a failed send's backoff over) for up
    to NOTIFICATION_DRAIN_SECONDS, at the worker's own speed. Safe to run twice, or on two
    workers at once: each row is claimed before it is sent. With nothing due it costs two
    indexed queries. A run that ran out of time queues the next one at once."""
    services.notifications_flag_unknown()
    result = services.notifications_drain(seconds=settings.NOTIFICATION_DRAIN_SECONDS)
    if result.out_of_time:
        # More may be due: go on at once, behind whatever else is queued, rather than wait
        # for the next tick. A lost publish only means waiting for that tick.
        try:
            relay_outbox.apply_async(retry=False)
        except Exception as exc:  # any broker failure; the next tick goes on
            logger.warning("Relay could not queue its next run: %s", exc)
    return result.sent
