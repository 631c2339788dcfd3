"""State changes for trainers. Each runs in one transaction and is audited."""

from django.db import transaction

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from programmes.models import Skill

from .errors import NominationError
from .models import Certification, TrainerProfile


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
        event_record(
            actor=nominated_by,
            code="trainers.nomination.recorded",
            target=profile,
            payload={
                "user": user.pk,
                "skill": skill.slug,
                "created": created,
                "status": profile.status,
            },
        )
    return profile, created


def _certification_data(certification: Certification) -> dict:
    return {
        "trainer": certification.trainer.user_id,
        "skill": certification.skill.slug,
        "expires_at": certification.expires_at.isoformat() if certification.expires_at else None,
    }


def certification_save(*, certification: Certification, by: User) -> Certification:
    """Issue a certification, or change one (its skill or expiry); audited, since it decides
    who may teach. L&D do this in the admin."""
    issued = certification.pk is None
    with transaction.atomic():
        if issued and certification.issued_by_id is None:
            certification.issued_by = by
        certification.save()
        event_record(
            actor=by,
            code="trainers.certification." + ("issued" if issued else "changed"),
            target=certification,
            payload=_certification_data(certification),
        )
    return certification


def certification_revoke(*, certification: Certification, by: User) -> None:
    """Withdraw a certification; the audit row keeps what it was."""
    with transaction.atomic():
        event_record(
            actor=by,
            code="trainers.certification.revoked",
            target=certification,
            payload=_certification_data(certification),
        )
        certification.delete()


def trainer_profile_save(*, profile: TrainerProfile, by: User) -> TrainerProfile:
    """Change a trainer's profile (status, cap, bio) from the admin; audited."""
    with transaction.atomic():
        created = profile.pk is None
        profile.save()
        event_record(
            actor=by,
            code="trainers.profile." + ("created" if created else "changed"),
            target=profile,
            payload={"user": profile.user_id, "status": profile.status},
        )
    return profile


def trainer_profile_delete(*, profile: TrainerProfile, by: User) -> None:
    """Take someone off the trainer programme: each certification is revoked (audited as
    such), then the profile goes."""
    with transaction.atomic():
        for certification in profile.certifications.select_related("trainer", "skill"):
            certification_revoke(certification=certification, by=by)
        event_record(
            actor=by,
            code="trainers.profile.deleted",
            target=profile,
            payload={"user": profile.user_id, "status": profile.status},
        )
        profile.delete()
