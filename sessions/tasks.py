from celery import shared_task

from .services.lapsed_trainers import lapsed_trainer_sessions_tell
from .services.reminders import reminders_record_due


@shared_task
def record_session_reminders() -> int:
    """Beat, every 5 minutes: record the 24-hour and 1-hour reminders that are due.
    Safe to run twice: each reminder has a unique key in the outbox."""
    return reminders_record_due()


@shared_task
def tell_ld_about_lapsed_trainers() -> int:
    """Beat, hourly: tell L&D about published sessions whose trainer's certification
    expired (or whose teaching was paused); they stay published. Safe to run twice: each
    message has a unique key in the outbox."""
    return lapsed_trainer_sessions_tell()
