"""Published sessions whose trainer may no longer teach their skill (a certification that
expired or was withdrawn, teaching paused) go ahead: new sessions are refused
(``trainer_teaching_check``), but these stay, and L&D is told so they can decide (renew,
find another trainer through rotation, or cancel).

A periodic task tells every L&D staff member once per trainer, skill and lapse: the key
names the certification's state (its expiry, "paused", …), so a task that runs twice tells
them once, and a certification that lapses again after a renewal is news again.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.accounts.selectors import ld_staff_members
from peertrain.notifications.notify import notifications_recorded, notify
from programmes.models import Skill
from trainers.models import Certification, TrainerProfile
from trainers.selectors import valid_certifications

from ..models import TrainingSession

KIND = "training.session.trainer_lapsed"


@dataclass
class Lapse:
    trainer: User
    skill: Skill
    reason: str  # "expired", "paused" or "uncertified"
    stamp: str  # which lapse: a renewal that lapses again is a new one
    expired_at: datetime | None = None
    sessions: list[TrainingSession] = field(default_factory=list)

    def key(self, reader: User) -> str:
        return f"{KIND}:{self.trainer.pk}:{self.skill.pk}:{self.stamp}:{reader.pk}"


def sessions_with_lapsed_trainers(*, now: datetime) -> list[Lapse]:
    """Upcoming published sessions whose lead trainer has no valid certification for the
    session's skill, grouped per trainer and skill, soonest first. Two queries."""
    sessions = list(
        TrainingSession.objects.filter(status=TrainingSession.Status.PUBLISHED, starts_at__gt=now)
        .exclude(
            Exists(
                valid_certifications().filter(
                    trainer__user=OuterRef("lead_trainer"), skill=OuterRef("skill")
                )
            )
        )
        .select_related("lead_trainer", "skill")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    certifications = {
        (row.trainer.user_id, row.skill_id): row
        for row in Certification.objects.filter(
            trainer__user__in={session.lead_trainer_id for session in sessions},
            skill__in={session.skill_id for session in sessions},
        ).select_related("trainer")
    }
    lapses: dict[tuple[int, int], Lapse] = {}
    for session in sessions:
        pair = (session.lead_trainer_id, session.skill_id)
        if pair not in lapses:
            lapses[pair] = _lapse(session, certifications.get(pair), now=now)
        lapses[pair].sessions.append(session)
    return list(lapses.values())


def _lapse(session: TrainingSession, certification: Certification | None, *, now) -> Lapse:
    trainer, skill = session.lead_trainer, session.skill
    if certification is None:
        return Lapse(trainer, skill, reason="uncertified", stamp="withdrawn")
    if certification.trainer.status == TrainerProfile.Status.PAUSED:
        return Lapse(trainer, skill, reason="paused", stamp="paused")
    expires_at = certification.expires_at
    if expires_at is not None and expires_at <= now:
        stamp = f"expired-{expires_at:%Y%m%dT%H%M}"
        return Lapse(trainer, skill, reason="expired", stamp=stamp, expired_at=expires_at)
    return Lapse(trainer, skill, reason="uncertified", stamp=certification.trainer.status)


def lapsed_trainer_sessions_tell(*, now: datetime | None = None) -> int:
    """Tell L&D about each trainer whose published sessions of a skill go ahead although
    they may no longer teach it, once per lapse. Returns how many messages were recorded."""
    now = now or timezone.now()
    lapses = sessions_with_lapsed_trainers(now=now)
    if not lapses:
        return 0
    readers = ld_staff_members()
    due = {lapse.key(reader): (lapse, reader) for lapse in lapses for reader in readers}
    known = notifications_recorded(keys=list(due))
    recorded = 0
    with transaction.atomic():
        for key, (lapse, reader) in due.items():
            if key in known:
                continue
            rows = notify(
                recipient=reader,
                kind=KIND,
                key=key,
                related=lapse.sessions[0],
                context={"lapse": lapse, "trainer": lapse.trainer, "skill": lapse.skill},
            )
            recorded += bool(rows)
    return recorded
