"""The training app's reactions to events: registered in ``TrainingConfig.ready()``.

The feedback request on completion lives here until the feedback app exists; then it moves
there as it is, a handler of ``training.session.completed``, and nothing here changes.
"""

from peertrain.accounts.models import User
from peertrain.audit.events import Event
from peertrain.notifications.notify import notify

from .models import TrainingSession


def feedback_request(event: Event) -> None:
    """Ask everyone who attended a session just completed for their feedback: one outbox
    row each, in the completion's transaction, so a completion rolled back asks nobody."""
    session = event.target
    for person in User.objects.filter(pk__in=event.payload["attended"]).order_by("pk"):
        feedback_request_message(session=session, person=person)


def feedback_request_message(*, session: TrainingSession, person: User) -> None:
    """The message itself (templates/notifications/training.feedback.requested/)."""
    notify(
        recipient=person,
        kind="training.feedback.requested",
        key=f"training.feedback.requested:{session.pk}:{person.pk}",
        related=session,
        context={"session": session},
    )
