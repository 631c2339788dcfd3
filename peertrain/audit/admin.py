from django.contrib import admin

from peertrain.core.admin import ReadOnlyModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ("at", "actor", "action", "content_type", "object_id")
    list_filter = ("action",)
    search_fields = ("action", "actor__email", "object_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "content_type")
    readonly_fields = ("actor", "action", "content_type", "object_id", "data", "at")
