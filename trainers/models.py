from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from peertrain.core.limits import LONG_TEXT_MAX_LENGTH, validate_date_window
from peertrain.core.text import validate_text

# A session on every day of the month is already more than anyone should be asked for.
MAX_MONTHLY_SESSIONS = 31


class TrainerProfile(models.Model):
    """A colleague on the way to (or already) teaching others."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        CANDIDATE = "candidate", "Candidate"
        IN_TRAINING = "in_training", "In training"
        CERTIFIED = "certified", "Certified"
        PAUSED = "paused", "Paused"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile"
    )
    bio = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH, validators=[validate_text])
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOMINATED, db_index=True
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_nominations",
    )
    monthly_session_cap = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(MAX_MONTHLY_SESSIONS)],
        help_text="Most sessions this trainer is asked to run in a month.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__display_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class Certification(models.Model):
    """A trainer may teach a skill from ``issued_at`` until ``expires_at`` (if any)."""

    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="certifications"
    )
    skill = models.ForeignKey(
        "programmes.Skill", on_delete=models.PROTECT, related_name="certifications"
    )
    issued_at = models.DateTimeField(validators=[validate_date_window])
    expires_at = models.DateTimeField(null=True, blank=True, validators=[validate_date_window])
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications_issued",
    )

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "skill"], name="one_certification_per_skill"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("issued_at")),
                name="certification_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer.user} — {self.skill}"
