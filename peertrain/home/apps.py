from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "peertrain.home"
    label = "home"
    verbose_name = "My home"
