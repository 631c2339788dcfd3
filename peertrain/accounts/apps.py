from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peertrain.accounts"
    label = "accounts"
    verbose_name = "People and teams"
