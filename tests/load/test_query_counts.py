"""The matrix and the gap list run a fixed number of queries, whatever the data size:
``make test`` asserts these numbers on the small organisation, ``make bench`` on the full."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from peertrain.accounts.models import Team
from programmes.selectors import gap_ranking
from programmes.selectors_matrix import gap_list_rows, team_matrix

from .conftest import BENCH_SIZE, TIMEOUT, report, timed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]

TEAM_MATRIX_QUERIES = 3  # members, the team's gaps, their current levels
GAP_PAGE_QUERIES = 3  # the paginator's count, one page of gaps, colleagues who could teach


def test_team_matrix_queries_do_not_grow_with_the_team(bench_org):
    teams = Team.objects.annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    ).order_by("active_members", "pk")
    smallest, largest = teams.first(), teams.last()
    counts = {}
    for label, team in (("smallest", smallest), ("largest", largest)):
        with CaptureQueriesContext(connection) as queries:
            matrix = team_matrix(team=team)
        assert len(matrix.rows) == team.active_members
        counts[f"{label}_team_members"] = team.active_members
        counts[f"{label}_team_queries"] = len(queries)
        assert len(queries) == TEAM_MATRIX_QUERIES, [query["sql"] for query in queries]
    report("queries_team_matrix", size=BENCH_SIZE, **counts)


def test_gap_list_page_runs_a_fixed_number_of_queries(bench_org):
    def first_page():
        page = Paginator(gap_ranking(), 50).get_page(1)
        return gap_list_rows(page.object_list)

    first_page()  # warm up
    with CaptureQueriesContext(connection) as queries:
        elapsed, rows = timed(first_page)
    assert len(rows) == min(50, gap_ranking().count())
    assert len(queries) == GAP_PAGE_QUERIES, [query["sql"] for query in queries]
    report(
        "queries_gap_page",
        size=BENCH_SIZE,
        queries=len(queries),
        ms=elapsed,
        per_query_ms=", ".join(f"{float(query['time']) * 1000:.0f}" for query in queries),
    )
