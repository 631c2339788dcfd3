"""The organisation's gap ranking (``gap_ranking``), all of it and its first page, against SQL."""

from functools import partial

import pytest
from django.db import connection

from programmes.selectors import gap_count, gap_ranking

from .conftest import TIMEOUT, Timing, compare_with_reference, report, timed
from .reference import orm_gap_row, reference_gaps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]

RUNS = 10
PAGE = 50


def test_whole_gap_ranking_matches_sql(bench_org):
    compare_with_reference(
        "gap_ranking_full",
        lambda: [orm_gap_row(gap) for gap in gap_ranking()],
        lambda: reference_gaps(),
        runs=RUNS,
    )


def test_first_page_of_gap_ranking_matches_sql(bench_org):
    compare_with_reference(
        "gap_ranking_page",
        lambda: [orm_gap_row(gap) for gap in gap_ranking()[:PAGE]],
        lambda: reference_gaps(limit=PAGE),
        runs=RUNS,
    )


def test_orm_sql_without_building_objects(bench_org):
    """The ORM's own SQL run raw (its rows were checked above): tells the query's shape
    apart from building three Python objects (target, team, skill) per row."""
    sql, params = gap_ranking().query.sql_with_params()

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    raw()
    elapsed = Timing([timed(raw)[0] for _ in range(RUNS)])
    report("gap_ranking_orm_sql_raw", rows=len(raw()), p50=elapsed.p50, p95=elapsed.p95)


def first_page(filters: dict) -> list:
    return list(gap_ranking(**filters)[:PAGE])


def test_the_gap_pages_default_hides_met_targets_at_a_stated_cost(bench_org):
    """The gap list hides targets already met by default: its first page and its count, with
    and without that filter (the count is an anti-join, not the gap aggregate)."""
    for include_met in (True, False):
        filters = {"include_met": include_met}
        pages = [timed(partial(first_page, filters))[0] for _ in range(RUNS)]
        counts = [timed(partial(gap_count, **filters))[0] for _ in range(RUNS)]
        report(
            f"gap_page_{'all_targets' if include_met else 'open_gaps'}",
            targets=gap_count(**filters),
            page_p50=Timing(pages).p50,
            page_p95=Timing(pages).p95,
            count_p50=Timing(counts).p50,
            count_p95=Timing(counts).p95,
        )
