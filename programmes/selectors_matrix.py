"""Reads behind the skills matrix and the gap list (pages and CSV exports).

Both build on the one knowledge-gap definition in ``selectors.skill_gaps``; this module
only lays its figures out beside people's current levels. Each function runs a fixed
number of queries, whatever the size of the team or the page.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peertrain.accounts.models import Team, User

from .models import AssessmentSource, CurrentSkillLevel, Skill
from .ports import LearningOffer, learning_offers_for
from .selectors import colleagues_who_know, single_point_of_knowledge, skill_gaps

if TYPE_CHECKING:
    from .selectors import SkillGap


@dataclass(frozen=True)
class MatrixColumn:
    """A skill the team targets, with the team's gap in it (a ``skill_gaps`` row)."""

    gap: "SkillGap"

    @property
    def skill(self):
        return self.gap.skill

    @property
    def single_point_of_knowledge(self) -> bool:
        return single_point_of_knowledge(self.gap)


@dataclass(frozen=True)
class MatrixCell:
    """One person's current level in one targeted skill."""

    member: User
    column: MatrixColumn
    current: CurrentSkillLevel | None

    @property
    def level(self) -> int | None:
        return self.current.level if self.current else None

    @property
    def target(self) -> int:
        return self.column.gap.target_level

    @property
    def shortfall(self) -> int:
        """Levels below target; no assessment counts as level 0, as in the gap."""
        return max(self.target - (self.level or 0), 0)

    @property
    def status(self) -> str:
        if self.current is None:
            return "unassessed"
        if self.current.level < self.target:
            return "below"
        return "at" if self.current.level == self.target else "above"

    @property
    def status_label(self) -> str:
        return {
            "unassessed": "not assessed (counts as 0)",
            "below": f"{self.shortfall} below target",
            "at": "at target",
            "above": "above target",
        }[self.status]

    @property
    def source_label(self) -> str:
        return self.current.source_label if self.current else "not assessed yet"

    @property
    def source_short(self) -> str:
        """The few words that fit in a cell; the legend and the full label explain them."""
        if self.current is None:
            return ""
        if self.current.pending_verification:
            return "self · pending"
        if self.current.source == AssessmentSource.SELF:
            return "self"
        return f"{self.current.source} ✓"


@dataclass(frozen=True)
class MatrixRow:
    member: User
    cells: list[MatrixCell]


@dataclass(frozen=True)
class TeamMatrix:
    team: Team
    columns: list[MatrixColumn]
    rows: list[MatrixRow]

    @property
    def single_points_of_knowledge(self) -> list[MatrixColumn]:
        return [column for column in self.columns if column.single_point_of_knowledge]


def team_members(*, team: Team) -> list[User]:
    """The active people in the team, as counted by the gap."""
    return list(User.objects.filter(team=team, is_active=True).order_by("display_name", "email"))


def team_matrix(*, team: Team) -> TeamMatrix:
    """Members by the team's targeted skills, with current levels and the gap per skill.

    Three queries: members, the team's gaps (one aggregate), the current levels.
    """
    members = team_members(team=team)
    columns = [
        MatrixColumn(gap=gap)
        for gap in skill_gaps(teams=[team]).order_by("skill__category", "skill__name")
    ]
    levels: dict[tuple[int, int], CurrentSkillLevel] = {}
    if members and columns:
        for current in CurrentSkillLevel.objects.filter(
            user__in=[member.pk for member in members],
            skill__in=[column.gap.skill_id for column in columns],
        ):
            levels[current.user_id, current.skill_id] = current
    rows = [
        MatrixRow(
            member=member,
            cells=[
                MatrixCell(
                    member=member,
                    column=column,
                    current=levels.get((member.pk, column.gap.skill_id)),
                )
                for column in columns
            ],
        )
        for member in members
    ]
    return TeamMatrix(team=team, columns=columns, rows=rows)


def matrix_cell(*, member: User, skill_id: int) -> MatrixCell | None:
    """One cell of the member's team matrix, freshly read (after an assessment), or None
    when the member's team doesn't target the skill. Two queries."""
    if member.team_id is None:
        return None
    gap = skill_gaps(teams=[member.team_id]).filter(skill_id=skill_id).first()
    if gap is None:
        return None
    current = current_level(user=member, skill_id=skill_id)
    return MatrixCell(member=member, column=MatrixColumn(gap=gap), current=current)


def current_level(*, user: User, skill_id: int) -> CurrentSkillLevel | None:
    return CurrentSkillLevel.objects.filter(user=user, skill_id=skill_id).first()


# --- The organisation's gap list -----------------------------------------------------------
@dataclass(frozen=True)
class GapListRow:
    gap: "SkillGap"
    colleagues: list[CurrentSkillLevel]
    offer: LearningOffer | None = None  # whether a session is coming, and who asked for one

    @property
    def single_point_of_knowledge(self) -> bool:
        return single_point_of_knowledge(self.gap)


def gap_list_rows(gaps: Iterable["SkillGap"], *, viewer: User | None = None) -> list[GapListRow]:
    """Gaps (a page of ``gap_ranking``) with the colleagues who could teach each skill:
    people at teaching level, opted in, not yet on the trainer programme. One query for
    the colleagues of the whole page; with a ``viewer``, one more for whether a session is
    coming for each skill and how many people asked to learn it."""
    gaps = list(gaps)
    skills = list({gap.skill_id: gap.skill for gap in gaps}.values())
    colleagues = colleagues_who_know(skills=skills, not_trainers=True)
    offers = {}
    if viewer is not None:
        offers = learning_offers_for(user=viewer, skill_ids=[skill.pk for skill in skills])
    return [
        GapListRow(
            gap=gap, colleagues=colleagues.get(gap.skill_id, []), offer=offers.get(gap.skill_id)
        )
        for gap in gaps
    ]


def skill_categories() -> list[str]:
    return list(Skill.objects.values_list("category", flat=True).distinct().order_by("category"))
