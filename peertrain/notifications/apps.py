from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "peertrain.notifications"
    label = "notifications"
    verbose_name = "Notifications"
