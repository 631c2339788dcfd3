import logging
from datetime import datetime

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def deliver_notification(notification_id: int, relayed_until: str | None = None) -> bool:
    """Send one outbox row. Safe to run twice: the row is claimed before sending, so a
    redelivered message finds it sent (or claimed) and does nothing.

    No Celery retry: a failed send leaves its next attempt time on the row (the one retry
    schedule), and the relay publishes the row again when that time comes.
    """
    try:
        return services.notification_deliver(
            notification_id=notification_id,
            relayed_until=datetime.fromisoformat(relayed_until) if relayed_until else None,
        )
    except services.NotificationDeliveryError as exc:
        logger.warning("Notification %s not sent; the relay retries it: %s", notification_id, exc)
        return False


@shared_task
def relay_outbox() -> int:
    """Beat, every minute: publish rows a lost message or a dead worker left unsent, and
    rows whose backoff after a failed send is over. Safe to run twice: rows it publishes
    are pushed forward, and delivery claims first."""
    return services.notifications_relay()
