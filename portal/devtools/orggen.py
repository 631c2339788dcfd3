"""A large, deterministic, made-up organisation for benchmarks (``manage.py generate_org``).

Everything comes from one ``random.Random(seed)``, so the same seed and sizes give the same
people, teams, targets and history. Rows are bulk-inserted (PostgreSQL's COPY for the
assessment history), which bypasses ``assessment_record``; the current-level table is filled
with exactly what that service would have left after recording the history in time order:
the latest assessment per (person, skill), and the latest level someone else confirmed.
"""

import io
import random
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.db import connection, transaction
from django.utils.text import slugify

from peertrain.accounts.models import Team, User
from programmes.models import (
    AssessmentSource,
    CurrentSkillLevel,
    Skill,
    SkillAssessment,
    SkillTarget,
)

BATCH = 5_000  # rows per bulk_create / COPY round trip
HISTORY_YEARS = 3
AREAS = [
    "Payments", "Logistics", "Retail", "Platform", "Data", "Security", "Finance", "People",
    "Marketing", "Sales", "Support", "Research", "Legal", "Operations", "Mobile", "Identity",
]  # fmt: skip
FUNCTIONS = [
    "Delivery", "Insights", "Onboarding", "Quality", "Growth", "Core", "Tooling", "Field",
    "Partners", "Reliability", "Accounts", "Enablement",
]  # fmt: skip
CATEGORIES = {
    "Engineering": ["Python", "Go", "SQL", "Code review", "Testing", "Kubernetes", "Git"],
    "Data": ["Spreadsheets", "Dashboards", "Statistics", "Forecasting", "Data modelling"],
    "Cloud": ["AWS basics", "Networking", "Observability", "Incident response", "Terraform"],
    "Security": ["Threat modelling", "Secure coding", "Access control", "Phishing awareness"],
    "People": ["Giving feedback", "Coaching", "Facilitation", "Hiring interviews"],
    "Communication": ["Presenting", "Writing docs", "Storytelling", "Running meetings"],
    "Customer": ["Customer empathy", "Handling complaints", "Negotiation", "Discovery calls"],
    "Product": ["User research", "Roadmapping", "Prioritisation", "Experiment design"],
    "Finance": ["Budgeting", "Unit economics", "Procurement", "Contract basics"],
    "Compliance": ["GDPR", "Accessibility", "Records keeping", "Risk assessment"],
}
FIRST_NAMES = [
    "Ada", "Amir", "Ana", "Ben", "Bo", "Cai", "Chloe", "Dana", "Dev", "Eli", "Emma", "Femi",
    "Grace", "Hana", "Ivan", "Jin", "Jonas", "Kofi", "Lea", "Lina", "Luca", "Mai", "Mei", "Mila",
    "Nia", "Noah", "Omar", "Olu", "Priya", "Raj", "Rosa", "Sam", "Sara", "Tariq", "Tom", "Uma",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Berg", "Chen", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kim", "Kowalski", "Levy", "Lopez", "Mensah", "Moreno", "Nair", "Novak", "Okafor",
    "Oduya", "Park", "Patel", "Quinn", "Rossi", "Silva", "Singh", "Suzuki", "Tanaka", "Weber",
]  # fmt: skip
JOB_TITLES = ["Engineer", "Analyst", "Specialist", "Consultant", "Manager", "Designer", "Associate"]
TIME_ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore"]
NOTES = ["Seen in a code review.", "Ran a workshop on it.", "Observed on a customer call.", ""]
SOURCES_LATER = (
    [AssessmentSource.SELF, AssessmentSource.PEER, AssessmentSource.LEAD, AssessmentSource.TRAINER],
    [55, 20, 15, 10],
)


@dataclass(frozen=True)
class OrgSize:
    users: int = 20_000
    teams: int = 500
    skills: int = 300
    assessments: int = 1_000_000


@dataclass
class OrgStats:
    users: int = 0
    teams: int = 0
    skills: int = 0
    targets: int = 0
    assessments: int = 0
    current_levels: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Team:
    name: str
    parent: int | None
    categories: list[str]
    members: list[int] = field(default_factory=list)
    lead: int | None = None
    targets: list[int] = field(default_factory=list)  # skill indexes


class _Clock:
    def __init__(self, stats: OrgStats, log: Callable[[str], None]):
        self.stats, self.log, self.started = stats, log, time.perf_counter()

    def lap(self, phase: str, detail: str = "") -> None:
        now = time.perf_counter()
        self.stats.seconds[phase] = now - self.started
        self.log(f"{phase:<28} {now - self.started:7.1f} s  {detail}")
        self.started = now


def generate_org(
    *, size: OrgSize, seed: int, until: datetime, log: Callable[[str], None] = lambda _: None
) -> OrgStats:
    """Create the organisation in one transaction, then refresh the planner's statistics."""
    rng = random.Random(seed)  # noqa: S311 - made-up data must be reproducible, not secret
    stats = OrgStats()
    clock = _Clock(stats, log)
    with transaction.atomic():
        teams = _plan_teams(rng, size.teams)
        skills = _create_skills(rng, size.skills)
        clock.lap("skills", f"{len(skills):,}")
        team_ids = _create_teams(teams)
        user_ids = _create_users(rng, size.users, teams, team_ids, until)
        clock.lap("teams and people", f"{len(team_ids):,} teams, {len(user_ids):,} people")
        stats.targets = _create_targets(rng, teams, team_ids, skills)
        clock.lap("targets", f"{stats.targets:,}")
        stats.assessments, stats.current_levels = _create_history(
            rng, size, teams, user_ids, skills, until
        )
        clock.lap("history", f"{stats.assessments:,} assessments, {stats.current_levels:,} current")
    _refresh_statistics()
    clock.lap("vacuum/analyze")
    stats.users, stats.teams, stats.skills = len(user_ids), len(team_ids), len(skills)
    return stats


# --- Teams, people, skills, targets -------------------------------------------------------
def _plan_teams(rng: random.Random, count: int) -> list[_Team]:
    """About a third are top-level teams; the rest hang below an earlier team (≤ 3 deep)."""
    roots = max(1, round(count * 0.3))
    teams: list[_Team] = []
    can_have_children: list[int] = []
    depth: list[int] = []
    for index in range(count):
        if index < roots:
            name = f"{AREAS[index % len(AREAS)]} {index + 1:03d}"
            teams.append(_Team(name, None, rng.sample(list(CATEGORIES), 2)))
            depth.append(1)
        else:
            parent = rng.choice(can_have_children)
            area, function = teams[parent].name.split()[0], FUNCTIONS[index % len(FUNCTIONS)]
            own = [*teams[parent].categories, rng.choice(list(CATEGORIES))]
            teams.append(_Team(f"{area} {function} {index + 1:03d}", parent, own))
            depth.append(depth[parent] + 1)
        if depth[index] < 3:
            can_have_children.append(index)
    return teams


def _create_skills(rng: random.Random, count: int) -> list[Skill]:
    categories = list(CATEGORIES)
    skills = []
    for index in range(count):
        category = categories[index % len(categories)]
        topics = CATEGORIES[category]
        topic = topics[(index // len(categories)) % len(topics)]
        name = f"{topic} {index + 1:03d}"
        description = (
            f"{topic} in everyday {category.lower()} work: what good looks like at each "
            "level, how to get started, and who in the organisation can help."
        )
        skills.append(
            Skill(name=name, slug=slugify(name), category=category, description=description)
        )
    rng.shuffle(skills)  # ids don't follow categories, as in a real catalogue
    return Skill.objects.bulk_create(skills, batch_size=BATCH)


def _create_teams(teams: list[_Team]) -> list[int]:
    created = Team.objects.bulk_create([Team(name=team.name) for team in teams], batch_size=BATCH)
    for row, team in zip(created, teams, strict=True):
        if team.parent is not None:
            row.parent_id = created[team.parent].pk
    Team.objects.bulk_update(
        [row for row, team in zip(created, teams, strict=True) if team.parent is not None],
        ["parent"],
        batch_size=BATCH,
    )
    return [row.pk for row in created]


def _create_users(
    rng: random.Random, count: int, teams: list[_Team], team_ids: list[int], until: datetime
) -> list[int]:
    """People spread unevenly over teams (a few with no team), 2% inactive; every team with
    members gets one of them as its lead."""
    sizes = [rng.lognormvariate(0, 0.6) for _ in teams]
    cum_weights = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    team_indexes = range(len(teams))
    alphabet = string.ascii_letters + string.digits
    users = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        team = (
            rng.choices(team_indexes, cum_weights=cum_weights)[0] if rng.random() > 0.005 else None
        )
        if team is not None:
            teams[team].members.append(index)
        domain = "example.org" if index % 5 == 4 else "example.com"
        users.append(
            User(
                email=f"{first}.{last}.{index + 1}@{domain}".lower(),
                display_name=f"{first} {last}",
                team_id=team_ids[team] if team is not None else None,
                job_title=rng.choice(JOB_TITLES),
                time_zone=rng.choice(TIME_ZONES),
                share_skill_levels=rng.random() < 0.3,
                suggest_me_as_teacher=rng.random() < 0.25,
                is_active=rng.random() > 0.02,
                date_joined=until - timedelta(days=rng.randrange(30, 6 * 365)),
                # What set_unusable_password() stores, drawn from the seed and without hashing.
                password=UNUSABLE_PASSWORD_PREFIX
                + "".join(rng.choices(alphabet, k=UNUSABLE_PASSWORD_SUFFIX_LENGTH)),
            )
        )
    user_ids = [user.pk for user in User.objects.bulk_create(users, batch_size=BATCH)]
    leads = []
    for team, team_id in zip(teams, team_ids, strict=True):
        if team.members:
            team.lead = rng.choice(team.members)
            leads.append(Team(pk=team_id, lead_id=user_ids[team.lead]))
    Team.objects.bulk_update(leads, ["lead"], batch_size=BATCH)
    return user_ids


def _create_targets(
    rng: random.Random, teams: list[_Team], team_ids: list[int], skills: list[Skill]
) -> int:
    """15 to 30 targets per team, mostly in the team's own categories."""
    by_category: dict[str, list[int]] = {}
    for index, skill in enumerate(skills):
        by_category.setdefault(skill.category, []).append(index)
    rows = []
    for team, team_id in zip(teams, team_ids, strict=True):
        wanted = min(rng.randint(15, 30), len(skills))
        home = sorted({i for category in team.categories for i in by_category.get(category, [])})
        chosen = rng.sample(home, min(len(home), round(wanted * 0.7)))
        while len(chosen) < wanted:
            candidate = rng.randrange(len(skills))
            if candidate not in chosen:
                chosen.append(candidate)
        team.targets = chosen
        rows.extend(
            SkillTarget(
                team_id=team_id,
                skill_id=skills[index].pk,
                target_level=rng.choices([1, 2, 3, 4], [1, 3, 4, 2])[0],
                priority=rng.choices([1, 2, 3], [2, 5, 3])[0],
            )
            for index in chosen
        )
    SkillTarget.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- Assessment history -------------------------------------------------------------------
def _assessment_counts(rng: random.Random, users: int, total: int) -> list[int]:
    """Split ``total`` over people unevenly (some assess often, some rarely), summing exactly."""
    if users == 0:
        return []
    weights = [rng.uniform(0.2, 1.8) for _ in range(users)]
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for _ in range(total - sum(counts)):
        counts[rng.randrange(users)] += 1
    return counts


def _history_rows(
    rng: random.Random,
    size: OrgSize,
    teams: list[_Team],
    user_ids: list[int],
    skills: list[Skill],
    until: datetime,
) -> Iterator[tuple[list[tuple], tuple]]:
    """Per (person, skill): its assessments in time order and the resulting current level."""
    team_of = {member: team for team in teams for member in team.members}
    trainers = rng.sample(range(len(user_ids)), max(1, len(user_ids) // 50))
    earliest = until - timedelta(days=365 * HISTORY_YEARS)
    for user, count in enumerate(_assessment_counts(rng, len(user_ids), size.assessments)):
        if count == 0:
            continue
        team = team_of.get(user)
        distinct = max(1, min(count, len(skills), round(count / rng.uniform(1.8, 3.2))))
        chosen = _skills_for(rng, team.targets if team else [], distinct, len(skills))
        lengths = [1] * distinct
        for slot in rng.choices(range(distinct), k=count - distinct):
            lengths[slot] += 1
        for skill, length in zip(chosen, lengths, strict=True):
            yield _one_history(rng, user, team, trainers, skill, length, earliest, until)


def _skills_for(rng: random.Random, targets: list[int], count: int, catalogue: int) -> list[int]:
    """Mostly the skills the person's team targets, some others."""
    chosen = rng.sample(targets, min(len(targets), round(count * 0.75)))
    taken = set(chosen)
    while len(chosen) < count:
        candidate = rng.randrange(catalogue)
        if candidate not in taken:
            taken.add(candidate)
            chosen.append(candidate)
    return chosen


def _one_history(rng, user, team, trainers, skill, length, earliest, until):
    span = int((until - earliest).total_seconds()) - length
    # Denser towards the present: more people assess themselves as the programme grows.
    seconds = sorted(int(span * rng.random() ** 0.7) for _ in range(length))
    level = rng.choices(range(5), [2, 3, 3, 2, 1])[0]
    verified = (None, "")
    rows = []
    for step, offset in enumerate(seconds):
        at = earliest + timedelta(seconds=offset + step)  # strictly increasing per pair
        if step:
            level = min(4, max(0, level + rng.choices([-1, 0, 1, 2], [1, 4, 4, 1])[0]))
        source, by = _source_and_assessor(rng, user, team, trainers, first=step == 0)
        if source != AssessmentSource.SELF:
            verified = (level, source.value)
        note = rng.choice(NOTES) if source != AssessmentSource.SELF else ""
        rows.append((user, skill, level, source.value, by, note, at))
    current = (user, skill, level, rows[-1][3], rows[-1][6], *verified)
    return rows, current


def _source_and_assessor(rng, user, team, trainers, *, first):
    source = AssessmentSource.SELF if first else rng.choices(*SOURCES_LATER)[0]
    if source == AssessmentSource.PEER and team and len(team.members) > 1:
        peer = rng.choice(team.members)
        return (source, peer) if peer != user else (AssessmentSource.SELF, user)
    if source == AssessmentSource.LEAD and team and team.lead not in (None, user):
        return source, team.lead
    if source == AssessmentSource.TRAINER:
        trainer = rng.choice(trainers)
        return (source, trainer) if trainer != user else (AssessmentSource.SELF, user)
    return AssessmentSource.SELF, user


def _create_history(rng, size, teams, user_ids, skills, until) -> tuple[int, int]:
    history_writer = _Writer(
        SkillAssessment,
        ["user", "skill", "level", "source", "assessed_by", "note", "created_at"],
    )
    current_writer = _Writer(
        CurrentSkillLevel,
        ["user", "skill", "level", "source", "assessed_at", "verified_level", "verified_source"],
    )
    skill_ids = [skill.pk for skill in skills]
    for rows, current in _history_rows(rng, size, teams, user_ids, skills, until):
        for user, skill, level, source, by, note, at in rows:
            history_writer.add(
                (user_ids[user], skill_ids[skill], level, source, user_ids[by], note, at)
            )
        user, skill, *rest = current
        current_writer.add((user_ids[user], skill_ids[skill], *rest))
    return history_writer.close(), current_writer.close()


class _Writer:
    """Buffers rows and writes them with COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, fields: list[str]):
        self.model, self.fields, self.rows, self.written = model, fields, [], 0
        self.columns = [model._meta.get_field(name).column for name in fields]
        self.copy = _can_copy()

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH * (20 if self.copy else 1):
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copy:
            self._copy()
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            )
        self.written += len(self.rows)
        self.rows = []

    def _copy(self) -> None:
        buffer = io.StringIO()
        for row in self.rows:
            buffer.write("\t".join(_copy_value(value) for value in row))
            buffer.write("\n")
        buffer.seek(0)
        sql = f"COPY {self.model._meta.db_table} ({', '.join(self.columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, buffer)

    def close(self) -> int:
        self.flush()
        return self.written


def _can_copy() -> bool:
    """COPY through psycopg2's ``copy_expert``; any other driver falls back to bulk_create."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor.cursor, "copy_expert")


def _copy_value(value) -> str:
    """COPY's text format. Generated text never holds tabs, newlines or backslashes."""
    if value is None:
        return r"\N"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _refresh_statistics() -> None:
    """Give the planner true row counts at once instead of waiting for autovacuum.

    VACUUM also sets the visibility map (index-only scans), as autovacuum would on a live
    system; it cannot run inside a transaction, so there only ANALYZE runs.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Team, User, Skill, SkillTarget, SkillAssessment, CurrentSkillLevel)
    ]
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {table}")


def start_of_today() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
