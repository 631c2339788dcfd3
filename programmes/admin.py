from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from peertrain.core.admin import ModelAdmin

from .errors import AssessmentError, TargetError
from .models import CurrentSkillLevel, Programme, Skill, SkillAssessment, SkillTarget
from .services import assessment_record, programme_save, target_set


@admin.register(Skill)
class SkillAdmin(ModelAdmin):
    list_display = ("name", "category")
    list_filter = ("category",)
    search_fields = ("name", "category", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SkillTarget)
class SkillTargetAdmin(ModelAdmin):
    list_display = ("team", "skill", "target_level", "priority", "updated_at")
    list_filter = ("priority", "target_level", "skill__category")
    search_fields = ("team__name", "skill__name")
    list_select_related = ("team", "skill")
    autocomplete_fields = ("team", "skill")

    def save_model(self, request, obj, form, change):
        # Through the service, so the change is validated and audited like in the app.
        try:
            target_set(
                team=obj.team,
                skill=obj.skill,
                target_level=obj.target_level,
                priority=obj.priority,
                by=request.user,
            )
        except TargetError as exc:
            messages.error(request, str(exc))


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(ModelAdmin):
    """History is append-only: L&D can add an assessment (as trainer-verified) or read."""

    list_display = ("user", "skill", "level", "source", "assessed_by", "created_at")
    list_filter = ("source", "level", "skill__category")
    search_fields = ("user__email", "user__display_name", "skill__name")
    list_select_related = ("user", "skill", "assessed_by")
    autocomplete_fields = ("user", "skill")
    fields = ("user", "skill", "level", "source", "note")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = assessment_record(
                user=obj.user,
                skill=obj.skill,
                level=obj.level,
                source=obj.source,
                assessed_by=request.user,
                note=obj.note,
            )
        except AssessmentError as exc:
            raise ValidationError(str(exc)) from exc
        obj.pk = saved.pk


@admin.register(CurrentSkillLevel)
class CurrentSkillLevelAdmin(ModelAdmin):
    list_display = ("user", "skill", "level", "source", "assessed_at", "verified_level")
    list_filter = ("source", "level", "skill__category")
    search_fields = ("user__email", "user__display_name", "skill__name")
    list_select_related = ("user", "skill")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(ModelAdmin):
    list_display = ("title", "status", "owner", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("title", "goals")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "skills", "audience_teams")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        programme_save(
            by=request.user,
            programme=form.instance,
            skills=list(form.cleaned_data["skills"]),
            audience_teams=list(form.cleaned_data["audience_teams"]),
        )
