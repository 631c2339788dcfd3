"""People nominated before nominations had their own record: each profile still "nominated"
becomes an open nomination for the skill its latest nomination audit row names (the only
place the skill was kept), so L&D find them in the review workspace."""

from django.db import migrations

from peertrain.accounts.ld_staff import grant_ld_staff_permissions, model_permissions

LEGACY_REASON = "Nominated before nominations recorded a reason."


def nominations_from_profiles(apps, schema_editor):
    TrainerProfile = apps.get_model("trainers", "TrainerProfile")
    Nomination = apps.get_model("trainers", "Nomination")
    Skill = apps.get_model("programmes", "Skill")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    profile_type = ContentType.objects.filter(app_label="trainers", model="trainerprofile").first()
    if profile_type is None:  # a fresh database: nothing was ever nominated
        return
    for profile in TrainerProfile.objects.filter(status="nominated"):
        event = (
            AuditEvent.objects.filter(
                action="trainers.nomination.recorded",
                content_type=profile_type,
                object_id=str(profile.pk),
            )
            .order_by("-at", "-pk")
            .first()
        )
        skill = Skill.objects.filter(slug=(event.data or {}).get("skill", "")).first() if event else None
        if skill is None or Nomination.objects.filter(
            nominee_id=profile.user_id, skill=skill, state="open"
        ).exists():
            continue
        Nomination.objects.create(
            nominee_id=profile.user_id,
            skill=skill,
            nominated_by_id=profile.nominated_by_id,
            reason=LEGACY_REASON,
        )


def grant_view(apps, schema_editor):
    # L&D read nominations in the admin; every change goes through the review workspace.
    grant_ld_staff_permissions(
        apps, app_label="trainers", codenames=model_permissions("nomination", ("view",))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trainers", "0006_nominations"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(nominations_from_profiles, migrations.RunPython.noop),
        migrations.RunPython(grant_view, migrations.RunPython.noop),
    ]
