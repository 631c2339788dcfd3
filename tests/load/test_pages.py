"""Whole pages on the generated organisation, through the test client: the matrix as each
sampled team's lead, the gap list as L&D. Middleware, access checks and templates included."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peertrain.accounts.models import Team, User

from .conftest import TIMEOUT, Timing, report, timed
from .test_team_matrix import sample_teams

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]

PAGE_TEAMS = 20
GAP_PAGE_RUNS = 5


def get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        elapsed, response = timed(lambda: client.get(url))
    assert response.status_code == 200
    return elapsed, len(queries)


def test_matrix_page_as_each_teams_lead(bench_org, client):
    teams = [team for team in sample_teams() if team.lead is not None][:PAGE_TEAMS]
    elapsed, counts = [], set()
    for team in teams:
        client.force_login(team.lead)
        url = f"{reverse('skills:matrix')}?team={team.pk}"
        get(client, url)  # the first request after login also touches the session
        ms, queries = get(client, url)
        elapsed.append(ms)
        counts.add(queries)
    timing = Timing(elapsed)
    report(
        "page_matrix",
        teams=len(teams),
        p50_ms=timing.p50,
        p95_ms=timing.p95,
        queries="/".join(map(str, sorted(counts))),
    )


def test_matrix_page_of_the_largest_team(bench_org, client):
    """The matrix for the team with the most active members: the worst case for a lead,
    where the page is mostly template rendering (a cell per member and targeted skill)."""
    team = (
        Team.objects.filter(lead__isnull=False)
        .annotate(size=Count("members", filter=Q(members__is_active=True)))
        .order_by("-size", "pk")
        .select_related("lead")
        .first()
    )
    client.force_login(team.lead)
    url = f"{reverse('skills:matrix')}?team={team.pk}"
    client.get(url)
    runs = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            ms, response = timed(lambda: client.get(url))
        assert response.status_code == 200
        runs.append((ms, len(queries), len(response.content)))
    timing = Timing([ms for ms, _, _ in runs])
    report(
        "page_matrix_largest",
        members=team.size,
        p50_ms=timing.p50,
        max_ms=max(ms for ms, _, _ in runs),
        queries=runs[0][1],
        html_kb=runs[0][2] // 1024,
    )


def test_gap_list_page_as_ld_staff(bench_org, client):
    ld = User.objects.create(email="bench-ld@example.com", is_staff=True, is_superuser=True)
    client.force_login(ld)
    url = reverse("skills:gaps")
    get(client, url)
    runs = [get(client, url) for _ in range(GAP_PAGE_RUNS)]
    timing = Timing([ms for ms, _ in runs])
    report(
        "page_gaps",
        runs=len(runs),
        p50_ms=timing.p50,
        p95_ms=timing.p95,
        queries="/".join(sorted({str(count) for _, count in runs})),
    )
