from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "peertrain.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from .kinds import discover

        discover()  # every app's notifications.py: the catalogue of kinds is whole
