"""Where "my gaps" finds sessions that teach a skill.

Sessions live in a higher app, which programmes must not import; the sessions app
registers its finder here when it loads (dependency inversion), and without it the
gap list simply shows none.
"""

from collections.abc import Callable, Sequence
from typing import Any

SessionFinder = Callable[[Sequence[int]], dict[int, list[Any]]]
_finders: list[SessionFinder] = []


def register_session_finder(finder: SessionFinder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def sessions_teaching(skill_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Upcoming sessions per skill id, from every registered finder."""
    found: dict[int, list[Any]] = {skill_id: [] for skill_id in skill_ids}
    if not skill_ids:
        return found
    for finder in _finders:
        for skill_id, sessions in finder(skill_ids).items():
            found.setdefault(skill_id, []).extend(sessions)
    return found
