from django.db import migrations

from peertrain.accounts.ld_staff import grant_ld_staff_permissions, model_permissions


def grant(apps, schema_editor):
    # View only: who co-teaches changes through the session pages, whose services check
    # the invitee's certification and ask for their consent. A row written directly
    # would skip both.
    grant_ld_staff_permissions(
        apps, app_label="training", codenames=model_permissions("cotrainer", ("view",))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_remove_trainingsession_co_trainers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
