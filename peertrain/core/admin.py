"""What every PeerTrain ModelAdmin and inline builds on: junk ids are refused, not a 500.

Django's autocomplete widgets look their selected ids up while drawing the form, so an id
that isn't one (``lead=abc`` posted, ``?parent=abc`` as an initial value, ``1\\x00``) raised
and the page was a 500 instead of the form with "Select a valid choice". These widgets draw
only the ids the key field can hold; the field's own validation names the bad one. The
list's bulk actions had the same fault with a junk row id.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models.fields.related import RelatedField
from django.http import HttpResponseRedirect

from .errors import DomainError, form_error

# The mixins below are only ever mixed into Django's admin classes, whose methods they call
# through super(); the type checker is told so.
if TYPE_CHECKING:
    _BaseAdmin = admin.options.BaseModelAdmin[Any]
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _BaseAdmin = _ModelAdmin = object


def usable_keys(key: models.Field, values) -> list:
    """The ``values`` that ``key`` (a primary or other key field) can hold: of its type and,
    for a number, in its column's range (SQLite overflows past 64 bits)."""
    low = high = None
    if isinstance(key, models.IntegerField):
        low, high = connection.ops.integer_field_range(key.get_internal_type())
    usable = []
    for value in values:
        try:
            cleaned = key.to_python(value)
        except ValidationError:
            continue
        if low is not None and cleaned is not None and not low <= cleaned <= high:
            continue
        usable.append(value)
    return usable


def _related_key(field: RelatedField) -> models.Field:
    """The key of the related model that ``field`` stores (its primary key, or to_field)."""
    return field.target_field


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, usable_keys(_related_key(self.field), value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, usable_keys(_related_key(self.field), value), attr)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Names a junk id as invalid before querying: on SQLite an id past 64 bits otherwise
    overflows in the ``__in`` query Django runs after its per-id check."""

    def _check_values(self, value):
        if self.queryset is None:  # nothing to choose from: Django's own check says so
            return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs
        opts = self.queryset.model._meta
        key = opts.pk if self.to_field_name is None else opts.get_field(self.to_field_name)
        for pk in value if isinstance(value, list | tuple) else ():
            if not usable_keys(key, [pk]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


class SafeWidgetsMixin(_BaseAdmin):
    """For every ModelAdmin and inline here (a test checks they all use it): autocomplete
    widgets and many-to-many fields that survive junk ids."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AdminInputMixin(SafeWidgetsMixin, _ModelAdmin):
    """For every ModelAdmin here: junk-proof widgets and bulk actions, search terms
    PostgreSQL can take, and an invalid form answered with 400 like every other form of the
    site."""

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses a NUL byte in any text; no name or email holds one.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if usable_keys(self.model._meta.pk, selected) != selected:
            # Django then sends the list page again, with this message (as for no selection).
            self.message_user(
                request, "Some of the selected rows don't exist; select them again.", messages.ERROR
            )
            return None
        return super().response_action(request, queryset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        return bad_request_if_invalid(request, response)


def bad_request_if_invalid(request, response):
    """A posted admin form drawn again because of errors answers 400, not 200."""
    context = getattr(response, "context_data", None) or {}
    form = context.get("form")
    if request.method == "POST" and (context.get("errors") or (form is not None and form.errors)):
        response.status_code = 400
    return response


def harden_registered_admins(site: admin.AdminSite) -> None:
    """Give every ModelAdmin registered without it (those of Django and allauth) the base
    above, so no admin page answers junk with a 500. Ours use it directly."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AdminInputMixin):
            continue
        base = type(model_admin)
        hardened = type(base.__name__, (AdminInputMixin, base), {"__module__": base.__module__})
        site.unregister(model)
        site.register(model, hardened)


class ModelAdmin(AdminInputMixin, admin.ModelAdmin):
    pass


# Where ``ServiceModelAdmin`` keeps the refusal of the change form it draws again.
ADMIN_REFUSAL_ATTR = "_peertrain_admin_refusal"


class ServiceModelAdmin(ModelAdmin):
    """The admin of a domain model: every write goes through the app's services, as the
    app's own pages do, so it is validated and audited the same way.

    A subclass writes with services in ``save_model`` (or in ``save_related``, when the
    service also takes the many-to-many fields), ``delete_model`` (which bulk deletes use,
    row by row) and, with inlines, ``save_formset``; Django's own writes are not inherited
    (each of them raises here, and a test checks every domain admin). A ``DomainError`` a
    service raises rolls the whole change back: the form is drawn again with the refusal
    beside its field (400), and a refused delete, single or bulk, says why and deletes
    nothing.
    """

    def save_model(self, request, obj, form, change):
        raise NotImplementedError(f"{type(self).__name__}: save {obj!r} through its service")

    def delete_model(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__}: delete {obj!r} through its service")

    def delete_queryset(self, request, queryset):
        # Row by row through ``delete_model``'s service; ``response_action`` makes it all
        # or nothing.
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        raise NotImplementedError(f"{type(self).__name__}: save inline rows through a service")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # Django runs the change in one transaction, so a refusal leaves nothing saved.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            if request.method != "POST":
                raise
            setattr(request, ADMIN_REFUSAL_ATTR, refusal)
            # Draw the posted form again; ``get_form`` makes it refuse with the message.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, ADMIN_REFUSAL_ATTR, None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"clean": _refusing_clean(refusal)})

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        try:
            # A bulk action (delete) is all or nothing, like one change.
            with transaction.atomic():
                return super().response_action(request, queryset)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return None  # Django draws the list again, with the message


def _refusing_clean(refusal: DomainError):
    def clean(form):
        cleaned = super(type(form), form).clean()
        form_error(form, refusal)
        return cleaned

    return clean


class ReadOnlyModelAdmin(ModelAdmin):
    """Rows that something else writes (the audit log, levels derived from the history):
    L&D read them here and change nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TabularInline(SafeWidgetsMixin, admin.TabularInline):
    pass


class StackedInline(SafeWidgetsMixin, admin.StackedInline):
    pass
