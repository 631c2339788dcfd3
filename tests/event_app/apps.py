"""A stand-in for the next app (feedback, recognition, the dashboard): it reacts to a lower
app's event by adding a handler in its ready(), declares the kind of message it sends, and
writes that message as templates (templates/notifications/event_app.thanks/). It touches
nothing below it."""

from django.apps import AppConfig


class EventAppConfig(AppConfig):
    name = "tests.event_app"
    label = "event_app"

    def ready(self) -> None:
        from peertrain.audit.events import subscribe
        from peertrain.notifications.kinds import Kind, declare_kinds

        from .handlers import thank_the_trainer

        declare_kinds(Kind("event_app.thanks", "Thanks for teaching a session", optional=True))
        subscribe("training.session.completed", thank_the_trainer)
