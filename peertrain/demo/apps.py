from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "peertrain.demo"
    label = "demo"
    verbose_name = "Demo data"
