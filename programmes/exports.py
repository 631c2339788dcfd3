"""The rows of the CSV exports of the skills matrix and the gap list, from the same reads
as the pages (``peertrain.core.csv.csv_response`` writes them)."""

from collections.abc import Iterable

from django.utils import timezone

from .models import Priority
from .selectors_matrix import GapListRow, TeamMatrix

MATRIX_HEADER = [
    "Team",
    "Member",
    "Email",
    "Skill",
    "Category",
    "Target level",
    "Priority",
    "Current level",
    "Status",
    "Source",
    "Assessed at",
    "Team shortfall",
    "Team share below target (%)",
    "Team members at target",
    "Single point of knowledge",
]

GAPS_HEADER = [
    "Rank",
    "Team",
    "Skill",
    "Category",
    "Target level",
    "Priority",
    "Shortfall",
    "Members below target",
    "Members",
    "Share below target (%)",
    "Members at target",
    "Single point of knowledge",
    "Score",
    "Colleagues who could teach it",
]


def percent(share: float) -> int:
    return round(share * 100)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def matrix_rows(matrix: TeamMatrix) -> list[list]:
    """One row per (member, targeted skill) cell of the matrix, with the team's gap."""
    rows = []
    for row in matrix.rows:
        for cell in row.cells:
            gap = cell.column.gap
            rows.append(
                [
                    matrix.team.name,
                    str(row.member),
                    row.member.email,
                    gap.skill.name,
                    gap.skill.category,
                    gap.target_level,
                    Priority(gap.priority).label,
                    "" if cell.level is None else cell.level,
                    cell.status_label,
                    cell.source_label,
                    timezone.localtime(cell.current.assessed_at).isoformat(timespec="minutes")
                    if cell.current
                    else "",
                    gap.shortfall,
                    percent(gap.share_below),
                    gap.members_at_target,
                    yes_no(cell.column.single_point_of_knowledge),
                ]
            )
    return rows


def gap_rows(rows: Iterable[GapListRow]) -> list[list]:
    return [
        [
            rank,
            row.gap.team.name,
            row.gap.skill.name,
            row.gap.skill.category,
            row.gap.target_level,
            Priority(row.gap.priority).label,
            row.gap.shortfall,
            row.gap.members_below,
            row.gap.member_count,
            percent(row.gap.share_below),
            row.gap.members_at_target,
            yes_no(row.single_point_of_knowledge),
            row.gap.score,
            "; ".join(
                f"{colleague.user} (level {colleague.level}, {colleague.user.team or 'no team'})"
                for colleague in row.colleagues
            ),
        ]
        for rank, row in enumerate(rows, start=1)
    ]
