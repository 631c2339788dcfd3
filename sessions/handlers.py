"""The training app's reactions to events: registered in ``TrainingConfig.ready()``.

The feedback request on completion lives here until the feedback app exists; then it moves
there as it is, a handler of ``training.session.completed``, and nothing here changes.
"""

from peertrain.accounts.models import User
from peertrain.audit.events import Event
from peertrain.core.links import absolute_url
from peertrain.notifications.services import notification_record

from .models import TrainingSession


def feedback_request(event: Event) -> None:
    """Ask everyone who attended a session just completed for their feedback: one outbox
    row each, in the completion's transaction, so a completion rolled back asks nobody."""
    session = event.target
    for person in User.objects.filter(pk__in=event.payload["attended"]).order_by("pk"):
        feedback_request_message(session=session, person=person)


def feedback_request_message(*, session: TrainingSession, person: User) -> None:
    """The message itself (the one place it is built)."""
    notification_record(
        recipient=person,
        email=person.email,
        kind="training.feedback.requested",
        unique_key=f"training.feedback.requested:{session.pk}:{person.pk}",
        related=session,
        subject=f"How was {session.title}?",
        body=f"Thanks for coming to {session.title}. Two minutes of feedback helps "
        f"{session.lead_trainer} and the next learners: "
        f"{absolute_url(session.get_absolute_url())}",
    )
