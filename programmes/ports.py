"""What programmes asks higher apps (query ports; docs/events.md lists them)."""

from collections.abc import Sequence
from typing import Any

from peertrain.core.ports import ask, declare_port


def _none_per_skill(skill_ids: Sequence[int]) -> dict[int, list[Any]]:
    return {skill_id: [] for skill_id in skill_ids}


SESSIONS_TEACHING = declare_port(
    "programmes.sessions_teaching",
    default=_none_per_skill,
    doc='Upcoming sessions per skill id, for "my gaps" (sessions are a higher app).',
)


def sessions_teaching(skill_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Upcoming sessions for each of ``skill_ids`` (an empty list where there are none, or
    while no app provides the port)."""
    found = _none_per_skill(skill_ids)
    if skill_ids:
        found.update(ask(SESSIONS_TEACHING, list(skill_ids)))
    return found
