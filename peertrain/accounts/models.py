from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from peertrain.core.text import validate_single_line
from peertrain.core.timezones import time_zone_names


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/London).")


def site_language() -> str:
    """A new account reads the site's language until its owner picks another."""
    return settings.LANGUAGE_CODE


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[validate_single_line])
    lead = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_teams",
        help_text="The team this one belongs to, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person in the organisation. Signs in with their email address."""

    email = models.EmailField("email address", unique=True, validators=[validate_single_line])
    display_name = models.CharField(max_length=150, blank=True, validators=[validate_single_line])
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(max_length=150, blank=True, validators=[validate_single_line])
    time_zone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_single_line, validate_time_zone],
    )
    language = models.CharField(
        max_length=16,
        default=site_language,
        # A row written without it (code from before the column, during a deploy, or a
        # migration test's older state) reads the site's language as a new account does;
        # an unknown value falls back the same way (``reading_language``).
        db_default="en-gb",
        help_text="The language pages and messages are in; one of settings.LANGUAGES.",
    )
    share_skill_levels = models.BooleanField(
        "colleagues may see my skill levels",
        default=False,
        help_text="Your lead(s) and L&D always can; this opens them to everyone else.",
    )
    suggest_me_as_teacher = models.BooleanField(
        "suggest me to colleagues who want to learn what I know",
        default=False,
    )
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the admin (L&D staff also need the group)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def reading_language(self) -> str:
        """The language this person's pages and messages are in: their choice while the site
        offers it (settings.LANGUAGES), otherwise the site's."""
        if self.language in dict(settings.LANGUAGES):
            return self.language
        return settings.LANGUAGE_CODE

    @classmethod
    def text_limit(cls, name: str) -> int:
        """How many characters the text column ``name`` holds."""
        field = cls._meta.get_field(name)
        if not isinstance(field, models.CharField) or field.max_length is None:
            raise TypeError(f"User.{name} is not a text column with a limit.")
        return field.max_length

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return (self.display_name or self.email).split(" ")[0]
