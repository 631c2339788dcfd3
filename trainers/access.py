"""Named access helpers for trainers: each returns what a person may act on, or refuses."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from peertrain.accounts.models import User
from programmes.models import Skill

from .errors import SkillNotCertified, UnknownAssessee
from .models import Certification, Nomination, TrainerProfile
from .selectors import certified_skills, lapsed_certifications

NOT_A_TRAINER = "This page is for trainers certified in a skill. Ask L&D about becoming one."


def certified_skills_for(*, user: User) -> QuerySet[Skill]:
    """The skills ``user`` may teach (propose sessions for) and verify levels in today, read
    once; refuses anyone who may teach none. The one "certified, or refuse" rule of pages."""
    skills = certified_skills(user=user)
    if not skills:  # reads the skills into the queryset, which later loops reuse
        raise PermissionDenied(NOT_A_TRAINER)
    return skills


def certified_or_lapsed_skills_for(*, user: User) -> tuple[QuerySet[Skill], list[Certification]]:
    """The skills ``user`` may teach today and their certifications that lapsed (expired,
    or teaching paused), for a page that says why a skill is missing. Refuses only someone
    with neither: a lapsed trainer is still told what happened (the page answers 403)."""
    lapsed = lapsed_certifications(user=user)
    skills = certified_skills(user=user)
    if not lapsed and not skills:
        raise PermissionDenied(NOT_A_TRAINER)
    return skills, lapsed


def skill_for_trainer(*, skills: Iterable[Skill], skill_id: int | str) -> Skill:
    """One of ``skills`` (a trainer's, from ``certified_skills_for``), or refuse it as the
    form's input: no such skill (404) or not one of theirs (403)."""
    try:
        skill_id = int(skill_id)
    except (TypeError, ValueError) as exc:
        raise UnknownAssessee("No such skill.", field="skill") from exc
    for skill in skills:
        if skill.pk == skill_id:
            return skill
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise UnknownAssessee("No such skill.", field="skill")
    raise SkillNotCertified(
        f"You can only assess skills you are certified to teach, and {skill} isn't one of them."
    )


# One answer for an unknown address and a deactivated account, which says neither, so the
# form can't be used to find out who has an account.
NO_PERSON = (
    "No level was recorded for {email}. Check it is the work email address they sign in with."
)


def person_by_email(*, email: str) -> User:
    """An active person by email address; anyone else is refused with ``NO_PERSON`` (404)."""
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise UnknownAssessee(NO_PERSON.format(email=email), field="email")
    return person


NO_NOMINATION = "No such nomination of yours."


def _nomination(pk: int, **scope) -> Nomination:
    nomination = (
        Nomination.objects.select_related("skill", "nominee", "nominated_by")
        .filter(pk=pk, **scope)
        .first()
    )
    if nomination is None:
        raise Http404(NO_NOMINATION)
    return nomination


def nomination_about(*, user: User, pk: int) -> Nomination:
    """A nomination of ``user`` (theirs to agree to or decline), or 404."""
    return _nomination(pk, nominee=user)


def nomination_made_by(*, user: User, pk: int) -> Nomination:
    """A nomination ``user`` made (theirs to withdraw), or 404."""
    return _nomination(pk, nominated_by=user)


def nomination_for_review(*, pk: int) -> Nomination:
    """Any nomination, for L&D (the view is ``ld_staff_required``), or 404."""
    return _nomination(pk)


def trainer_for_review(*, pk: int) -> TrainerProfile:
    """Any trainer profile, for L&D (the view is ``ld_staff_required``), or 404."""
    profile = TrainerProfile.objects.select_related("user").filter(pk=pk).first()
    if profile is None:
        raise Http404("No such trainer.")
    return profile
