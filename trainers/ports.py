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


@dataclass(frozen=True)
class PastSession:
    title: str
    skill: str
    starts_at: datetime
    url: str


@dataclass(frozen=True)
class SessionRecord:
    """A person's sessions that took place: attended as a learner and taught (lead or
    co-trainer), each a total and the latest few, newest first."""

    attended_count: int = 0
    attended: tuple[PastSession, ...] = ()
    taught_count: int = 0
    taught: tuple[PastSession, ...] = ()


def _no_records(user_ids: list[int]) -> dict[int, SessionRecord]:
    return {}


SESSION_RECORDS = declare_port(
    "trainers.session_records",
    default=_no_records,
    doc="Sessions people attended and taught, for the L&D review workspace (sessions know).",
)


def session_records(*, user_ids: list[int]) -> dict[int, SessionRecord]:
    """Each of ``user_ids``' ``SessionRecord`` (an empty one without sessions), in a fixed
    number of queries however many people."""
    found = ask(SESSION_RECORDS, list(user_ids)) if user_ids else {}
    return {user_id: found.get(user_id, SessionRecord()) for user_id in user_ids}


def _none_run(user_ids: list[int]) -> dict[int, int]:
    return {}


SESSIONS_RUN = declare_port(
    "trainers.sessions_run",
    default=_none_run,
    doc="How many completed sessions each person led or co-taught, for the directory.",
)


def sessions_run(*, user_ids: list[int]) -> dict[int, int]:
    """How many completed sessions each of ``user_ids`` ran (led or co-taught; 0 without
    sessions), in one query however many people."""
    found = ask(SESSIONS_RUN, list(user_ids)) if user_ids else {}
    return {user_id: found.get(user_id, 0) for user_id in user_ids}
