"""Co-trainers get a state: invited, accepted or declined (issue 9). Until now anyone listed
as a co-trainer counted at once; the people already listed keep counting (accepted)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def keep_existing_as_accepted(apps, schema_editor):
    session_model = apps.get_model("training", "TrainingSession")
    co_trainer_model = apps.get_model("training", "CoTrainer")
    through = session_model.co_trainers.through
    rows = through.objects.select_related("trainingsession")
    co_trainer_model.objects.bulk_create(
        [
            co_trainer_model(
                session_id=row.trainingsession_id,
                user_id=row.user_id,
                state="accepted",
                invited_by_id=row.trainingsession.lead_trainer_id,
                invited_at=row.trainingsession.created_at,
                answered_at=row.trainingsession.created_at,
            )
            for row in rows.iterator()
        ],
        batch_size=1000,
    )


def back_to_plain_list(apps, schema_editor):
    """Going back: only accepted co-trainers return to the plain list (the others never
    agreed to teach)."""
    session_model = apps.get_model("training", "TrainingSession")
    co_trainer_model = apps.get_model("training", "CoTrainer")
    through = session_model.co_trainers.through
    through.objects.bulk_create(
        [
            through(trainingsession_id=row.session_id, user_id=row.user_id)
            for row in co_trainer_model.objects.filter(state="accepted").iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_text_without_control_characters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CoTrainer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("invited", "Invited"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                        ],
                        default="invited",
                        max_length=10,
                    ),
                ),
                ("invited_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "invited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="co_teaching_invitations_sent",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_trainer_invitations",
                        to="training.trainingsession",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_teaching_invitations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "co-trainer",
                "indexes": [models.Index(fields=["user", "state"], name="cotrainer_user_state")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "user"), name="one_co_trainer_row_per_person"
                    )
                ],
            },
        ),
        migrations.RunPython(keep_existing_as_accepted, back_to_plain_list),
    ]
