"""The admin's forms follow the same input rules as the app's (``peertrain.core.text``,
``peertrain.core.limits``): every admin form, ours and the third-party apps' (groups,
sites, sign-in providers), builds its fields from the defaults patched here, so none can
forget a rule."""

from django.contrib.admin import options
from django.contrib.admin.apps import AdminConfig
from django.db import models

from .limits import validate_date_window
from .text import validate_single_line, validate_text


def apply_input_rules_to_admin_fields() -> None:
    """Add the text validators to the admin's per-column defaults. Every ModelAdmin copies
    these when it is created, so this must run before the admin modules are discovered."""
    defaults = options.FORMFIELD_FOR_DBFIELD_DEFAULTS
    column: type[models.Field]
    for column in (models.CharField, models.EmailField, models.URLField):
        _add_validator(defaults.setdefault(column, {}), validate_single_line)
    _add_validator(defaults.setdefault(models.TextField, {}), validate_text)
    for column in (models.DateField, models.DateTimeField):
        _add_validator(defaults.setdefault(column, {}), validate_date_window)


def _add_validator(kwargs: dict, validator) -> None:
    validators = kwargs.setdefault("validators", [])
    if validator not in validators:
        validators.append(validator)


class PeerTrainAdminConfig(AdminConfig):
    """Django's admin, with the input rules in place before it discovers the admin modules,
    and every registered ModelAdmin (Django's and allauth's too) given peertrain.core.admin's
    junk-proof base once all of them are registered."""

    def ready(self):
        apply_input_rules_to_admin_fields()
        super().ready()
        from django.contrib import admin

        from .admin import harden_registered_admins

        harden_registered_admins(admin.site)
