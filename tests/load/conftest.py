"""Benchmarks on a generated organisation. They print figures; they never fail on timing,
only on correctness (ORM result == hand-written SQL) and on query counts.

Size: ``BENCH_SIZE=small`` (default, seconds, part of ``make test``) or ``BENCH_SIZE=full``
(20,000 people, 500 teams, 300 skills, 1,000,000 assessments; generating it takes a couple
of minutes). Needs PostgreSQL; skipped (a failure in CI) on SQLite.

Where the data lives: the test database. The organisation is generated once for the whole
``tests/load`` package, committed outside any test transaction (``django_db_blocker``), read
by the benchmarks inside their usual rolled-back transactions, and truncated when the
package is done, so no other test ever sees it (pytest runs a package's tests together).
``BENCH_KEEP=1`` keeps it at the end; with ``--reuse-db`` the next run then finds an
organisation of the requested size and reuses it instead of generating it again.
"""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.db import connection

from peertrain.accounts.models import Team, User
from portal.devtools.orggen import OrgSize, generate_org
from programmes.models import CurrentSkillLevel, Skill, SkillAssessment, SkillTarget

SIZES = {
    "small": OrgSize(users=300, teams=20, skills=40, assessments=15_000),
    "full": OrgSize(),
}
BENCH_SIZE = os.environ.get("BENCH_SIZE", "small")
if BENCH_SIZE not in SIZES:
    raise pytest.UsageError(f"BENCH_SIZE must be one of {', '.join(SIZES)}, not {BENCH_SIZE!r}")
SIZE = SIZES[BENCH_SIZE]
SEED = 42
UNTIL = datetime(2026, 1, 1, tzinfo=UTC)  # fixed, so every run builds the same history
KEEP = os.environ.get("BENCH_KEEP") == "1"
# Generating the full organisation takes minutes; the test that first asks for it waits.
TIMEOUT = 1800 if BENCH_SIZE == "full" else 300
GENERATED_TABLES = [
    model._meta.db_table
    for model in (SkillAssessment, CurrentSkillLevel, SkillTarget, Skill, User, Team)
]

RESULTS: list[str] = []


@dataclass(frozen=True)
class Timing:
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def report(name: str, **figures) -> None:
    """Keep a line for the summary printed at the end of the run (visible without -s)."""
    parts = [f"{key}={value:.1f}" if isinstance(value, float) else f"{key}={value}"
             for key, value in figures.items()]  # fmt: skip
    RESULTS.append(f"BENCH {name:<22} " + "  ".join(parts))


def compare_with_reference(name: str, orm_query, sql_query, *, runs: int, **extra) -> None:
    """Check the ORM's rows equal the reference's, then time both, alternating runs so both
    see the same machine load, and report medians, p95s and the ratio of medians."""
    expected = sql_query()
    assert orm_query() == expected
    orm_ms, sql_ms = [], []
    for _ in range(runs):
        elapsed, rows = timed(orm_query)
        orm_ms.append(elapsed)
        assert rows == expected
        elapsed, _ = timed(sql_query)
        sql_ms.append(elapsed)
    orm, sql = Timing(orm_ms), Timing(sql_ms)
    report(
        name,
        rows=len(expected),
        orm_p50=orm.p50,
        orm_p95=orm.p95,
        sql_p50=sql.p50,
        sql_p95=sql.p95,
        ratio=f"{orm.p50 / sql.p50:.2f}",
        **extra,
    )


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    terminalreporter.section(f"benchmarks (BENCH_SIZE={BENCH_SIZE}: {SIZE})")
    terminalreporter.write_line(f"load average now: {_load_average()} on {os.cpu_count()} CPUs")
    for line in RESULTS:
        terminalreporter.write_line(line)


def _load_average() -> str:
    try:
        with open("/proc/loadavg") as loadavg:
            return " ".join(loadavg.read().split()[:3])
    except OSError:
        return "unknown"


def _already_generated() -> bool:
    return (
        User.objects.count() == SIZE.users
        and Team.objects.count() == SIZE.teams
        and Skill.objects.count() == SIZE.skills
        and SkillAssessment.objects.count() == SIZE.assessments
    )


def _truncate() -> None:
    # CASCADE empties whatever points at these rows (audit events, trainer profiles, …);
    # outside the package's tests those tables are empty anyway.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(GENERATED_TABLES)} CASCADE")


@pytest.fixture(scope="package")
def bench_org(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    with django_db_blocker.unblock():
        if _already_generated():
            report("generate_org", size=BENCH_SIZE, reused="yes (BENCH_KEEP, --reuse-db)")
        else:
            _truncate()
            stats = generate_org(size=SIZE, seed=SEED, until=UNTIL)
            report(
                "generate_org",
                size=BENCH_SIZE,
                seconds=sum(stats.seconds.values()),
                assessments=stats.assessments,
                current_levels=stats.current_levels,
                targets=stats.targets,
            )
    yield SIZE
    if not KEEP:
        with django_db_blocker.unblock():
            _truncate()
