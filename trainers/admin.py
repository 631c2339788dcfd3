from django.contrib import admin

from .models import Certification, TrainerProfile


class CertificationInline(admin.TabularInline):
    model = Certification
    fk_name = "trainer"
    extra = 0
    autocomplete_fields = ("skill", "issued_by")


@admin.register(TrainerProfile)
class TrainerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "status", "monthly_session_cap", "nominated_by")
    list_filter = ("status",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "nominated_by")
    autocomplete_fields = ("user", "nominated_by")
    inlines = [CertificationInline]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("trainer", "skill", "issued_at", "expires_at", "issued_by")
    list_filter = ("skill__category",)
    search_fields = ("trainer__user__email", "trainer__user__display_name", "skill__name")
    list_select_related = ("trainer__user", "skill", "issued_by")
    autocomplete_fields = ("trainer", "skill", "issued_by")
