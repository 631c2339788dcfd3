"""What a signed-in person may do, worked out once per request in one query.

This module sits at the top of the dependency chain (it reads trainers), so lower apps
use their own selectors instead of importing it.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from peertrain.accounts.models import User
from peertrain.accounts.selectors import (
    REQUEST_ROLES_ATTR,
    in_ld_staff_group,
    leads_a_team,
    user_is_ld_staff,
)
from trainers.selectors import is_trainer_expression


@dataclass(frozen=True)
class Roles:
    is_employee: bool = False
    is_trainer: bool = False
    is_team_lead: bool = False
    is_ld_staff: bool = False

    @property
    def labels(self) -> list[str]:
        names = {
            "is_ld_staff": "L&D staff",
            "is_team_lead": "Team lead",
            "is_trainer": "Trainer",
        }
        return [label for flag, label in names.items() if getattr(self, flag)] or ["Employee"]


ANONYMOUS = Roles()


def roles_of(user: User) -> Roles:
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            in_ld_group=in_ld_staff_group(),
            leads_team=leads_a_team(),
            certified=is_trainer_expression(),
        )
        .values("in_ld_group", "leads_team", "certified")
        .get()
    )
    return Roles(
        is_employee=True,
        is_trainer=flags["certified"],
        is_team_lead=flags["leads_team"],
        is_ld_staff=user_is_ld_staff(user, in_group=flags["in_ld_group"]),
    )


def request_roles(request: HttpRequest) -> Roles:
    """The roles of ``request.user``, computed at most once per request."""
    if not hasattr(request, REQUEST_ROLES_ATTR):
        setattr(request, REQUEST_ROLES_ATTR, roles_of(request.user))
    return getattr(request, REQUEST_ROLES_ATTR)
