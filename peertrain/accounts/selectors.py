"""Who a person is in the programme. Reads only."""

from dataclasses import dataclass

from .ld_staff import LD_STAFF_GROUP
from .models import Team, User


def user_is_ld_staff(user: User) -> bool:
    """L&D staff are staff members in the `L&D staff` group (superusers count too)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=LD_STAFF_GROUP).exists()


def teams_led_by(user: User) -> list[Team]:
    if not user.is_authenticated:
        return []
    return list(Team.objects.filter(lead=user).order_by("name"))


@dataclass(frozen=True)
class TeamRoster:
    team: Team
    members: list[User]


def team_rosters_for_lead(*, lead: User) -> list[TeamRoster]:
    """Each team the person leads, with its members, in two queries."""
    teams = teams_led_by(lead)
    members_by_team: dict[int, list[User]] = {team.pk: [] for team in teams}
    for member in User.objects.filter(team__in=teams, is_active=True).order_by(
        "display_name", "email"
    ):
        members_by_team[member.team_id].append(member)
    return [TeamRoster(team=team, members=members_by_team[team.pk]) for team in teams]
