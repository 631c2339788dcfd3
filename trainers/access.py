"""Named access helpers for trainers: each returns what a person may act on, or refuses."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peertrain.accounts.models import User
from programmes.models import Skill

from .selectors import valid_certifications


def certified_skills_for(*, user: User) -> list[Skill]:
    """The skills ``user`` may teach and verify today; refuses anyone who may teach none."""
    skills = list(
        Skill.objects.filter(
            pk__in=valid_certifications().filter(trainer__user=user).values("skill")
        ).order_by("name")
    )
    if not skills:
        raise PermissionDenied("This page is for certified trainers.")
    return skills


def skill_for_trainer(*, skills: list[Skill], skill_id: int | str) -> Skill:
    """One of ``skills`` (a trainer's, from ``certified_skills_for``), or refuse."""
    try:
        skill_id = int(skill_id)
    except (TypeError, ValueError) as exc:
        raise Http404("No such skill.") from exc
    for skill in skills:
        if skill.pk == skill_id:
            return skill
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise Http404("No such skill.")
    raise PermissionDenied(
        f"You can only assess skills you are certified to teach, and {skill} isn't one of them."
    )


def person_by_email(*, email: str) -> User:
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise Http404(f"Nobody with the email address {email} uses PeerTrain.")
    return person
