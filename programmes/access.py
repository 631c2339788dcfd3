"""Named access helpers: each returns the object a person may act on, or refuses.

Every view that touches a team or a person's levels goes through one of these, so a
scoping rule has exactly one place to live.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peertrain.accounts.access import active_person, member_of_teams
from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import teams_led_by, user_is_ld_staff

from .models import Programme
from .selectors import can_see_levels_of


def teams_visible_to(*, user: User) -> list[Team]:
    """L&D staff see every team; a lead sees the teams they lead and their sub-teams."""
    if user_is_ld_staff(user):
        return list(Team.objects.select_related("parent").order_by("name"))
    return teams_led_by(lead=user)


def team_for_viewer(
    *, user: User, team_id: int | str | None, teams: list[Team] | None = None
) -> Team:
    """The team whose matrix ``user`` asked for (their first team if none was named).
    ``teams`` is ``teams_visible_to(user=user)`` when the page has already read it."""
    teams = teams_visible_to(user=user) if teams is None else teams
    if not teams:
        raise PermissionDenied("The skills matrix is for team leads and L&D staff.")
    if team_id in (None, ""):
        return teams[0]
    try:
        team_id = int(team_id)
    except (TypeError, ValueError) as exc:
        raise Http404("No such team.") from exc
    for team in teams:
        if team.pk == team_id:
            return team
    if not Team.objects.filter(pk=team_id).exists():
        raise Http404("No such team.")
    raise PermissionDenied("You can only see the teams you lead.")


def member_for_lead(*, lead: User, member_id: int | str | None) -> User:
    """A person in one of the teams ``lead`` leads, sub-teams included (``member_of_teams``),
    or any active person, for L&D staff."""
    if user_is_ld_staff(lead):
        return active_person(person_id=member_id)
    return member_of_teams(teams=teams_led_by(lead=lead), member_id=member_id)


def person_for_level_viewer(*, viewer: User, person_id: int | str) -> User:
    """A person whose current skill levels ``viewer`` may see (see ``can_see_levels_of``)."""
    person = active_person(person_id=person_id)
    if not can_see_levels_of(viewer=viewer, person=person):
        raise PermissionDenied(
            f"{person} keeps their skill levels private. Only they, their team lead and "
            "L&D staff can see them."
        )
    return person


def programme_for_viewer(*, user: User, pk: int | str) -> Programme:
    """L&D staff may open any programme; everyone else only an active one for their team.

    Anything else is "not found", so drafts aren't revealed to people outside L&D.
    """
    programmes = Programme.objects.select_related("owner")
    if not user_is_ld_staff(user):
        if user.team_id is None:
            raise Http404("No such programme.")
        programmes = programmes.filter(status=Programme.Status.ACTIVE, audience_teams=user.team_id)
    try:
        return programmes.distinct().get(pk=int(pk))
    except (Programme.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("No such programme.") from exc
