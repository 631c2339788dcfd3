from django.db import migrations

from peertrain.core.text import one_line


def flatten_unsent_subjects(apps, schema_editor):
    """Rows recorded before subjects were flattened: a line break from a session title made
    the mail library refuse them on every attempt. Rows already given up on stay as they
    are (a reminder days late helps nobody); the rest go out on their next attempt."""
    Notification = apps.get_model("notifications", "Notification")
    unsent = Notification.objects.filter(sent_at__isnull=True).values_list("pk", "subject")
    for pk, subject in unsent.iterator():
        flat = one_line(subject)
        if flat != subject:
            Notification.objects.filter(pk=pk).update(subject=flat)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_ld_staff_permissions")]

    operations = [migrations.RunPython(flatten_unsent_subjects, migrations.RunPython.noop)]
