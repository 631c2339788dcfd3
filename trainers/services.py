"""State changes for trainers. Each runs in one transaction and is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.core.limits import LONG_TEXT_MAX_LENGTH
from peertrain.core.text import validate_text

from .errors import TrainerBioError
from .models import Certification, TrainerProfile
from .transitions import check_transition, record_status_change


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
    """Change a trainer's profile (status, cap, bio) from the admin; audited. A status change
    follows ``LEGAL_TRANSITIONS`` like everywhere else."""
    with transaction.atomic():
        created = profile.pk is None
        old = (
            ""
            if created
            else TrainerProfile.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=profile.pk)
        )
        moved = bool(old) and old != profile.status
        if moved:
            check_transition(profile=profile, old=old, new=profile.status)
            profile.paused_from = old if profile.status == TrainerProfile.Status.PAUSED else ""
        profile.save()
        event_record(
            actor=by,
            code="trainers.profile." + ("created" if created else "changed"),
            target=profile,
            payload={"user": profile.user_id, "status": profile.status},
        )
        if moved:
            record_status_change(profile=profile, old=old, by=by)
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


def trainer_bio_update(*, profile: TrainerProfile, bio: str, by: User) -> TrainerProfile:
    """Save what ``profile``'s trainer says about themselves, shown in the directory: plain
    text (line breaks kept), bounded. Only the trainer themself changes it (L&D use the
    admin). Audited with the length before and after, only when it changed."""
    if by.pk != profile.user_id:
        raise TrainerBioError("Only the trainer themself can change their bio.", status_code=403)
    bio = bio.strip()
    if len(bio) > LONG_TEXT_MAX_LENGTH:  # the column's limit
        raise TrainerBioError(
            f"Keep your bio to {LONG_TEXT_MAX_LENGTH} characters or fewer (it has {len(bio)})."
        )
    try:
        validate_text(bio)
    except ValidationError as error:
        raise TrainerBioError(error.messages[0]) from None
    if bio == profile.bio:
        return profile
    with transaction.atomic():
        before = len(profile.bio)
        profile.bio = bio
        profile.save(update_fields=["bio", "updated_at"])
        event_record(
            actor=by,
            code="trainers.profile.bio_updated",
            target=profile,
            payload={"user": profile.user_id, "length_before": before, "length": len(bio)},
        )
    return profile
