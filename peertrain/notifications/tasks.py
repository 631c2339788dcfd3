from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(services.NotificationDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_notification(self, notification_id: int) -> bool:
    """Send one outbox row. Safe to run twice: the row is claimed before sending, so a
    redelivered or retried message finds it sent (or claimed) and does nothing."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task
def relay_outbox() -> int:
    """Beat, every minute: publish rows a lost message or a dead worker left unsent.
    Safe to run twice: rows it publishes are pushed forward, and delivery claims first."""
    return services.notifications_relay()
