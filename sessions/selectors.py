"""Reads for session pages, calendars and tasks."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from peertrain.accounts.models import User

from .models import Booking, TrainingSession

ACTIVE = (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)


@dataclass(frozen=True)
class SessionFilters:
    skill: int | None = None
    programme: int | None = None
    format: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    mode: str | None = None  # "in_person" | "remote"
    has_seats: bool = False
    q: str = ""


def upcoming_sessions(*, filters: SessionFilters | None = None) -> QuerySet[TrainingSession]:
    """Published sessions that haven't started, soonest first, filtered as asked."""
    filters = filters or SessionFilters()
    sessions = TrainingSession.objects.filter(
        status=TrainingSession.Status.PUBLISHED, starts_at__gt=timezone.now()
    )
    if filters.skill:
        sessions = sessions.filter(skill_id=filters.skill)
    if filters.programme:
        sessions = sessions.filter(programme_id=filters.programme)
    if filters.format:
        sessions = sessions.filter(format=filters.format)
    if filters.date_from:
        sessions = sessions.filter(starts_at__date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(starts_at__date__lte=filters.date_to)
    if filters.mode == "remote":
        sessions = sessions.exclude(video_url="")
    elif filters.mode == "in_person":
        sessions = sessions.exclude(location="")
    if filters.has_seats:
        sessions = sessions.filter(confirmed_count__lt=F("capacity"))
    if filters.q:
        sessions = sessions.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(skill__name__icontains=filters.q)
        )
    return sessions.select_related("skill", "programme", "lead_trainer").order_by("starts_at", "pk")


def session_detail(*, pk: int) -> TrainingSession:
    return (
        TrainingSession.objects.select_related("skill", "programme", "lead_trainer")
        .prefetch_related("co_trainers")
        .get(pk=pk)
    )


def active_booking_of(*, session: TrainingSession, user: User) -> Booking | None:
    if not user.is_authenticated:
        return None
    return Booking.objects.filter(session=session, user=user, status__in=ACTIVE).first()


def my_bookings(*, user: User, now: datetime | None = None) -> tuple[list[Booking], list[Booking]]:
    """(upcoming, past) active bookings of ``user``, each with its session."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(user=user, status__in=ACTIVE)
        .select_related("session", "session__skill", "session__lead_trainer")
        .order_by("session__starts_at")
    )
    upcoming = [b for b in bookings if b.session.ends_at > now]
    past = [b for b in bookings if b.session.ends_at <= now][::-1]
    return upcoming, past


def sessions_taught_by(*, user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(Q(lead_trainer=user) | Q(co_trainers=user))
        .distinct()
        .select_related("skill")
        .order_by("-starts_at")
    )


def roster(*, session: TrainingSession) -> list[Booking]:
    return list(
        Booking.objects.filter(session=session, status__in=ACTIVE)
        .select_related("user")
        .select_related("attendance")
        .order_by("status", "waitlist_position", "user__display_name")
    )


def feed_sessions_of(*, user: User) -> list[TrainingSession]:
    """Sessions for my calendar feed: those I'm booked on (or waiting for), and those I
    teach, from a month back onwards; cancelled ones stay so calendars drop them."""
    since = timezone.now() - timedelta(days=31)
    booked = Booking.objects.filter(user=user, status__in=ACTIVE).values("session_id")
    return list(
        TrainingSession.objects.filter(
            Q(pk__in=booked) | Q(lead_trainer=user) | Q(co_trainers=user),
            starts_at__gte=since,
        )
        .exclude(status=TrainingSession.Status.DRAFT)
        .distinct()
        .order_by("starts_at")
    )
