"""A trainer's workspace: what they teach next (today's first, with its attendance), their
drafts, sessions to wrap up, and invitations to co-teach waiting for an answer. Shown in
short on the home page and in full on /teaching/. A fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from peertrain.accounts.models import User
from sessions.models import CoTrainer, TrainingSession
from sessions.selectors import pending_co_teaching_invitations, taught_by

# Ended sessions still "published" are waiting for their lead to check the attendance and
# mark them completed; after this long the reminder would only be noise.
WRAP_UP_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class TeachingWorkspace:
    today: list[TrainingSession]  # running now or starting later today (local date)
    upcoming: list[TrainingSession]  # published, after today, soonest first
    more_upcoming: bool
    drafts: list[TrainingSession]  # not published yet, soonest first
    to_wrap_up: list[TrainingSession]  # ended recently, I lead them, not marked completed
    invitations: list[CoTrainer]  # to co-teach, waiting for my answer


def _mine(user: User):
    return TrainingSession.objects.filter(taught_by(user)).select_related("skill")


def teaching_workspace(*, user: User, shown: int, now: datetime | None = None) -> TeachingWorkspace:
    """``user``'s teaching, each list at most ``shown`` long. Four queries."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    published = list(
        _mine(user)
        .filter(status=TrainingSession.Status.PUBLISHED, ends_at__gt=now)
        .order_by("starts_at", "pk")[: shown * 2 + 1]
    )
    today = [s for s in published if timezone.localdate(s.starts_at) < tomorrow]
    later = [s for s in published if timezone.localdate(s.starts_at) >= tomorrow]
    drafts = list(
        _mine(user)
        .filter(status=TrainingSession.Status.DRAFT, ends_at__gt=now)
        .order_by("starts_at", "pk")[:shown]
    )
    to_wrap_up = list(
        TrainingSession.objects.filter(
            lead_trainer=user,
            status=TrainingSession.Status.PUBLISHED,
            ends_at__lte=now,
            ends_at__gt=now - WRAP_UP_WINDOW,
        )
        .select_related("skill")
        .order_by("-ends_at", "pk")[:shown]
    )
    return TeachingWorkspace(
        today=today[:shown],
        upcoming=later[:shown],
        more_upcoming=len(later) > shown,
        drafts=drafts,
        to_wrap_up=to_wrap_up,
        invitations=pending_co_teaching_invitations(user=user)[:shown],
    )
