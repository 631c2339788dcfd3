"""What programmes asks higher apps (query ports; docs/events.md lists them)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peertrain.accounts.models import User
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


@dataclass(frozen=True)
class LearningOffer:
    """ "I want to learn this" for one skill, as one person sees it. The app that keeps the
    requests answers it and names the partial that offers the action (``template``, given
    ``skill`` and ``offer``), so a lower app's page shows the action without knowing it."""

    skill_id: int
    session_coming: bool  # an upcoming published session teaches it: nothing to ask for
    asked: bool  # this person asked to learn it
    colleagues_asked: int  # other active people who asked
    template: str

    @property
    def asked_in_all(self) -> int:
        """Everyone active who asked, this person included."""
        return self.colleagues_asked + int(self.asked)

    @property
    def offered(self) -> bool:
        """Show the action: no upcoming session teaches the skill."""
        return not self.session_coming


def _no_offers(user: User, skill_ids: Sequence[int]) -> dict[int, LearningOffer]:
    return {}


LEARNING_OFFERS = declare_port(
    "programmes.learning_offers",
    default=_no_offers,
    doc='"I want to learn this" per skill id for one person, for "my gaps" and trainers.',
)


def learning_offers_for(*, user: User, skill_ids: Sequence[int]) -> dict[int, LearningOffer]:
    """``user``'s "I want to learn this" for each of ``skill_ids`` that has one (none while
    no app provides the port, and then pages show no action)."""
    if not skill_ids:
        return {}
    return ask(LEARNING_OFFERS, user, list(skill_ids))
