import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_handed_over_and_outcome_unknown"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The address a row goes to on its channel: an email address today, a chat user's id
        # when there are other channels. Renamed, so rows keep their addresses.
        migrations.RenameField(model_name="notification", old_name="email", new_name="address"),
        migrations.AlterField(
            model_name="notification",
            name="address",
            field=models.CharField(
                help_text="Where the message goes on its channel (an email address), as known "
                "when it was recorded.",
                max_length=254,
            ),
        ),
        # A registered channel's code; no choices, so a new channel needs no migration.
        migrations.AlterField(
            model_name="notification",
            name="channel",
            field=models.CharField(default="email", max_length=20),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(help_text="The plain-text message."),
        ),
        migrations.AddField(
            model_name="notification",
            name="body_html",
            field=models.TextField(blank=True, help_text="The HTML part, sent beside the text."),
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=100)),
                ("channel", models.CharField(default="email", max_length=20)),
                ("enabled", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preferences",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "kind", "channel"),
                        name="one_preference_per_kind_and_channel",
                    )
                ],
            },
        ),
    ]
