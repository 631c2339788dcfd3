"""State changes for skills, assessments, targets and programmes. Each runs in one
transaction; actions others care about are audited."""

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import Team, User
from peertrain.audit.events import event_record

from .errors import LEVEL_ERROR, AssessmentError, ProgrammeError, TargetError
from .models import (
    AssessmentSource,
    CurrentSkillLevel,
    Priority,
    Programme,
    Skill,
    SkillAssessment,
    SkillLevel,
    SkillTarget,
)


def skill_save(*, skill: Skill, by: User) -> Skill:
    """Add a skill or change its name, slug, category or description (L&D, in the admin)."""
    with transaction.atomic():
        created = skill._state.adding
        skill.save()
        event_record(
            actor=by,
            code="programmes.skill.created" if created else "programmes.skill.updated",
            target=skill,
            payload={"skill": skill.slug},
        )
    return skill


def skill_delete(*, skill: Skill, by: User) -> None:
    """Delete a skill with its levels, history and targets. A skill someone is certified in
    or that sessions teach is protected by the database (the admin says which)."""
    with transaction.atomic():
        event_record(
            actor=by, code="programmes.skill.deleted", target=skill, payload={"skill": skill.slug}
        )
        skill.delete()


def _validate_level(level: int) -> None:
    if level not in SkillLevel.values:
        raise AssessmentError(LEVEL_ERROR)


def assessment_record(
    *,
    user: User,
    skill: Skill,
    level: int,
    source: str,
    assessed_by: User,
    note: str = "",
    at: datetime | None = None,
) -> SkillAssessment:
    """Add to a person's history and bring their current level up to date.

    The current level is the latest assessment. A level confirmed by someone else is
    remembered, so a later self-assessment shows as "pending verification".
    Who may assess whom is checked by the caller's access helper.
    """
    _validate_level(level)
    if source not in AssessmentSource.values:
        raise AssessmentError(f"Unknown assessment source {source!r}.")
    if (source == AssessmentSource.SELF) != (assessed_by.pk == user.pk):
        raise AssessmentError("Only you can self-assess; others assess you as lead or trainer.")
    at = at or timezone.now()
    with transaction.atomic():
        assessment = SkillAssessment.objects.create(
            user=user,
            skill=skill,
            level=level,
            source=source,
            assessed_by=assessed_by,
            note=note,
            created_at=at,
        )
        _update_current_level(assessment)
        # Every level recorded is an event (skill development is tracked from them); only
        # one recorded by someone else is audited (``ON_BEHALF`` in programmes/events.py).
        event_record(
            actor=assessed_by,
            code="programmes.assessment.recorded",
            target=assessment,
            payload={"user": user.pk, "skill": skill.slug, "level": level, "source": source},
        )
    return assessment


def _update_current_level(assessment: SkillAssessment) -> None:
    current, _ = CurrentSkillLevel.objects.get_or_create(
        user=assessment.user,
        skill=assessment.skill,
        defaults={
            "level": assessment.level,
            "source": assessment.source,
            "assessed_at": assessment.created_at,
        },
    )
    current = CurrentSkillLevel.objects.select_for_update().get(pk=current.pk)
    if current.assessed_at > assessment.created_at:
        return  # an older statement joined the history; the current level stands
    current.level = assessment.level
    current.source = assessment.source
    current.assessed_at = assessment.created_at
    if assessment.source != AssessmentSource.SELF:
        current.verified_level = assessment.level
        current.verified_source = assessment.source
    current.save()


def target_set(
    *, team: Team, skill: Skill, target_level: int, priority: int, by: User
) -> SkillTarget:
    if target_level not in SkillLevel.values or target_level == SkillLevel.NONE:
        raise TargetError("A target level is from 1 (aware) to 4 (can teach it).")
    if priority not in Priority.values:
        raise TargetError("Priority is low, medium or high.")
    with transaction.atomic():
        target, created = SkillTarget.objects.update_or_create(
            team=team,
            skill=skill,
            defaults={"target_level": target_level, "priority": priority},
        )
        event_record(
            actor=by,
            code="programmes.target.set",
            target=target,
            payload={
                "team": team.pk,
                "skill": skill.slug,
                "level": target_level,
                "priority": priority,
                "created": created,
            },
        )
    return target


def target_remove(*, target: SkillTarget, by: User) -> None:
    with transaction.atomic():
        event_record(
            actor=by,
            code="programmes.target.removed",
            target=target,
            payload={"team": target.team_id, "skill": target.skill.slug},
        )
        target.delete()


def _validate_programme(programme: Programme) -> None:
    """The model's own checks, refused as one ``ProgrammeError`` naming the input at fault
    (when only one is)."""
    try:
        programme.full_clean(exclude=["skills", "audience_teams"])
    except ValidationError as exc:
        errors = exc.message_dict
        message = " ".join(message for messages in errors.values() for message in messages)
        field = next(iter(errors)) if len(errors) == 1 else None
        raise ProgrammeError(message, field=None if field == NON_FIELD_ERRORS else field) from exc


def programme_save(
    *,
    by: User,
    programme: Programme | None = None,
    skills: list[Skill],
    audience_teams: list[Team],
    **fields,
) -> Programme:
    """Create a programme (``programme`` None, or one not saved yet), or update one, with its
    skills and audience."""
    with transaction.atomic():
        programme = programme or Programme()
        created = programme._state.adding
        for name, value in fields.items():
            setattr(programme, name, value)
        _validate_programme(programme)
        programme.save()
        programme.skills.set(skills)
        programme.audience_teams.set(audience_teams)
        event_record(
            actor=by,
            code="programmes.programme.created" if created else "programmes.programme.updated",
            target=programme,
            payload={"status": programme.status},
        )
    return programme


def programme_delete(*, programme: Programme, by: User) -> None:
    """Delete a programme (a draft made by mistake; a finished one is closed instead)."""
    with transaction.atomic():
        event_record(
            actor=by,
            code="programmes.programme.deleted",
            target=programme,
            payload={"title": programme.title, "status": programme.status},
        )
        programme.delete()
