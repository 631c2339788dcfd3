from django.contrib import admin

from peertrain.core.admin import ReadOnlyModelAdmin, ServiceModelAdmin, TabularInline

from .models import Certification, Nomination, TrainerProfile
from .services import (
    certification_revoke,
    certification_save,
    trainer_profile_delete,
    trainer_profile_save,
)


class CertificationInline(TabularInline):
    model = Certification
    fk_name = "trainer"
    extra = 0
    autocomplete_fields = ("skill", "issued_by")


@admin.register(TrainerProfile)
class TrainerProfileAdmin(ServiceModelAdmin):
    """Changes go through the trainers services, so certifying someone is audited as in the
    app (STYLE: services that change certifications record who did what)."""

    list_display = ("user", "status", "monthly_session_cap", "nominated_by")
    list_filter = ("status",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "nominated_by")
    autocomplete_fields = ("user", "nominated_by")
    # Kept by the status service (where "resume" returns to), not typed in.
    readonly_fields = ("paused_from",)
    inlines = [CertificationInline]

    def save_model(self, request, obj, form, change):
        trainer_profile_save(profile=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        for certification in formset.save(commit=False):
            certification_save(certification=certification, by=request.user)
        for certification in formset.deleted_objects:
            certification_revoke(certification=certification, by=request.user)

    def delete_model(self, request, obj):
        trainer_profile_delete(profile=obj, by=request.user)


@admin.register(Certification)
class CertificationAdmin(ServiceModelAdmin):
    list_display = ("trainer", "skill", "issued_at", "expires_at", "issued_by")
    list_filter = ("skill__category",)
    search_fields = ("trainer__user__email", "trainer__user__display_name", "skill__name")
    list_select_related = ("trainer__user", "skill", "issued_by")
    autocomplete_fields = ("trainer", "skill", "issued_by")

    def save_model(self, request, obj, form, change):
        certification_save(certification=obj, by=request.user)

    def delete_model(self, request, obj):
        certification_revoke(certification=obj, by=request.user)


@admin.register(Nomination)
class NominationAdmin(ReadOnlyModelAdmin):
    """Read only: nominations are answered on /trainers/nominations/ and decided in the
    review workspace (/trainers/review/), where the rules and notices live."""

    list_display = ("nominee", "skill", "state", "nominated_by", "created_at", "decided_at")
    list_filter = ("state", "skill__category")
    search_fields = ("nominee__email", "nominee__display_name", "skill__name")
    list_select_related = ("nominee", "skill", "nominated_by")
