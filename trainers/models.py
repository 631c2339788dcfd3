from datetime import timedelta

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
    # Where "resume" returns a paused trainer to (blank unless paused).
    paused_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
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


# After a nomination is declined, nobody else puts the same person forward for the same skill
# again for this long: a "no" is respected, not worn down.
NOMINATION_REST_PERIOD = timedelta(days=90)


class Nomination(models.Model):
    """Someone puts a colleague (or themselves) forward to teach a skill, with a reason.

    The nominee agrees or declines; L&D accept them as a candidate or decline with a reason;
    the person who nominated may withdraw while it is open. Only an open nomination changes.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    skill = models.ForeignKey(
        "programmes.Skill", on_delete=models.PROTECT, related_name="trainer_nominations"
    )
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations_received"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="nominations_made",
    )
    reason = models.TextField(max_length=LONG_TEXT_MAX_LENGTH, validators=[validate_text])
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # When the nominee said yes to being considered; L&D accept only after that.
    nominee_agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(
        blank=True, max_length=LONG_TEXT_MAX_LENGTH, validators=[validate_text]
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "skill"],
                condition=Q(state="open"),
                name="one_open_nomination_per_skill",
            ),
            models.CheckConstraint(
                condition=Q(state="open", decided_at__isnull=True)
                | (~Q(state="open") & Q(decided_at__isnull=False)),
                name="nomination_decided_unless_open",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="nomination_by_state"),
            models.Index(fields=["nominee", "skill", "state"], name="nomination_of_person"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} for {self.skill} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
