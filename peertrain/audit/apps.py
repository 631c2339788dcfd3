from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peertrain.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from .events import discover

        discover()  # every app's events.py: the catalogue is whole before anyone subscribes
