from django.db import migrations

from peertrain.accounts.ld_staff import grant_ld_staff_permissions, model_permissions


def grant(apps, schema_editor):
    grant_ld_staff_permissions(
        apps,
        app_label="training",
        codenames=[
            *model_permissions("trainingsession"),
            *model_permissions("trainingseries"),
            *model_permissions("booking", ("view",)),
            *model_permissions("attendance", ("view",)),
            *model_permissions("learninginterest", ("view",)),
            *model_permissions("calendarfeed", ("delete",)),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
