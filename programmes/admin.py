"""The admin of skills, targets, assessments and programmes. Every write goes through the
programmes services (``ServiceModelAdmin``), so it is validated and audited as in the app,
and a refusal shows on the form with nothing saved."""

from django.contrib import admin

from peertrain.core.admin import ReadOnlyModelAdmin, ServiceModelAdmin

from .models import CurrentSkillLevel, Programme, Skill, SkillAssessment, SkillTarget
from .services import (
    assessment_record,
    programme_delete,
    programme_save,
    skill_delete,
    skill_save,
    target_remove,
    target_set,
)


@admin.register(Skill)
class SkillAdmin(ServiceModelAdmin):
    list_display = ("name", "category")
    list_filter = ("category",)
    search_fields = ("name", "category", "description")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        skill_save(skill=obj, by=request.user)

    def delete_model(self, request, obj):
        skill_delete(skill=obj, by=request.user)


@admin.register(SkillTarget)
class SkillTargetAdmin(ServiceModelAdmin):
    list_display = ("team", "skill", "target_level", "priority", "updated_at")
    list_filter = ("priority", "target_level", "skill__category")
    search_fields = ("team__name", "skill__name")
    list_select_related = ("team", "skill")
    autocomplete_fields = ("team", "skill")

    def get_readonly_fields(self, request, obj=None):
        # A target is the (team, skill) pair: another pair is another target, added anew.
        return ("team", "skill") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = target_set(
            team=obj.team,
            skill=obj.skill,
            target_level=obj.target_level,
            priority=obj.priority,
            by=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        target_remove(target=obj, by=request.user)


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(ServiceModelAdmin):
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
        saved = assessment_record(
            user=obj.user,
            skill=obj.skill,
            level=obj.level,
            source=obj.source,
            assessed_by=request.user,
            note=obj.note,
        )
        obj.pk = saved.pk


@admin.register(CurrentSkillLevel)
class CurrentSkillLevelAdmin(ReadOnlyModelAdmin):
    """Derived from the history by ``assessment_record``: read only."""

    list_display = ("user", "skill", "level", "source", "assessed_at", "verified_level")
    list_filter = ("source", "level", "skill__category")
    search_fields = ("user__email", "user__display_name", "skill__name")
    list_select_related = ("user", "skill")


@admin.register(Programme)
class ProgrammeAdmin(ServiceModelAdmin):
    list_display = ("title", "status", "owner", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("title", "goals")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "skills", "audience_teams")

    def save_model(self, request, obj, form, change):
        pass  # saved once, with its skills and audience, in save_related

    def save_related(self, request, form, formsets, change):
        programme_save(
            by=request.user,
            programme=form.instance,
            skills=list(form.cleaned_data["skills"]),
            audience_teams=list(form.cleaned_data["audience_teams"]),
        )

    def delete_model(self, request, obj):
        programme_delete(programme=obj, by=request.user)
