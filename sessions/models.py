import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from peertrain.core.limits import LONG_TEXT_MAX_LENGTH
from peertrain.core.text import validate_single_line, validate_text


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class TrainingSeries(models.Model):
    """A recurring session (e.g. weekly until a date); each occurrence is its own session."""

    title = models.CharField(max_length=200, validators=[validate_single_line])
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_series"
    )
    every_weeks = models.PositiveSmallIntegerField(default=1)
    until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "training series"

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        DISCUSSION = "discussion", "Discussion"
        HANDS_ON = "hands_on", "Hands-on"
        ROLE_PLAY = "role_play", "Role-play"
        CASE_STUDY = "case_study", "Case study"
        DEMO = "demo", "Demo"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    skill = models.ForeignKey(
        "programmes.Skill", on_delete=models.PROTECT, related_name="training_sessions"
    )
    series = models.ForeignKey(
        TrainingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="occurrences",
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(
        blank=True, max_length=LONG_TEXT_MAX_LENGTH, validators=[validate_text]
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.WORKSHOP)
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_led"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_single_line]
    )
    location = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    video_url = models.URLField(blank=True, validators=[validate_single_line])
    capacity = models.PositiveIntegerField()
    booking_deadline = models.DateTimeField(null=True, blank=True)
    waitlist_open = models.BooleanField(default=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Denormalised, changed only under the session's row lock by the booking services.
    confirmed_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    check_in_secret = models.CharField(max_length=64, default=new_secret)
    calendar_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="session_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity"))
                | Q(status="cancelled")
                | Q(status="completed"),
                name="session_never_oversold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("training:detail", args=[self.pk])

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_remote(self) -> bool:
        return bool(self.video_url)

    @property
    def effective_booking_deadline(self):
        return self.booking_deadline or self.starts_at

    @property
    def takes_attendance(self) -> bool:
        """Attendance is taken while a session runs and corrected after it is completed."""
        return self.status in (self.Status.PUBLISHED, self.Status.COMPLETED)


class CoTrainerQuerySet(models.QuerySet):
    def accepted(self) -> "CoTrainerQuerySet":
        """The co-trainers who count: those who said yes. Everything that lets a
        co-trainer see or do something (drafts, the roster, the check-in code, being named
        on the page, not booking a seat) reads this, never the rows of any state."""
        return self.filter(state=CoTrainer.State.ACCEPTED)

    def pending(self) -> "CoTrainerQuerySet":
        return self.filter(state=CoTrainer.State.INVITED)


class CoTrainer(models.Model):
    """A colleague the lead trainer asked to teach a session with them, and their answer.
    Until they accept they are only invited: no more rights on the session than anyone."""

    class State(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="co_trainer_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_teaching_invitations"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="co_teaching_invitations_sent",
    )
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CoTrainerQuerySet.as_manager()

    class Meta:
        verbose_name = "co-trainer"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_co_trainer_row_per_person"
            )
        ]
        indexes = [models.Index(fields=["user", "state"], name="cotrainer_user_state")]

    def __str__(self) -> str:
        return f"{self.user} co-teaching {self.session} ({self.state})"


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # 1..n among the session's waitlisted bookings, renumbered under the session lock.
    # (No unique index: PostgreSQL checks one per row mid-UPDATE, which renumbering trips.)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings_made_for_others",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_booking_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="waitlist_position_iff_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="booking_user_status")]

    def __str__(self) -> str:
        return f"{self.user} → {self.session} ({self.status})"


class Attendance(models.Model):
    """Who was there. Usually tied to a booking; a walk-in has none until the trainer
    approves them."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_records"
    )
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    walk_in = models.BooleanField(default=False)
    walk_in_approved_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance_recorded",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}: {self.status}"

    @property
    def was_there(self) -> bool:
        """Present or late: the person came (a walk-in still needs the trainer's approval)."""
        return self.status in (self.Status.PRESENT, self.Status.LATE)

    @property
    def counts_as_attended(self) -> bool:
        return self.was_there and (not self.walk_in or self.walk_in_approved_at is not None)


class LearningInterest(models.Model):
    """ "I want to learn this": demand for a skill, told first when a session is published."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_interests"
    )
    skill = models.ForeignKey(
        "programmes.Skill", on_delete=models.CASCADE, related_name="learning_interests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_interest_per_skill")
        ]

    def __str__(self) -> str:
        return f"{self.user} wants to learn {self.skill}"


class CalendarFeed(models.Model):
    """A person's private calendar subscription URL. Resetting the token revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_secret)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
