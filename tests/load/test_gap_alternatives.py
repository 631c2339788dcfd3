"""Measured alternatives for the organisation's gap ranking (see ``alternatives.py``): the same
gaps from pre-aggregated current levels, and a precomputed gap table (rebuild and read)."""

import random

import pytest

from programmes.models import SkillTarget
from programmes.selectors import gap_ranking, skill_gaps

from .alternatives import gap_ranking_preaggregated, precompute_gap_table, precomputed_page
from .conftest import TIMEOUT, Timing, compare_with_reference, report, timed
from .reference import normalise, orm_gap_row, reference_gaps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]

RUNS = 10
PAGE = 50


def test_preaggregated_ranking_matches_sql(bench_org):
    compare_with_reference(
        "alt_preagg_full",
        lambda: [orm_gap_row(gap) for gap in gap_ranking_preaggregated()],
        lambda: reference_gaps(),
        runs=RUNS,
    )
    compare_with_reference(
        "alt_preagg_page",
        lambda: [orm_gap_row(gap) for gap in gap_ranking_preaggregated(limit=PAGE)],
        lambda: reference_gaps(limit=PAGE),
        runs=RUNS,
    )


def test_ranking_without_skill_descriptions_matches_sql(bench_org):
    """The selector as it is, minus one wide column carried through the big join (the gap
    pages don't show skill descriptions)."""

    def narrow():  # a fresh queryset each time: a QuerySet caches its rows
        return gap_ranking().defer("skill__description")

    compare_with_reference(
        "alt_defer_desc_full",
        lambda: [orm_gap_row(gap) for gap in narrow()],
        lambda: reference_gaps(),
        runs=RUNS,
    )
    compare_with_reference(
        "alt_defer_desc_page",
        lambda: [orm_gap_row(gap) for gap in narrow()[:PAGE]],
        lambda: reference_gaps(limit=PAGE),
        runs=RUNS,
    )


def test_precomputed_gap_table(bench_org):
    rebuild = Timing([timed(precompute_gap_table)[0] for _ in range(3)])
    expected = reference_gaps(limit=PAGE)
    assert [normalise(row) for row in precomputed_page(PAGE)] == expected
    read = Timing([timed(lambda: precomputed_page(PAGE))[0] for _ in range(RUNS * 2)])
    report(
        "alt_precomputed",
        rebuild_p50=rebuild.p50,
        page_read_p50=read.p50,
        page_read_p95=read.p95,
    )


def test_cost_of_keeping_one_gap_up_to_date(bench_org):
    """What ``assessment_record`` would add to keep a gap table current: one (team, skill)
    gap recomputed after someone's level changes."""
    targets = list(SkillTarget.objects.values_list("team_id", "skill_id").order_by("pk"))
    sample = random.Random(11).sample(targets, min(50, len(targets)))  # noqa: S311
    elapsed = []
    for team_id, skill_id in sample:
        ms, gap = timed(lambda t=team_id, s=skill_id: skill_gaps(teams=[t]).get(skill_id=s))
        elapsed.append(ms)
        assert [orm_gap_row(gap)] == [
            row for row in reference_gaps(team_ids=[team_id]) if row[2] == skill_id
        ]
    timing = Timing(elapsed)
    report("alt_one_gap_refresh", targets=len(sample), p50=timing.p50, p95=timing.p95)
