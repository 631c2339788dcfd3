from django.contrib import admin, messages

from peertrain.core.admin import ModelAdmin

from .models import Notification
from .selectors import DELIVERY_STATES, delivery_state
from .services import notification_send_again


class DeliveryStateFilter(admin.SimpleListFilter):
    """Where a message is on its way; L&D's home page links here with ``?delivery=…``."""

    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return DELIVERY_STATES

    def queryset(self, request, queryset):
        state = self.value()
        if state is not None and state in dict(DELIVERY_STATES):
            return queryset.filter(delivery_state(state))
        return queryset


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = ("kind", "address", "created_at", "sent_at", "attempts", "status")
    list_filter = (
        DeliveryStateFilter,
        "kind",
        "channel",
        "outcome_unknown",
        ("sent_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("address", "kind", "unique_key", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A one-time link must not be readable by anyone but its recipient.
        if obj is not None and obj.sensitive:
            return [name for name in fields if name not in ("body", "body_html")]
        return fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_send_again_permission(self, request) -> bool:
        # L&D staff, who see the count of such messages on their home page.
        return self.has_view_permission(request)

    @admin.action(
        description="Send again (outcome unknown only: check it did not arrive first)",
        permissions=["send_again"],
    )
    def send_again(self, request, queryset):
        unknown = list(queryset.filter(sent_at=None, outcome_unknown=True))
        for notification in unknown:
            notification_send_again(notification=notification, by=request.user)
        skipped = queryset.count() - len(unknown)
        self.message_user(request, f"{len(unknown)} message(s) queued to be sent again.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} message(s) left alone: only an unknown outcome can be sent again.",
                messages.WARNING,
            )
