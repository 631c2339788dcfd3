from django.contrib import admin

from peertrain.core.admin import ModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    list_display = ("at", "actor", "action", "content_type", "object_id")
    list_filter = ("action",)
    search_fields = ("action", "actor__email", "object_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "content_type")
    readonly_fields = ("actor", "action", "content_type", "object_id", "data", "at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
