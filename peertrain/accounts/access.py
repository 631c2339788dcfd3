"""Who may see and change whose account, which rights a person may hand out, and whom a
team lead may act on.

Accounts: the rule, in one place for the admin and any page that manages people: a superuser may do
anything. Anyone else (L&D staff) never sees a superuser, changes only their own account and
accounts without staff status, sets passwords only of accounts without staff status (their
own goes through the password page that asks for the current one), and hands out only the
groups and permissions they hold themselves. Staff and superuser status, and individual
permissions, are set by superusers only. So no one can raise their own rights, or take over
an account that has as many rights as theirs or more.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Team, User
from .selectors import teams_led_by

# Account fields only a superuser may set: each one hands out rights.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


def accounts_visible_to(queryset: QuerySet[User], *, actor: User) -> QuerySet[User]:
    """``queryset`` without the accounts ``actor`` must not know of: superusers, for anyone
    who isn't one."""
    if actor.is_superuser:
        return queryset
    return queryset.filter(is_superuser=False)


def may_change_account(*, actor: User, target: User) -> bool:
    if actor.is_superuser:
        return True
    if target.is_superuser:
        return False
    return target.pk == actor.pk or not target.is_staff


def may_set_password(*, actor: User, target: User) -> bool:
    if actor.is_superuser:
        return True
    return not (target.is_superuser or target.is_staff)


def grantable_groups(*, actor: User) -> QuerySet[Group]:
    """The groups ``actor`` may add people to or take them out of: those they are in."""
    if actor.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(user=actor)


def grantable_permissions(*, actor: User) -> QuerySet[Permission]:
    """The permissions ``actor`` may hand out (e.g. to a group): those they hold."""
    if actor.is_superuser:
        return Permission.objects.all()
    if not actor.is_active:
        return Permission.objects.none()
    return Permission.objects.filter(Q(user=actor) | Q(group__user=actor)).distinct()


def keep_ungrantable(chosen: QuerySet, *, current: QuerySet, grantable: QuerySet) -> QuerySet:
    """The set to save when someone who may hand out only ``grantable`` chose ``chosen``:
    what they chose, plus whatever the object already had that they may not touch (they can
    neither add nor take away a right they don't hold)."""
    model = chosen.model
    untouchable = current.exclude(pk__in=grantable.values("pk"))
    return model.objects.filter(Q(pk__in=chosen.values("pk")) | Q(pk__in=untouchable.values("pk")))


# --- Team leads -------------------------------------------------------------------------
# Team leads: a lead acts on the people of the teams they lead and of every team below them
# (``teams_led_by``). Pages for leads refuse everyone else with ``NOT_A_TEAM_LEAD`` (through
# ``team_lead_required``) and pick the person they act on with ``member_of_teams``.
NOT_A_TEAM_LEAD = "This page is for team leads."
NOT_IN_YOUR_TEAMS = "You can only choose people in the teams you lead."


def teams_led_or_refuse(*, user: User | AnonymousUser) -> list[Team]:
    """The teams ``user`` leads, sub-teams included; refuses (403) someone who leads none."""
    teams = teams_led_by(lead=user)
    if not teams:
        raise PermissionDenied(NOT_A_TEAM_LEAD)
    return teams


def active_person(*, person_id: int | str | None) -> User:
    """An active person by id, with their team; an unknown or malformed id is a 404."""
    try:
        pk = int(person_id)  # type: ignore[arg-type]  # None is refused as a TypeError
    except (TypeError, ValueError) as exc:
        raise Http404("No such person.") from exc
    person = User.objects.select_related("team").filter(pk=pk, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    return person


def member_of_teams(*, teams: Iterable[Team], member_id: int | str | None) -> User:
    """An active person in one of ``teams`` (a lead's, from ``teams_led_by``): unknown 404,
    outside those teams 403."""
    member = active_person(person_id=member_id)
    if member.team_id not in {team.pk for team in teams}:
        raise PermissionDenied(NOT_IN_YOUR_TEAMS)
    return member
