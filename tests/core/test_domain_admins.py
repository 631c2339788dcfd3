"""Every admin of a domain model writes through the app's services: a ModelAdmin of
programmes, trainers or sessions that can add, change or delete is a ``ServiceModelAdmin``
and says how each of those writes goes through a service. A new admin that inherits Django's
own writes (unaudited, unvalidated by the domain) fails here."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from peertrain.core.admin import ServiceModelAdmin

from ..factories import UserFactory

DOMAIN_APPS = {"programmes", "trainers", "training"}


def domain_admins():
    return sorted(
        (model._meta.label, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    )


def overrides(model_admin, name: str) -> bool:
    return getattr(type(model_admin), name) is not getattr(ServiceModelAdmin, name)


@pytest.mark.django_db
def test_every_domain_admin_writes_through_services():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert domain_admins(), "no domain admin registered?"
    missing = []
    for label, model_admin in domain_admins():
        may_save = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        may_delete = model_admin.has_delete_permission(request)
        if not (may_save or may_delete):
            continue  # read only
        if not isinstance(model_admin, ServiceModelAdmin):
            missing.append(f"{label}: not a ServiceModelAdmin")
            continue
        needed = []
        if may_save:
            needed.append("save_model")
            if model_admin.inlines:
                needed.append("save_formset")
        if may_delete:
            needed.append("delete_model")  # bulk deletes go through it too
        missing += [f"{label}: {name}" for name in needed if not overrides(model_admin, name)]

    assert missing == []
