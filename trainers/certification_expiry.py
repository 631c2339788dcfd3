"""Warnings before a certification expires, recorded in the outbox by a periodic task.

A certification is warned about 30 days and again 7 days before it expires: its trainer
and every L&D staff member are told. Each warning's key names the certification, the
threshold, its expiry and the reader, so a task that runs twice tells people once, and a
certification renewed (a new expiry) is warned about afresh.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.accounts.selectors import ld_staff_members
from peertrain.notifications.notify import notifications_recorded, notify

from .models import Certification
from .selectors import valid_certifications

# Days before expiry; a certification within several gets the nearest one only.
WARNING_DAYS = (7, 30)


@dataclass(frozen=True)
class Warning:
    certification: Certification
    days: int  # the threshold it is within
    recipient: User
    kind: str

    @property
    def key(self) -> str:
        stamp = f"{self.certification.expires_at:%Y%m%dT%H%M}"
        return f"{self.kind}:{self.certification.pk}:{self.days}d:{stamp}:{self.recipient.pk}"


def certifications_expiring(*, now: datetime) -> list[tuple[Certification, int]]:
    """Valid certifications of active trainers expiring within the widest threshold, each
    with the nearest threshold it is within, soonest first. One query."""
    horizon = now + timedelta(days=max(WARNING_DAYS))
    rows = (
        valid_certifications()
        .filter(expires_at__gt=now, expires_at__lte=horizon, trainer__user__is_active=True)
        .select_related("skill", "trainer__user")
        .order_by("expires_at", "pk")
    )
    return [(row, _nearest_threshold(row, now=now)) for row in rows]


def _nearest_threshold(certification: Certification, *, now: datetime) -> int:
    """The smallest threshold ``certification`` (filtered to expire within the widest)
    is within."""
    left = (certification.expires_at or now) - now
    return next(days for days in sorted(WARNING_DAYS) if left <= timedelta(days=days))


def certification_expiry_warnings_record(*, now: datetime | None = None) -> int:
    """Record every expiry warning that is due and not yet recorded, to each trainer and
    to L&D. Returns how many were recorded."""
    now = now or timezone.now()
    expiring = certifications_expiring(now=now)
    if not expiring:
        return 0
    ld_staff = ld_staff_members()
    warnings = []
    for certification, days in expiring:
        trainer = certification.trainer.user
        warnings.append(Warning(certification, days, trainer, "trainers.certification.expiring"))
        warnings += [
            Warning(certification, days, person, "trainers.certification.expiring_ld")
            for person in ld_staff
        ]
    known = notifications_recorded(keys=[warning.key for warning in warnings])
    recorded = 0
    with transaction.atomic():
        for warning in warnings:
            if warning.key in known:
                continue
            rows = notify(
                recipient=warning.recipient,
                kind=warning.kind,
                key=warning.key,
                related=warning.certification,
                context={
                    "certification": warning.certification,
                    "trainer": warning.certification.trainer.user,
                    "skill": warning.certification.skill,
                    "days": warning.days,
                },
            )
            recorded += bool(rows)
    return recorded
