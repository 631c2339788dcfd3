"""The knowledge gap written by hand in SQL, to check the ORM's answer and to time it against.

Same definition as ``programmes.selectors.skill_gaps``: for each (team, skill) target, the
team's active members, a member without a current level counting as level 0.
"""

from django.db import connection

GAPS = """
SELECT t.id, t.team_id, t.skill_id, g.member_count, g.members_below, g.shortfall,
       g.shortfall * t.priority AS score,
       CASE WHEN g.member_count = 0 THEN 0.0
            ELSE g.members_below::float8 / g.member_count::float8 END AS share_below,
       tm.name, s.name
FROM (
    SELECT t.id,
           COUNT(u.id) AS member_count,
           COUNT(u.id) FILTER (WHERE COALESCE(c.level, 0) < t.target_level) AS members_below,
           COALESCE(SUM(GREATEST(t.target_level - COALESCE(c.level, 0), 0))
                    FILTER (WHERE u.id IS NOT NULL), 0) AS shortfall
    FROM programmes_skilltarget t
    LEFT JOIN accounts_user u ON u.team_id = t.team_id AND u.is_active
    LEFT JOIN programmes_currentskilllevel c ON c.user_id = u.id AND c.skill_id = t.skill_id
    {where}
    GROUP BY t.id
) g
JOIN programmes_skilltarget t ON t.id = g.id
JOIN accounts_team tm ON tm.id = t.team_id
JOIN programmes_skill s ON s.id = t.skill_id
ORDER BY score DESC, share_below DESC, tm.name, s.name
{limit}
"""


def reference_gaps(*, team_ids: list[int] | None = None, limit: int | None = None) -> list[tuple]:
    where = "WHERE t.team_id = ANY(%s)" if team_ids is not None else ""
    sql = GAPS.format(where=where, limit=f"LIMIT {int(limit)}" if limit else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [team_ids] if team_ids is not None else [])
        return [normalise(row) for row in cursor.fetchall()]


def normalise(row: tuple) -> tuple:
    *head, share_below, team_name, skill_name = row
    return (*head, round(share_below, 12), team_name, skill_name)


def orm_gap_row(gap) -> tuple:
    """A ``skill_gaps`` row in the reference's shape (team and skill come from select_related)."""
    return normalise(
        (
            gap.pk,
            gap.team_id,
            gap.skill_id,
            gap.member_count,
            gap.members_below,
            gap.shortfall,
            gap.score,
            gap.share_below,
            gap.team.name,
            gap.skill.name,
        )
    )
