from celery import shared_task

from .certification_expiry import certification_expiry_warnings_record


@shared_task
def record_certification_expiry_warnings() -> int:
    """Beat, hourly: warn trainers and L&D 30 and 7 days before a certification expires.
    Safe to run twice: each warning has a unique key in the outbox."""
    return certification_expiry_warnings_record()
