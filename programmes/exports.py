"""CSV exports of the skills matrix and the gap list, from the same reads as the pages."""

import csv
import unicodedata
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from .models import Priority
from .selectors_matrix import GapListRow, TeamMatrix

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), also
# after leading spaces, tabs or line breaks, which it drops first.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# OWASP's list: a cell starting with a tab or carriage return is quoted whatever follows.
QUOTED_STARTS = ("\t", "\r")

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


def _blank(char: str) -> bool:
    """Whitespace (any: a no-break space too) or a control character."""
    return char.isspace() or unicodedata.category(char)[0] == "C"


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is quoted; numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    first = next((index for index, char in enumerate(value) if not _blank(char)), len(value))
    if value.startswith(QUOTED_STARTS) or value[first:].startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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


def csv_response(*, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download named ``<name>-<date>.csv``, every cell safe to open in a spreadsheet."""
    filename = f"{slugify(name)}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return response
