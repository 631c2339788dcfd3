from django.db import migrations

from peertrain.accounts.ld_staff import grant_ld_staff_permissions, model_permissions


def grant(apps, schema_editor):
    grant_ld_staff_permissions(
        apps,
        app_label="programmes",
        codenames=[
            *model_permissions("skilltarget"),
            *model_permissions("programme"),
            *model_permissions("skillassessment", ("add", "view")),
            *model_permissions("currentskilllevel", ("view",)),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_assessments_targets_programmes")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
