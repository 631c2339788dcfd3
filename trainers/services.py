"""State changes for trainers. Each runs in one transaction and is audited."""

from django.db import transaction

from peertrain.accounts.models import User
from peertrain.audit.services import audit_record
from programmes.models import Skill

from .models import TrainerProfile


class NominationError(ValueError):
    """A nomination that cannot be recorded; the message is for people."""


def trainer_nominate(
    *, user: User, skill: Skill, nominated_by: User
) -> tuple[TrainerProfile, bool]:
    """Record that ``nominated_by`` suggests ``user`` as a trainer for ``skill``.

    A new profile starts as "nominated". Someone already on the programme keeps their
    profile and status as they are; the suggestion is still audited, so L&D can see who was
    put forward for what. Returns the profile and whether it was created.
    """
    if not user.is_active:
        raise NominationError(f"{user} no longer works here, so can't be nominated.")
    with transaction.atomic():
        profile, created = TrainerProfile.objects.get_or_create(
            user=user,
            defaults={"status": TrainerProfile.Status.NOMINATED, "nominated_by": nominated_by},
        )
        audit_record(
            actor=nominated_by,
            action="trainers.nomination.recorded",
            target=profile,
            data={
                "user": user.pk,
                "skill": skill.slug,
                "created": created,
                "status": profile.status,
            },
        )
    return profile, created
