from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One message to one person on one channel: written in the sender's transaction, sent
    by a worker.

    A row exists before anything is sent, so a broker outage loses nothing and a retried
    task never sends twice (the worker claims the row with a conditional update first).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    address = models.CharField(
        max_length=254,
        help_text="Where the message goes on its channel (an email address), as known when "
        "it was recorded.",
    )
    kind = models.CharField(max_length=100, help_text="Dotted code, e.g. training.booking.promoted")
    # A registered channel's code (channels.py); not choices, so a new channel needs no migration.
    channel = models.CharField(max_length=20, default="email")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    related_object = GenericForeignKey("content_type", "object_id")
    unique_key = models.CharField(
        max_length=255,
        unique=True,
        help_text="Recording the same key twice gives one row and one message.",
    )
    subject = models.CharField(max_length=255)
    body = models.TextField(help_text="The plain-text message.")
    body_html = models.TextField(blank=True, help_text="The HTML part, sent beside the text.")
    payload = models.JSONField(default=dict, blank=True)
    sensitive = models.BooleanField(
        default=False, help_text="Carries a one-time link; the body is wiped once sent."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(
        help_text="When the relay should (re)send it if nobody has by then."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker gave it to the mail server; without sent_at, maybe delivered.",
    )
    outcome_unknown = models.BooleanField(
        default=False,
        help_text="Handed over but never confirmed: maybe delivered; never re-sent by itself.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_unsent_due",
                condition=Q(sent_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.outcome_unknown:
            return "outcome unknown"
        if self.claimed_at or self.handed_over_at:
            return "sending"
        if self.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            return "failed"
        return "retrying" if self.attempts else "queued"


class NotificationPreference(models.Model):
    """A person's choice for one kind on one channel. No row means "on": only a kind someone
    switched off (or back on) has one, and only optional kinds are honoured (``kinds.py``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=100)
    channel = models.CharField(max_length=20, default="email")
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="one_preference_per_kind_and_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} on {self.channel}: {'on' if self.enabled else 'off'}"
