"""What needs L&D's attention, each item with where to act on it: demand nobody is
meeting, nominations nobody has looked at, sessions about to run nearly empty, and
messages that didn't go out. A fixed number of queries whatever the data."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from peertrain.accounts.models import Team, User
from peertrain.notifications.selectors import (
    FAILED,
    STUCK,
    UNKNOWN,
    OutboxCounts,
    outbox_counts,
)
from programmes.models import Skill
from sessions.models import TrainingSession
from sessions.selectors import skill_demand
from trainers.selectors import valid_certifications
from trainers.selectors_nominations import open_nominations_count

SOON = timedelta(days=7)
NAMED = 3  # skills or sessions named in an item; its link shows them all
OUTBOX_ADMIN = "admin:notifications_notification_changelist"


@dataclass(frozen=True)
class AttentionItem:
    key: str  # stable, for tests and styling
    count: int
    text: str  # what needs doing, in a sentence
    url: str
    action: str  # the link's words
    examples: list = field(default_factory=list)  # (label, url) pairs of the first few


@dataclass(frozen=True)
class ProgrammeFigures:
    people: int
    teams: int
    skills: int
    certified_trainers: int
    outbox: OutboxCounts


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def unmet_demand_item() -> AttentionItem | None:
    demand: list[Any] = skill_demand()  # skills annotated with interested, next_session_at
    unmet = [skill for skill in demand if skill.next_session_at is None]
    if not unmet:
        return None
    people = sum(skill.interested for skill in unmet)
    return AttentionItem(
        key="demand",
        count=len(unmet),
        text=(
            f"{len(unmet)} {_plural(len(unmet), 'skill', 'skills')} wanted by {people} "
            f"{_plural(people, 'person', 'people')} with no session coming: find a trainer."
        ),
        url=reverse("training:demand"),
        action="See the demand",
        examples=[(f"{skill.name} ({skill.interested})", None) for skill in unmet[:NAMED]],
    )


def nominations_item() -> AttentionItem | None:
    waiting = open_nominations_count()
    if not waiting:
        return None
    return AttentionItem(
        key="nominations",
        count=waiting,
        text=(
            f"{waiting} {_plural(waiting, 'nomination', 'nominations')} to be a trainer "
            "waiting for a decision."
        ),
        url=reverse("trainers:review"),
        action="Review nominations",
    )


def under_booked_sessions(*, now: datetime) -> list[TrainingSession]:
    """Published sessions starting within ``SOON`` with fewer than half their seats
    booked, soonest first."""
    return list(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + SOON
        )
        .alias(booked_twice=F("confirmed_count") * 2)
        .filter(booked_twice__lt=F("capacity"))
        .only("pk", "title", "starts_at", "confirmed_count", "capacity")
        .order_by("starts_at", "pk")
    )


def under_booked_item(*, now: datetime) -> AttentionItem | None:
    sessions = under_booked_sessions(now=now)
    if not sessions:
        return None
    first = sessions[0]
    return AttentionItem(
        key="under_booked",
        count=len(sessions),
        text=(
            f"{len(sessions)} {_plural(len(sessions), 'session starts', 'sessions start')} "
            "within a week less than half booked: remind the teams who need it, or move it."
        ),
        url=first.get_absolute_url(),
        action=f"Open “{first.title}”",
        examples=[
            (f"{s.title} · {s.confirmed_count} of {s.capacity} booked", s.get_absolute_url())
            for s in sessions[:NAMED]
        ],
    )


def _outbox_url(state: str) -> str:
    return f"{reverse(OUTBOX_ADMIN)}?delivery={state}"


def outbox_items(counts: OutboxCounts) -> list[AttentionItem]:
    items = []
    if counts.failed:
        items.append(
            AttentionItem(
                key="failed",
                count=counts.failed,
                text=(
                    f"{counts.failed} {_plural(counts.failed, 'message', 'messages')} failed to "
                    "send after every retry: check the addresses and the mail server."
                ),
                url=_outbox_url(FAILED),
                action="See the failed messages",
            )
        )
    if counts.unknown:
        items.append(
            AttentionItem(
                key="unknown",
                count=counts.unknown,
                text=(
                    f"{counts.unknown} {_plural(counts.unknown, 'message', 'messages')} "
                    "maybe not delivered: ask the recipient, then send again if it didn't arrive."
                ),
                url=_outbox_url(UNKNOWN),
                action="See them and send again",
            )
        )
    if counts.stuck:
        items.append(
            AttentionItem(
                key="stuck",
                count=counts.stuck,
                text=(
                    f"{counts.stuck} {_plural(counts.stuck, 'message has', 'messages have')} "
                    "been due for over ten minutes and not sent: is the worker running?"
                ),
                url=_outbox_url(STUCK),
                action="See the waiting messages",
            )
        )
    return items


def attention_items(*, outbox: OutboxCounts, now: datetime) -> list[AttentionItem]:
    """Everything L&D should look at now, most pressing first. Four queries (the outbox
    counts are read once, with the figures)."""
    found = [
        *outbox_items(outbox),
        under_booked_item(now=now),
        nominations_item(),
        unmet_demand_item(),
    ]
    return [item for item in found if item is not None]


def programme_figures(*, now: datetime | None = None) -> ProgrammeFigures:
    return ProgrammeFigures(
        people=User.objects.filter(is_active=True).count(),
        teams=Team.objects.count(),
        skills=Skill.objects.count(),
        certified_trainers=valid_certifications().values("trainer").distinct().count(),
        outbox=outbox_counts(now=now or timezone.now()),
    )
