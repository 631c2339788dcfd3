from django.db import transaction

from peertrain.audit.events import Event
from peertrain.notifications.notify import notify

SEEN_IN_TRANSACTION: list[bool] = []


def thank_the_trainer(event: Event) -> None:
    """Thank a session's lead trainer once it is held, with how many came (the words are in
    templates/notifications/event_app.thanks/)."""
    session = event.target
    SEEN_IN_TRANSACTION.append(transaction.get_connection().in_atomic_block)
    notify(
        recipient=session.lead_trainer,
        kind="event_app.thanks",
        key=f"event_app.thanks:{session.pk}",
        related=session,
        context={"session": session, "attended": len(event.payload["attended"])},
    )
