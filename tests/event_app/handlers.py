from django.db import transaction

from peertrain.audit.events import Event
from peertrain.notifications.services import notification_record

SEEN_IN_TRANSACTION: list[bool] = []


def thank_the_trainer(event: Event) -> None:
    """Thank a session's lead trainer once it is held, with how many came."""
    session = event.target
    SEEN_IN_TRANSACTION.append(transaction.get_connection().in_atomic_block)
    notification_record(
        recipient=session.lead_trainer,
        email=session.lead_trainer.email,
        kind="event_app.thanks",
        unique_key=f"event_app.thanks:{session.pk}",
        related=session,
        subject=f"Thank you for teaching {session.title}",
        body=f"{len(event.payload['attended'])} colleagues came.",
    )
