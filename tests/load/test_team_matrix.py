"""One team's skills matrix: the page's data (``team_matrix``) and its gaps against SQL."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peertrain.accounts.models import Team
from programmes.access import team_for_viewer
from programmes.selectors import skill_gaps
from programmes.selectors_matrix import team_matrix

from .conftest import TIMEOUT, Timing, report, timed
from .reference import orm_gap_row, reference_gaps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]

SAMPLE_TEAMS = 50


def sample_teams() -> list[Team]:
    ids = sorted(Team.objects.values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, min(SAMPLE_TEAMS, len(ids)))  # noqa: S311
    return list(Team.objects.filter(pk__in=chosen).select_related("lead").order_by("pk"))


def test_team_matrix_and_its_gaps_match_sql(bench_org):
    teams = sample_teams()
    team_matrix(team=teams[0])  # warm the connection and the caches once
    reference_gaps(team_ids=[teams[0].pk])
    matrix_ms, orm_ms, sql_ms, access_ms, access_queries, cells = [], [], [], [], set(), 0
    for team in teams:
        elapsed, matrix = timed(lambda team=team: team_matrix(team=team))
        matrix_ms.append(elapsed)
        cells += sum(len(row.cells) for row in matrix.rows)
        elapsed, orm_rows = timed(
            lambda team=team: [orm_gap_row(gap) for gap in skill_gaps(teams=[team])]
        )
        orm_ms.append(elapsed)
        elapsed, sql_rows = timed(lambda team=team: reference_gaps(team_ids=[team.pk]))
        sql_ms.append(elapsed)

        assert sorted(orm_rows) == sorted(sql_rows)
        assert sorted(orm_gap_row(column.gap) for column in matrix.columns) == sorted(sql_rows)
        if team.lead is not None:  # the page's access check, as the team's lead
            with CaptureQueriesContext(connection) as queries:
                elapsed, allowed = timed(
                    lambda team=team: team_for_viewer(user=team.lead, team_id=team.pk)
                )
            assert allowed == team
            access_ms.append(elapsed)
            access_queries.add(len(queries))

    orm, sql = Timing(orm_ms), Timing(sql_ms)
    report(
        "team_matrix",
        teams=len(teams),
        p50_ms=Timing(matrix_ms).p50,
        p95_ms=Timing(matrix_ms).p95,
        cells_per_team=cells // len(teams),
    )
    report(
        "team_matrix_access",
        p50_ms=Timing(access_ms).p50,
        p95_ms=Timing(access_ms).p95,
        queries="/".join(map(str, sorted(access_queries))),
    )
    report(
        "team_gaps",
        orm_p50=orm.p50,
        orm_p95=orm.p95,
        sql_p50=sql.p50,
        sql_p95=sql.p95,
        ratio=f"{orm.p50 / sql.p50:.2f}",
    )
