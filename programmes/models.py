from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from peertrain.core.limits import LONG_TEXT_MAX_LENGTH, validate_date_window
from peertrain.core.text import validate_single_line, validate_text

# A programme is a plan for a quarter or a year or two; five years is already a strategy.
PROGRAMME_MAX_YEARS = 5


class Skill(models.Model):
    """Something people can know, teach and learn."""

    name = models.CharField(max_length=120, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=140, unique=True, validators=[validate_single_line])
    category = models.CharField(max_length=80, db_index=True, validators=[validate_single_line])
    description = models.TextField(
        blank=True, max_length=LONG_TEXT_MAX_LENGTH, validators=[validate_text]
    )

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.IntegerChoices):
    NONE = 0, "0 · None — haven't used it"
    AWARE = 1, "1 · Aware — know what it is, need help to use it"
    WORKING = 2, "2 · Working — can do routine work on my own"
    PROFICIENT = 3, "3 · Proficient — handle hard cases, help others"
    EXPERT = 4, "4 · Expert — can teach it"


class AssessmentSource(models.TextChoices):
    """Who said so. Ranked: a trainer's word outweighs a lead's, a peer's, then one's own."""

    SELF = "self", "Self"
    PEER = "peer", "Peer"
    LEAD = "lead", "Team lead"
    TRAINER = "trainer", "Trainer"


SOURCE_RANK = {
    AssessmentSource.SELF: 0,
    AssessmentSource.PEER: 1,
    AssessmentSource.LEAD: 2,
    AssessmentSource.TRAINER: 3,
}


class SkillAssessment(models.Model):
    """One statement of someone's level in a skill. Never edited: history is kept."""

    # Indexed as the leading column of assessment_history; a second index only costs writes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="skill_assessments",
        db_index=False,
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="assessments")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    source = models.CharField(max_length=10, choices=AssessmentSource.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_assessments_given",
    )
    note = models.CharField(max_length=500, blank=True, validators=[validate_single_line])
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "skill", "-created_at"], name="assessment_history")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4), name="assessment_level_0_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.skill}: {self.level} ({self.source})"


class CurrentSkillLevel(models.Model):
    """The latest assessment per (person, skill), kept by ``assessment_record``.

    Pages read this table instead of scanning the whole history for the latest row.
    """

    # user and skill lead one_current_level and current_level_by_skill, which serve their
    # lookups; the plain FK indexes only cost writes (and misled the planner, see README).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="current_skill_levels",
        db_index=False,
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="current_levels", db_index=False
    )
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    source = models.CharField(max_length=10, choices=AssessmentSource.choices)
    assessed_at = models.DateTimeField()
    # The latest level someone other than the person confirmed, if any.
    verified_level = models.PositiveSmallIntegerField(null=True, blank=True)
    verified_source = models.CharField(max_length=10, choices=AssessmentSource.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_current_level"),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4), name="current_level_0_4"
            ),
        ]
        indexes = [models.Index(fields=["skill", "level"], name="current_level_by_skill")]

    def __str__(self) -> str:
        return f"{self.user} · {self.skill}: {self.level}"

    @property
    def is_verified(self) -> bool:
        return self.source != AssessmentSource.SELF

    @property
    def pending_verification(self) -> bool:
        """Self-assessed after someone else had verified a level."""
        return self.source == AssessmentSource.SELF and self.verified_level is not None

    @property
    def source_label(self) -> str:
        if self.pending_verification:
            return "self, pending verification"
        if self.source == AssessmentSource.SELF:
            return "self-assessed"
        return f"verified by {AssessmentSource(self.source).label.lower()}"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class SkillTarget(models.Model):
    """The level a team needs its members to reach in a skill."""

    # Indexed as the leading column of one_target_per_team_skill.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="skill_targets", db_index=False
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="targets")
    target_level = models.PositiveSmallIntegerField(choices=SkillLevel.choices[1:])
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name", "-priority", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "skill"], name="one_target_per_team_skill"),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=4), name="target_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.skill} ≥ {self.target_level}"


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200, validators=[validate_single_line])
    goals = models.TextField(
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text="What people should be able to do afterwards.",
        validators=[validate_text],
    )
    skills = models.ManyToManyField(Skill, related_name="programmes")
    audience_teams = models.ManyToManyField(
        "accounts.Team", related_name="programmes", help_text="Who the programme is for."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programmes_owned"
    )
    starts_on = models.DateField(validators=[validate_date_window])
    ends_on = models.DateField(null=True, blank=True, validators=[validate_date_window])
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        starts, ends = self.starts_on, self.ends_on
        if starts and ends and ends < starts:
            raise ValidationError({"ends_on": "The end date can't be before the start date."})
        # Compared as (year, month, day): no date arithmetic to overflow or to trip on 29 Feb.
        if (
            starts
            and ends
            and (ends.year, ends.month, ends.day)
            > (
                starts.year + PROGRAMME_MAX_YEARS,
                starts.month,
                starts.day,
            )
        ):
            raise ValidationError(
                {"ends_on": f"A programme can run for at most {PROGRAMME_MAX_YEARS} years."}
            )
