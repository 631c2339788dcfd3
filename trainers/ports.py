"""What trainers asks higher apps (query ports; docs/events.md lists them)."""

from dataclasses import dataclass
from datetime import datetime

from peertrain.accounts.models import User
from peertrain.core.ports import ask, declare_port


@dataclass(frozen=True)
class TeachingInvitation:
    """``user`` is asked to teach a session with its lead, ``led_by``; answered at ``url``."""

    title: str
    skill: str
    starts_at: datetime
    led_by: str
    url: str


def _none(user: User) -> list[TeachingInvitation]:
    return []


INVITATIONS_TO_TEACH = declare_port(
    "trainers.invitations_to_teach",
    default=_none,
    doc="A person's unanswered invitations to teach, for /trainers/me/ (sessions ask them).",
)


def invitations_to_teach(*, user: User) -> list[TeachingInvitation]:
    """``user``'s unanswered invitations to teach, soonest first (none without sessions)."""
    found = ask(INVITATIONS_TO_TEACH, user)
    return sorted(found, key=lambda invitation: invitation.starts_at)
