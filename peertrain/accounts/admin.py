from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from peertrain.core.admin import AdminInputMixin, ModelAdmin, bad_request_if_invalid

from .access import (
    SUPERUSER_ONLY_FIELDS,
    accounts_visible_to,
    grantable_groups,
    grantable_permissions,
    keep_ungrantable,
    may_change_account,
    may_set_password,
)
from .models import Team, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AdminInputMixin, DjangoUserAdmin):
    """People. Who sees and changes which account is peertrain.accounts.access's rule: for
    anyone but a superuser, superusers aren't there at all (list, search, autocomplete, change,
    password, history, delete, actions all start from ``get_queryset``)."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "team", "job_title", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups", "team")
    search_fields = ("email", "display_name", "job_title")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "team", "job_title", "time_zone")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "team", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return accounts_visible_to(super().get_queryset(request), actor=request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change_account(actor=request.user, target=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or may_change_account(actor=request.user, target=obj)

    def get_readonly_fields(self, request, obj=None):
        # Sign-in dates are facts, not settings.
        if request.user.is_superuser:
            return ("last_login", "date_joined")
        return (*SUPERUSER_ONLY_FIELDS, "last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = grantable_groups(actor=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        if "groups" in form.cleaned_data:
            form.cleaned_data["groups"] = keep_ungrantable(
                form.cleaned_data["groups"],
                current=form.instance.groups.all(),
                grantable=grantable_groups(actor=request.user),
            )
        super().save_related(request, form, formsets, change)

    def get_deleted_objects(self, objs, request):
        # The bulk "delete selected" action checks the model permission only, not each row.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not may_change_account(actor=request.user, target=user) for user in objs):
            perms_needed = {*perms_needed, "staff accounts (only a superuser can delete them)"}
        return deleted, counts, perms_needed, protected

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, unquote(id))
        if target is not None and not may_set_password(actor=request.user, target=target):
            raise PermissionDenied("Only a superuser can set the password of a staff account.")
        response = super().user_change_password(request, id, form_url)
        return bad_request_if_invalid(request, response)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AdminInputMixin, DjangoGroupAdmin):
    """Groups. Someone who isn't a superuser can add to a group only permissions they hold
    (and can't take away ones they don't), so editing a group never raises anyone's rights
    above the editor's."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = grantable_permissions(actor=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        if "permissions" in form.cleaned_data:
            form.cleaned_data["permissions"] = keep_ungrantable(
                form.cleaned_data["permissions"],
                current=form.instance.permissions.all(),
                grantable=grantable_permissions(actor=request.user),
            )
        super().save_related(request, form, formsets, change)


@admin.register(Team)
class TeamAdmin(ModelAdmin):
    list_display = ("name", "lead", "parent")
    list_select_related = ("lead", "parent")
    search_fields = ("name",)
    autocomplete_fields = ("lead", "parent")
