"""Reads about who teaches how much: the months a monthly cap counts, and the fair order
in which trainers are proposed for a session (rotation).

A session counts in the month it starts, in the session's own time zone, whether a draft
(a promise to teach), published or completed; a cancelled one doesn't. Validity and pause
are trainers' rule (``valid_certifications``), used here as it is.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.core.timezones import zone_named
from programmes.models import Skill
from trainers.models import TrainerProfile
from trainers.selectors import valid_certifications

from .models import TrainingSession

# The sessions a monthly cap counts (see the module's docstring).
COUNTED_STATUSES = (
    TrainingSession.Status.DRAFT,
    TrainingSession.Status.PUBLISHED,
    TrainingSession.Status.COMPLETED,
)

Month = tuple[int, int]  # (year, month)


def month_of(moment: datetime, zone: tzinfo) -> Month:
    local = moment.astimezone(zone)
    return (local.year, local.month)


def month_bounds(month: Month, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first instant of ``month`` in ``zone`` and the first instant of the next."""
    year, number = month
    following = (year + number // 12, number % 12 + 1)
    return (
        datetime(year, number, 1, tzinfo=zone),
        datetime(following[0], following[1], 1, tzinfo=zone),
    )


def month_name(month: Month) -> str:
    return datetime(month[0], month[1], 1).strftime("%B %Y")  # noqa: DTZ001 (a label only)


def sessions_led_by_month(
    *, trainer: User, months: Collection[Month], zone: tzinfo, ignoring: Collection[int] = ()
) -> Counter[Month]:
    """How many counted sessions ``trainer`` leads in each of ``months`` (in ``zone``), not
    counting the sessions ``ignoring``. One query."""
    if not months:
        return Counter()
    ranges = Q()
    for month in months:
        start, end = month_bounds(month, zone)
        ranges |= Q(starts_at__gte=start, starts_at__lt=end)
    starts = (
        TrainingSession.objects.filter(ranges, lead_trainer=trainer, status__in=COUNTED_STATUSES)
        .exclude(pk__in=list(ignoring))
        .values_list("starts_at", flat=True)
    )
    return Counter(month_of(start, zone) for start in starts)


# --- Rotation: who is proposed to teach a session, fairly --------------------------------
# How far back "sessions taught recently" looks.
ROTATION_WINDOW = timedelta(days=90)
# Sessions that were (or are being) held: what "taught recently" counts.
HELD_STATUSES = (TrainingSession.Status.PUBLISHED, TrainingSession.Status.COMPLETED)


@dataclass(frozen=True)
class RotationCandidate:
    profile: TrainerProfile
    recent_sessions: int  # led in the last ``ROTATION_WINDOW``
    last_session_at: datetime | None  # the start of the last one led, if any
    month_sessions: int  # counted towards their cap in the session's month

    @property
    def user(self) -> User:
        return self.profile.user


def rotation_candidates(
    *,
    skill: Skill,
    starts_at: datetime,
    time_zone: str = "",
    ignoring_session: int | None = None,
    now: datetime | None = None,
) -> list[RotationCandidate]:
    """Trainers who may lead a session of ``skill`` starting at ``starts_at``, in the fair
    order: active, certified for the skill with a certification still valid then, not
    paused (``valid_certifications``), under their monthly cap in the session's month;
    fewest sessions led in the last 90 days first, then longest since their last (never
    first), then by name. ``ignoring_session`` (the session being staffed) isn't counted.
    One query, whatever the number of trainers."""
    now = now or timezone.now()
    zone = zone_named(time_zone) or timezone.get_current_timezone()
    month_start, month_end = month_bounds(month_of(starts_at, zone), zone)
    led = Q(user__sessions_led__isnull=False)
    if ignoring_session is not None:
        led &= ~Q(user__sessions_led__pk=ignoring_session)
    held = led & Q(
        user__sessions_led__status__in=HELD_STATUSES, user__sessions_led__starts_at__lt=now
    )
    valid_then = valid_certifications().filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=starts_at),
        trainer=OuterRef("pk"),
        skill=skill,
    )
    profiles = (
        TrainerProfile.objects.filter(Exists(valid_then), user__is_active=True)
        .select_related("user")
        .annotate(
            month_sessions=Count(
                "user__sessions_led",
                filter=led
                & Q(
                    user__sessions_led__status__in=COUNTED_STATUSES,
                    user__sessions_led__starts_at__gte=month_start,
                    user__sessions_led__starts_at__lt=month_end,
                ),
            ),
            recent_sessions=Count(
                "user__sessions_led",
                filter=held & Q(user__sessions_led__starts_at__gte=now - ROTATION_WINDOW),
            ),
            last_session_at=Max("user__sessions_led__starts_at", filter=held),
        )
        .filter(month_sessions__lt=F("monthly_session_cap"))
        .order_by(
            "recent_sessions",
            F("last_session_at").asc(nulls_first=True),
            "user__display_name",
            "user__email",
            "pk",
        )
    )
    return [
        RotationCandidate(
            profile=profile,
            recent_sessions=profile.recent_sessions,
            last_session_at=profile.last_session_at,
            month_sessions=profile.month_sessions,
        )
        for profile in profiles
    ]
