from django.db import migrations

from peertrain.accounts.ld_staff import grant_ld_staff_permissions, model_permissions


def grant(apps, schema_editor):
    # L&D book people and cancel bookings, and correct attendance, in the admin (its writes
    # go through the services). No delete: bookings and attendance are history.
    grant_ld_staff_permissions(
        apps,
        app_label="training",
        codenames=[
            *model_permissions("booking", ("add", "change")),
            *model_permissions("attendance", ("change",)),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_bounded_dates_and_long_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
