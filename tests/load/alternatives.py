"""Other ways to compute the organisation's gap ranking, measured beside the selector in use
(``test_gap_alternatives.py``). Same gap definition as ``programmes.selectors.skill_gaps``.

The selector joins every target to every member of its team (440,000 rows at full size) and
looks each pair up in the current-level table. Here the current levels of active people are
joined to the targets of their team instead, and grouped per target; people without a level
in a targeted skill need no row, because

    shortfall     = members * target - sum(min(level, target))   over assessed members
    members_below = members - count(assessed members with level >= target)

so unassessed members count as level 0, exactly as in the selector.
"""

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least

from peertrain.accounts.models import User
from programmes.models import CurrentSkillLevel, SkillTarget


def gap_ranking_preaggregated(*, limit: int | None = None) -> list[SkillTarget]:
    """Four fixed queries: targets, members per team, assessed figures per target (one
    GROUP BY over the current levels), then the page's targets with their team and skill."""
    targets = SkillTarget.objects.values_list(
        "pk", "team_id", "target_level", "priority", "team__name", "skill__name"
    )
    members = dict(
        User.objects.filter(is_active=True, team__isnull=False)
        .values("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
        .order_by()
    )
    target_level = F("user__team__skill_targets__target_level")
    assessed = {
        target: (at_target, capped)
        for target, at_target, capped in CurrentSkillLevel.objects.filter(
            user__is_active=True, user__team__skill_targets__skill=F("skill")
        )
        .values(target=F("user__team__skill_targets"))
        .annotate(
            at_target=Count("pk", filter=Q(level__gte=target_level)),
            capped=Sum(Least("level", target_level)),
        )
        .values_list("target", "at_target", "capped")
        .order_by()
    }
    figures, keys = {}, {}
    for pk, team_id, level, priority, team_name, skill_name in targets:
        member_count = members.get(team_id, 0)
        at_target, capped = assessed.get(pk, (0, 0))
        shortfall = member_count * level - capped
        below = member_count - at_target
        share = below / member_count if member_count else 0.0
        figures[pk] = {
            "member_count": member_count,
            "members_below": below,
            "members_at_target": at_target,
            "shortfall": shortfall,
            "share_below": share,
            "score": shortfall * priority,
        }
        keys[pk] = (-shortfall * priority, -share, team_name, skill_name)
    ranked = sorted(figures, key=keys.__getitem__)[:limit]
    rows = SkillTarget.objects.select_related("team", "skill").in_bulk(ranked)
    for pk in ranked:
        for name, value in figures[pk].items():
            setattr(rows[pk], name, value)
    return [rows[pk] for pk in ranked]


PRECOMPUTE = """
DROP TABLE IF EXISTS bench_gap;
CREATE TEMPORARY TABLE bench_gap ON COMMIT DROP AS
WITH members AS (
    SELECT team_id, count(*) AS n FROM accounts_user WHERE is_active GROUP BY team_id
), assessed AS (
    SELECT t.id, count(*) FILTER (WHERE c.level >= t.target_level) AS at_target,
           sum(LEAST(c.level, t.target_level)) AS capped
    FROM programmes_currentskilllevel c
    JOIN accounts_user u ON u.id = c.user_id AND u.is_active
    JOIN programmes_skilltarget t ON t.team_id = u.team_id AND t.skill_id = c.skill_id
    GROUP BY t.id
), figures AS (
    SELECT t.id AS target_id, t.priority, COALESCE(m.n, 0) AS member_count,
           COALESCE(m.n, 0) - COALESCE(a.at_target, 0) AS members_below,
           COALESCE(m.n, 0) * t.target_level - COALESCE(a.capped, 0) AS shortfall
    FROM programmes_skilltarget t
    LEFT JOIN members m ON m.team_id = t.team_id
    LEFT JOIN assessed a ON a.id = t.id
)
SELECT target_id, member_count, members_below, shortfall, shortfall * priority AS score,
       CASE WHEN member_count = 0 THEN 0.0
            ELSE members_below::float8 / member_count::float8 END AS share_below
FROM figures;
CREATE INDEX ON bench_gap (score DESC, share_below DESC);
ANALYZE bench_gap;
"""

PRECOMPUTED_PAGE = """
SELECT t.id, t.team_id, t.skill_id, g.member_count, g.members_below, g.shortfall, g.score,
       g.share_below, tm.name, s.name
FROM bench_gap g
JOIN programmes_skilltarget t ON t.id = g.target_id
JOIN accounts_team tm ON tm.id = t.team_id
JOIN programmes_skill s ON s.id = t.skill_id
ORDER BY g.score DESC, g.share_below DESC, tm.name, s.name
LIMIT %s
"""


def precompute_gap_table() -> None:
    """A stand-in for a maintained gap table: what a full rebuild costs."""
    with connection.cursor() as cursor:
        cursor.execute(PRECOMPUTE)


def precomputed_page(limit: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(PRECOMPUTED_PAGE, [limit])
        return cursor.fetchall()
