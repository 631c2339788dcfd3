from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peertrain.audit"
    label = "audit"
    verbose_name = "Audit log"
