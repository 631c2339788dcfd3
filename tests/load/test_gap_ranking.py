"""The organisation's gap ranking (``gap_ranking``), all of it and its first page, against SQL."""

import pytest
from django.db import connection

from programmes.selectors import gap_ranking

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
