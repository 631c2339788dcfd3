from celery import shared_task

from .services.reminders import reminders_record_due


@shared_task
def record_session_reminders() -> int:
    """Beat, every 5 minutes: record the 24-hour and 1-hour reminders that are due.
    Safe to run twice: each reminder has a unique key in the outbox."""
    return reminders_record_due()
