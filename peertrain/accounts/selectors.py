"""Who a person is in the programme. Reads only."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from .ld_staff import LD_STAFF_GROUP
from .models import Team, User

# Where portal.home caches a request's roles. Home sits above accounts, so it takes the
# name from here; the L&D check below can then reuse roles a page already worked out.
REQUEST_ROLES_ATTR = "_peertrain_roles"


def in_ld_staff_group() -> Exists:
    """SQL: the outer ``User`` row is in the `L&D staff` group (to annotate in one query)."""
    return Exists(
        User.groups.through.objects.filter(user=OuterRef("pk"), group__name=LD_STAFF_GROUP)
    )


def user_is_ld_staff(user: User | AnonymousUser, *, in_group: bool | None = None) -> bool:
    """L&D staff are active staff members in the `L&D staff` group (superusers count too).

    ``in_group`` is the group membership when the caller already read it (annotated with
    ``in_ld_staff_group()``); otherwise it is queried, only when it can matter.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    if in_group is None:
        in_group = User.objects.filter(pk=user.pk).filter(in_ld_staff_group()).exists()
    return in_group


def ld_staff_members() -> list[User]:
    """Active L&D staff (staff members in the `L&D staff` group), to tell them something.
    One query."""
    return list(User.objects.filter(is_active=True, is_staff=True).filter(in_ld_staff_group()))


def request_user_is_ld_staff(request: HttpRequest) -> bool:
    """``user_is_ld_staff(request.user)``, from the request's roles if already computed."""
    roles = getattr(request, REQUEST_ROLES_ATTR, None)
    if roles is not None:
        return roles.is_ld_staff
    return user_is_ld_staff(request.user)


# --- Team leads ------------------------------------------------------------------------
# The product's rule: a team's lead answers for the teams below it too. Whoever leads a
# parent team sees and acts on its sub-teams (matrix, roster, booking, levels), so "which
# teams does this person lead" has one answer, ``teams_led_by``, used by every page.
def leads_a_team() -> Exists:
    """SQL: the outer ``User`` row leads a team (to annotate or filter in one query)."""
    return Exists(Team.objects.filter(lead=OuterRef("pk")))


def team_ids_with_descendants(team_ids: set[int]) -> set[int]:
    """The teams and every team below them, from one read of the team tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Team.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = set(team_ids), list(team_ids)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def teams_led_by(*, lead: User | AnonymousUser) -> list[Team]:
    """The teams ``lead`` leads and every team below them, by name, each with its parent.
    One query for someone who leads no team, three for a lead."""
    if not lead.is_authenticated:
        return []
    led = set(Team.objects.filter(lead=lead).values_list("pk", flat=True))
    if not led:
        return []
    return list(
        Team.objects.filter(pk__in=team_ids_with_descendants(led))
        .select_related("parent")
        .order_by("name")
    )


@dataclass(frozen=True)
class TeamRoster:
    team: Team
    members: list[User]


def team_rosters(*, teams: list[Team]) -> list[TeamRoster]:
    """Each of ``teams`` (a lead's, from ``teams_led_by``) with its active members, in one
    query."""
    members_by_team: dict[int | None, list[User]] = {team.pk: [] for team in teams}
    for member in User.objects.filter(team__in=teams, is_active=True).order_by(
        "display_name", "email"
    ):
        members_by_team[member.team_id].append(member)
    return [TeamRoster(team=team, members=members_by_team[team.pk]) for team in teams]
