"""Every form PeerTrain shows, found rather than listed, so a test over them can't miss a new
one: the forms defined in the project's packages, and the admin's forms (add and change, and
their inlines) built the way the admin builds them for a superuser."""

import importlib
import pkgutil
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.db import models
from django.test import RequestFactory


def _project_packages() -> tuple[str, ...]:
    """The top-level packages of the installed apps that live in this repository (not in
    a virtualenv inside it)."""
    from django.apps import apps
    from django.conf import settings

    root = str(settings.BASE_DIR)
    names = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if config.path.startswith(root) and "site-packages" not in config.path
    }
    return tuple(sorted(names))


PROJECT_PACKAGES = _project_packages()
# Not imported: settings modules read the environment when imported (production refuses a
# missing SECRET_KEY), and migrations define no forms.
SKIPPED_MODULES = (".settings", ".migrations", ".management")


@dataclass(frozen=True)
class FormField:
    form: type[forms.BaseForm]
    where: str  # how the test names it: "sessions.forms_manage.SessionForm" or "admin:…"
    name: str
    field: forms.Field
    model_field: models.Field | None  # the column a model form's field saves to

    def __str__(self) -> str:
        return f"{self.where}.{self.name}"

    @property
    def validators(self) -> list:
        """What the form checks, with the model's own validators for a model form (they run
        in the form's ``_post_clean`` and their messages show beside the field)."""
        extra = list(self.model_field.validators) if self.model_field is not None else []
        return [*self.field.validators, *extra]


def import_project_modules() -> None:
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if not any(part in module.name for part in SKIPPED_MODULES):
                importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Form classes defined in the project's own modules. Those in admin modules are left
    to ``admin_form_classes``: the admin builds its forms from them with its own defaults,
    and only what it builds is ever shown."""
    import_project_modules()
    return sorted(
        (
            cls
            for cls in _subclasses(forms.BaseForm)
            if cls.__module__.split(".")[0] in PROJECT_PACKAGES
            and not cls.__module__.endswith(".admin")
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def superuser_request():
    from peertrain.accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(email="walker@example.com", is_staff=True, is_superuser=True)
    return request


def admin_form_classes() -> list[tuple[str, type[forms.BaseForm]]]:
    """(name, form class) of every admin add and change form, and of their inlines."""
    request = superuser_request()
    found = []
    for model, model_admin in admin.site._registry.items():
        label = f"admin:{model._meta.label}"
        obj = model()
        views = [("add", None, model_admin.has_add_permission(request))]
        views.append(("change", obj, model_admin.has_change_permission(request, obj)))
        for view, instance, allowed in views:
            if not allowed:
                continue
            found.append((f"{label}:{view}", model_admin.get_form(request, instance)))
            for inline in model_admin.get_inline_instances(request, instance):
                formset = inline.get_formset(request, instance)
                found.append((f"{label}:{view}:{inline.model._meta.label}", formset.form))
    return found


def _model_field(form: type[forms.BaseForm], name: str) -> models.Field | None:
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # a form-only field (a password confirmation)
        return None
    return field if isinstance(field, models.Field) else None


def all_form_fields() -> list[FormField]:
    forms_found = [
        (f"{cls.__module__}.{cls.__qualname__}", cls) for cls in project_form_classes()
    ] + admin_form_classes()
    return [
        FormField(form, where, name, field, _model_field(form, name))
        for where, form in forms_found
        for name, field in form.base_fields.items()
    ]


def is_password(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.PasswordInput)
