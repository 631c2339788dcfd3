"""Reads about skills, levels, targets, gaps and programmes, shared by pages, exports and
(later) the dashboard. The knowledge-gap definition lives here, once."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Greatest, RowNumber

from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import teams_led_by, user_is_ld_staff

from .models import CurrentSkillLevel, Programme, Skill, SkillAssessment, SkillTarget

if TYPE_CHECKING:  # django-stubs' helper, for types only (it isn't installed to run)
    from django_stubs_ext import WithAnnotations

# A team's skill is a single point of knowledge when exactly one of its members is at
# target, in a team big enough for others to have learnt it (a team of one is not a risk
# the team can act on; nobody at target is the gap itself, shown by its shortfall).
SINGLE_POINT_MIN_TEAM_SIZE = 2
SINGLE_POINT_RULE = (
    "In a team of two or more, only one person is at the target level, so the team can't "
    "do this when that person is away or leaves."
)
# Level from which a colleague counts as able to teach a skill.
TEACHING_LEVEL = 3


# --- Knowledge gaps ------------------------------------------------------------------------
class GapFigures(TypedDict):
    """What ``skill_gaps`` adds to each target (see there)."""

    member_count: int
    members_below: int
    shortfall: int
    members_at_target: int
    share_below: float
    score: int


if TYPE_CHECKING:
    SkillGap: TypeAlias = WithAnnotations[SkillTarget, GapFigures]  # a ``skill_gaps`` row


def skill_gaps(
    *,
    teams: Iterable[Team | int] | None = None,
    skill_category: str | None = None,
    priority: int | None = None,
    include_met: bool = True,
) -> "QuerySet[SkillGap]":
    """Each (team, skill) target with its gap, computed in SQL in one query.

    For the active members of the team (people without an assessment count as level 0):
    ``shortfall`` = sum of (target - level) over members below target;
    ``members_below`` and ``share_below`` = how many / what share are below target;
    ``members_at_target`` (see ``single_point_of_knowledge``);
    ``score`` = shortfall weighted by priority (1 low … 3 high), the ranking order.
    """
    targets = _targets(
        teams=teams, skill_category=skill_category, priority=priority, include_met=include_met
    )
    member_present = Q(member__isnull=False)
    level = Coalesce(F("member_level__level"), Value(0))
    below = member_present & (
        Q(member_level__isnull=True) | Q(member_level__level__lt=F("target_level"))
    )
    return (
        targets.annotate(
            member=FilteredRelation("team__members", condition=Q(team__members__is_active=True)),
            member_level=FilteredRelation(
                "member__current_skill_levels",
                condition=Q(member__current_skill_levels__skill=F("skill")),
            ),
        )
        .annotate(
            member_count=Count("member", distinct=False),
            members_below=Count("member", filter=below),
            shortfall=Coalesce(
                Sum(
                    Case(
                        When(member_present, then=Greatest(F("target_level") - level, Value(0))),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
                ),
                Value(0),
            ),
        )
        .annotate(
            members_at_target=F("member_count") - F("members_below"),
            share_below=Case(
                When(member_count=0, then=Value(0.0)),
                default=ExpressionWrapper(
                    Cast("members_below", FloatField()) / Cast("member_count", FloatField()),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            ),
            score=F("shortfall") * F("priority"),
        )
        .select_related("team", "skill")
        # Not shown with gaps; carrying it through the big join tripled the ranking's cost.
        .defer("skill__description")
    )


def _targets(
    *, teams=None, skill_category=None, priority=None, include_met=True
) -> QuerySet[SkillTarget]:
    targets = SkillTarget.objects.all()
    if not include_met:
        targets = targets.filter(Exists(_members_below_target()))
    if teams is not None:
        targets = targets.filter(team__in=teams)
    if skill_category:
        targets = targets.filter(skill__category=skill_category)
    if priority:
        targets = targets.filter(priority=priority)
    return targets


def _members_below_target() -> QuerySet[User]:
    """Active members of the outer target's team below its level (no level counts as 0):
    a target is met when there are none. An anti-join that stops at the first such member,
    so filtering on it costs far less than computing the gap."""
    at_target = CurrentSkillLevel.objects.filter(
        user=OuterRef("pk"),
        skill_id=OuterRef(OuterRef("skill_id")),
        level__gte=OuterRef(OuterRef("target_level")),
    )
    return User.objects.filter(team_id=OuterRef("team_id"), is_active=True).exclude(
        Exists(at_target)
    )


def gap_count(**filters) -> int:
    """How many gaps ``gap_ranking(**filters)`` has: one per target, so counted without
    computing any gap (paging must not run the org-wide aggregate twice)."""
    return _targets(**filters).count()


def gap_ranking(**filters) -> "QuerySet[SkillGap]":
    """The organisation's gaps, worst first."""
    return skill_gaps(**filters).order_by("-score", "-share_below", "team__name", "skill__name")


def single_point_of_knowledge(gap: "SkillGap") -> bool:
    """See ``SINGLE_POINT_RULE``, which says it to people."""
    return gap.members_at_target == 1 and gap.member_count >= SINGLE_POINT_MIN_TEAM_SIZE


# --- People's levels ----------------------------------------------------------------------
def current_levels_of(*, user: User) -> list[CurrentSkillLevel]:
    return list(
        CurrentSkillLevel.objects.filter(user=user)
        .select_related("skill")
        .order_by("skill__category", "skill__name")
    )


def assessment_history(*, user: User, skill: Skill | None = None, limit: int = 100):
    history = SkillAssessment.objects.filter(user=user).select_related("skill", "assessed_by")
    if skill is not None:
        history = history.filter(skill=skill)
    return list(history.order_by("-created_at", "-pk")[:limit])


@dataclass(frozen=True)
class MyGap:
    skill: Skill
    target_level: int
    priority: int
    my_level: int
    source_label: str

    @property
    def shortfall(self) -> int:
        return self.target_level - self.my_level


def my_gaps(*, user: User) -> list[MyGap]:
    """Skills my team targets where I am below target, biggest shortfall first."""
    if user.team_id is None:
        return []
    targets = SkillTarget.objects.filter(team_id=user.team_id).select_related("skill")
    levels = {
        current.skill_id: current
        for current in CurrentSkillLevel.objects.filter(
            user=user, skill__in=targets.values("skill")
        )
    }
    gaps = []
    for target in targets:
        current = levels.get(target.skill_id)
        my_level = current.level if current else 0
        if my_level < target.target_level:
            gaps.append(
                MyGap(
                    skill=target.skill,
                    target_level=target.target_level,
                    priority=target.priority,
                    my_level=my_level,
                    source_label=current.source_label if current else "not assessed yet",
                )
            )
    return sorted(gaps, key=lambda gap: (-gap.priority, -gap.shortfall, gap.skill.name))


def team_has_targets(*, team_id: int | None) -> bool:
    """Tells "no gaps" apart from "nothing to compare with" on a person's gap list."""
    return team_id is not None and SkillTarget.objects.filter(team_id=team_id).exists()


def colleagues_who_know(
    *, skills: list[Skill], exclude: User | None = None, per_skill: int = 3, not_trainers=False
) -> dict[int, list[CurrentSkillLevel]]:
    """Up to ``per_skill`` people per skill at teaching level who agreed to be suggested,
    best first, in one query (a window function ranks within each skill)."""
    if not skills:
        return {}
    candidates = CurrentSkillLevel.objects.filter(
        skill__in=skills,
        level__gte=TEACHING_LEVEL,
        user__is_active=True,
        user__suggest_me_as_teacher=True,
    )
    if exclude is not None:
        candidates = candidates.exclude(user=exclude)
    if not_trainers:
        # The reverse relation from trainers.TrainerProfile; no import of the higher app.
        candidates = candidates.filter(user__trainer_profile__isnull=True)
    ranked = (
        candidates.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("skill_id")],
                order_by=[F("level").desc(), F("source").desc(), F("assessed_at").desc()],
            )
        )
        .filter(rank__lte=per_skill)
        .select_related("user", "user__team")
        .order_by("skill_id", "rank")
    )
    by_skill: dict[int, list[CurrentSkillLevel]] = {skill.pk: [] for skill in skills}
    for current in ranked:
        by_skill[current.skill_id].append(current)
    return by_skill


# --- Who may see what ---------------------------------------------------------------------
def can_see_levels_of(*, viewer: User, person: User) -> bool:
    """Levels are visible to the person, their team lead(s) above them, L&D staff, and
    anyone if the person shares them."""
    if viewer.pk == person.pk or person.share_skill_levels:
        return True
    if person.team_id and person.team_id in {team.pk for team in teams_led_by(lead=viewer)}:
        return True
    return user_is_ld_staff(viewer)


# --- Programmes ---------------------------------------------------------------------------
def active_programmes_for(*, user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(status=Programme.Status.ACTIVE, audience_teams=user.team_id)
        .distinct()
        .select_related("owner")
        .prefetch_related("skills")
        .order_by("-starts_on", "title")
    )


def programmes_for_ld_staff(*, status: str | None = None) -> QuerySet[Programme]:
    """Every programme (optionally of one status) with its skills and audience, for L&D."""
    programmes = Programme.objects.all()
    if status:
        programmes = programmes.filter(status=status)
    return (
        programmes.select_related("owner")
        .prefetch_related("skills", "audience_teams")
        .order_by("-starts_on", "title")
    )
