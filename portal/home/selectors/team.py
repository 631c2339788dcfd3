"""A team lead's first view: the biggest gaps of the teams they lead (sub-teams included),
who is below target in each and the next sessions to book them on, and the skills only
one person holds. A fixed number of queries whatever the team size."""

from dataclasses import dataclass

from django.utils import timezone

from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import teams_led_by
from programmes.models import CurrentSkillLevel
from programmes.selectors import (
    SINGLE_POINT_RULE,
    single_point_of_knowledge,
    skill_gaps,
)
from sessions.models import Booking, TrainingSession
from sessions.selectors import ACTIVE, upcoming_sessions_by_skill

TEAM_GAPS_SHOWN = 3  # the skills matrix and the gap list show them all
SINGLE_POINTS_SHOWN = 5
MEMBERS_NAMED = 6  # per gap; beyond that the line says how many more
SESSIONS_PER_TEAM_GAP = 2


@dataclass(frozen=True)
class TeamGap:
    """A (team, skill) target below which some members are, the members to book, and the
    next sessions on the skill."""

    gap: object  # a ``skill_gaps`` row: team, skill, target_level, shortfall, members_below…
    to_book: list[User]  # below target, not booked on an upcoming session for the skill
    already_booked: list[User]  # below target, with a seat or a waitlist place on one
    sessions: list[TrainingSession]


@dataclass(frozen=True)
class TeamHome:
    teams: list[Team]
    gaps: list[TeamGap]  # worst first
    more_gaps: bool
    single_points: list  # ``skill_gaps`` rows where one person holds the skill
    has_targets: bool
    single_point_rule: str = SINGLE_POINT_RULE


def _members_below(gaps: list, teams: list[Team]) -> dict[tuple[int, int], list[User]]:
    """For each (team, skill) of ``gaps``, its active members below the target, by name.
    Two queries: the members, and their levels in those skills."""
    members = list(
        User.objects.filter(team__in=teams, is_active=True).order_by("display_name", "email")
    )
    levels = {
        (level.user_id, level.skill_id): level.level
        for level in CurrentSkillLevel.objects.filter(
            user__in=[member.pk for member in members],
            skill_id__in={gap.skill_id for gap in gaps},
        )
    }
    return {
        (gap.team_id, gap.skill_id): [
            member
            for member in members
            if member.team_id == gap.team_id
            and levels.get((member.pk, gap.skill_id), 0) < gap.target_level
        ]
        for gap in gaps
    }


def _booked_for_skill(members: list[User], skill_ids: set[int], now) -> set[tuple[int, int]]:
    """(member, skill) pairs where the member holds an active booking on an upcoming
    session of the skill. One query."""
    return set(
        Booking.objects.filter(
            user__in=[member.pk for member in members],
            status__in=ACTIVE,
            session__skill_id__in=skill_ids,
            session__status=TrainingSession.Status.PUBLISHED,
            session__starts_at__gt=now,
        ).values_list("user_id", "session__skill_id")
    )


def team_home(*, lead: User) -> TeamHome:
    """What the teams ``lead`` leads should work on. Eight queries at most."""
    teams = teams_led_by(lead=lead)
    # Every target of these teams, met ones included: a single point of knowledge is
    # found among them by ``single_point_of_knowledge``, the one statement of the rule.
    rows = list(skill_gaps(teams=teams))
    open_gaps = sorted(
        (row for row in rows if row.shortfall > 0),
        key=lambda row: (-row.score, -row.share_below, row.team.name, row.skill.name),
    )
    shown = open_gaps[:TEAM_GAPS_SHOWN]
    members = _members_below(shown, teams) if shown else {}
    skill_ids = {row.skill_id for row in shown}
    sessions = upcoming_sessions_by_skill(skill_ids, per_skill=SESSIONS_PER_TEAM_GAP)
    below = [member for group in members.values() for member in group]
    booked = _booked_for_skill(below, skill_ids, timezone.now()) if below else set()
    single_points = [row for row in rows if single_point_of_knowledge(row)]
    single_points.sort(key=lambda row: (-row.priority, row.team.name, row.skill.name))
    return TeamHome(
        teams=teams,
        gaps=[
            TeamGap(
                gap=row,
                to_book=[
                    member
                    for member in members[(row.team_id, row.skill_id)]
                    if (member.pk, row.skill_id) not in booked
                ],
                already_booked=[
                    member
                    for member in members[(row.team_id, row.skill_id)]
                    if (member.pk, row.skill_id) in booked
                ],
                sessions=sessions.get(row.skill_id, []),
            )
            for row in shown
        ],
        more_gaps=len(open_gaps) > TEAM_GAPS_SHOWN,
        single_points=single_points[:SINGLE_POINTS_SHOWN],
        has_targets=bool(rows),
    )
