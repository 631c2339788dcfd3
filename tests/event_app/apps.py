from django.apps import AppConfig


class EventAppConfig(AppConfig):
    name = "tests.event_app"
    label = "event_app"

    def ready(self) -> None:
        from peertrain.audit.events import subscribe

        from .handlers import thank_the_trainer

        subscribe("training.session.completed", thank_the_trainer)
