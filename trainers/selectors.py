from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from peertrain.accounts.models import User
from programmes.models import Skill

from .errors import SkillFilterError
from .models import Certification, TrainerProfile


def valid_certifications() -> QuerySet[Certification]:
    """Certifications that let someone teach today: a certified (not paused) trainer,
    not expired."""
    return Certification.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
        trainer__status=TrainerProfile.Status.CERTIFIED,
    )


def certified_skills(*, user: User) -> QuerySet[Skill]:
    """The skills ``user`` may teach (and verify levels in) today, by name."""
    return Skill.objects.filter(
        pk__in=valid_certifications().filter(trainer__user=user).values("skill_id")
    ).order_by("name")


def who_may_co_teach(*, skill: Skill, user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` may co-teach a session of ``skill`` today, in one query.

    Today that is whoever may teach it (the rule of ``certified_skills``: a valid
    certification of a certified trainer).

    SEAM (train-the-trainer tracks): a trainee enrolled on a track for ``skill`` whose
    current step is "co-teach a session" must be accepted here too. Tracks don't exist yet;
    when they do, add those trainees to this set, and every invitation (sessions'
    ``co_trainers_invite``) and acceptance follows, because both ask only this function.
    """
    return set(
        valid_certifications()
        .filter(skill=skill, trainer__user_id__in=list(user_ids))
        .values_list("trainer__user_id", flat=True)
    )


def is_trainer_expression(user_ref: str = "pk") -> Exists:
    """For annotations: does the user in ``user_ref`` hold a valid certification?"""
    return Exists(valid_certifications().filter(trainer__user=OuterRef(user_ref)))


def trainer_profile_for(*, user: User) -> TrainerProfile | None:
    return TrainerProfile.objects.filter(user=user).first()


def certifications_of(*, profile: TrainerProfile) -> list[Certification]:
    return list(profile.certifications.select_related("skill", "issued_by").order_by("skill__name"))


# --- The trainer directory (/trainers/) ----------------------------------------------------
# Ids come from the query string; beyond this they can't be a row and would overflow the
# database's integer.
MAX_ID = 2**31 - 1


def teaching_certifications() -> QuerySet[Certification]:
    """``valid_certifications()`` of people who still work here: what the directory lists."""
    return valid_certifications().filter(trainer__user__is_active=True)


def directory_skills() -> list[Skill]:
    """Skills with at least one trainer who can teach them today, each with
    ``trainer_count``, by name. One query."""
    return list(
        Skill.objects.annotate(
            trainer_count=Count(
                "certifications", filter=Q(certifications__in=teaching_certifications())
            )
        )
        .filter(trainer_count__gt=0)
        .order_by("name")
    )


def directory_skill(*, skill_id: str, choices: list[Skill]) -> Skill | None:
    """The skill ``?skill=`` names: one of ``choices`` (from ``directory_skills()``), else
    any skill (nobody teaches it yet). Blank means no filter; anything else is refused."""
    if not skill_id.strip():
        return None
    try:
        pk = int(skill_id)
    except ValueError:
        pk = 0
    if not 0 < pk <= MAX_ID:
        raise SkillFilterError("That skill filter isn't a skill. Choose one from the list.")
    skill = next((choice for choice in choices if choice.pk == pk), None)
    if skill is None:
        skill = Skill.objects.filter(pk=pk).first()
    if skill is None:
        raise SkillFilterError("There is no such skill. Choose one from the list.")
    return skill


def trainer_directory(*, skill: Skill | None = None) -> QuerySet[TrainerProfile]:
    """Trainers who can teach today (active, certified, at least one valid certification),
    optionally only those certified in ``skill``, by name. Each carries ``teaching``: their
    valid certifications with skills, by skill name (prefetched: two queries in all)."""
    teaching = valid_certifications().filter(trainer=OuterRef("pk"))
    if skill is not None:
        teaching = teaching.filter(skill=skill)
    return (
        TrainerProfile.objects.filter(Exists(teaching), user__is_active=True)
        .select_related("user__team")
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=valid_certifications().select_related("skill").order_by("skill__name"),
                to_attr="teaching",
            )
        )
        .order_by("user__display_name", "user__email", "pk")
    )


# L&D see this many of the people on the way; the admin lists them all.
PIPELINE_LIMIT = 100


def trainer_pipeline() -> tuple[list[TrainerProfile], bool]:
    """Active people on the programme who can't teach today (nominated, candidate, in
    training, paused, or certified with no valid certification), by name, with who
    nominated them; at most ``PIPELINE_LIMIT``, and whether there are more. One query."""
    rows = list(
        TrainerProfile.objects.filter(user__is_active=True)
        .exclude(Exists(valid_certifications().filter(trainer=OuterRef("pk"))))
        .select_related("user__team", "nominated_by")
        .order_by("user__display_name", "user__email", "pk")[: PIPELINE_LIMIT + 1]
    )
    return rows[:PIPELINE_LIMIT], len(rows) > PIPELINE_LIMIT


# --- Teaching standing: may this person lead a new session of this skill? -------------------
@dataclass(frozen=True)
class TeachingStanding:
    """Whether ``user`` may lead new sessions of ``skill`` today, and why not (for people)."""

    may_teach: bool
    reason: str
    monthly_cap: int | None  # None when they may not teach at all


def teaching_standing(*, user: User, skill: Skill) -> TeachingStanding:
    """The rule of ``valid_certifications()`` for one trainer and skill, with the reason
    worded when it refuses (expired on which date, paused, not certified). One query."""
    certification = (
        Certification.objects.filter(trainer__user=user, skill=skill)
        .select_related("trainer")
        .annotate(valid=Exists(valid_certifications().filter(pk=OuterRef("pk"))))
        .first()
    )
    if certification is None:
        return TeachingStanding(
            may_teach=False,
            reason=f"You can only propose sessions for skills you're certified in; "
            f"{skill} isn't one of them.",
            monthly_cap=None,
        )
    if certification.valid:
        return TeachingStanding(
            may_teach=True, reason="", monthly_cap=certification.trainer.monthly_session_cap
        )
    return TeachingStanding(may_teach=False, reason=lapse_reason(certification), monthly_cap=None)


def lapse_reason(certification: Certification) -> str:
    """Why a certification that isn't valid stops new sessions, worded for its trainer."""
    skill = certification.skill
    if certification.trainer.status == TrainerProfile.Status.PAUSED:
        return (
            f"Your teaching is paused, so no new {skill} sessions for now; sessions already "
            f"published go ahead. L&D can resume it."
        )
    if certification.expires_at is not None and certification.expires_at <= timezone.now():
        expired = date_format(timezone.localtime(certification.expires_at))
        return (
            f"Your {skill} certification expired on {expired}, so "
            f"no new {skill} sessions until L&D renews it; sessions already published go ahead."
        )
    return f"You aren't certified to teach {skill} at the moment; ask L&D."


def lapsed_certifications(*, user: User) -> list[Certification]:
    """``user``'s certifications that don't let them teach today (expired, or their
    teaching paused), by skill name, each with its ``reason`` for the propose page."""
    lapsed = list(
        Certification.objects.filter(trainer__user=user)
        .exclude(pk__in=valid_certifications().values("pk"))
        .select_related("skill", "trainer")
        .order_by("skill__name")
    )
    for certification in lapsed:
        certification.reason = lapse_reason(certification)  # type: ignore[attr-defined]
    return lapsed
