from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "email", "created_at", "sent_at", "attempts", "status")
    list_filter = ("kind", "channel", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "kind", "unique_key", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Notification._meta.fields]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A one-time link must not be readable by anyone but its recipient.
        if obj is not None and obj.sensitive:
            return [name for name in fields if name != "body"]
        return fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
