"""Invitations to teach, for a trainer's own page (/trainers/me/).

Co-teaching invitations live in sessions, a higher app that trainers must not import; the
sessions app registers its finder here when it loads (dependency inversion, like
``programmes.recommendations``). Without one, the page simply lists none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peertrain.accounts.models import User


@dataclass(frozen=True)
class TeachingInvitation:
    """``user`` is asked to teach a session with its lead, ``led_by``; answered at ``url``."""

    title: str
    skill: str
    starts_at: datetime
    led_by: str
    url: str


InvitationFinder = Callable[[User], list[TeachingInvitation]]
_finders: list[InvitationFinder] = []


def register_invitation_finder(finder: InvitationFinder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def invitations_to_teach(*, user: User) -> list[TeachingInvitation]:
    """``user``'s unanswered invitations from every registered finder, soonest first."""
    found = [invitation for finder in _finders for invitation in finder(user)]
    return sorted(found, key=lambda invitation: invitation.starts_at)
