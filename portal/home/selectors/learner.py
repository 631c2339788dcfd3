"""What every signed-in person sees first: their next sessions, their waitlist places (and
seats offered), sessions called off, and their biggest gaps with what closes them. A fixed
number of queries whatever the data."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from peertrain.accounts.models import User
from programmes.models import CurrentSkillLevel
from programmes.ports import LearningOffer
from programmes.selectors import MyGap, colleagues_who_know, my_gaps, team_has_targets
from sessions.selectors import upcoming_sessions_by_skill
from sessions.selectors_booking_states import (
    MySession,
    Relation,
    booking_states_for,
    my_sessions,
)
from sessions.selectors_demand import learning_offers

NEXT_SESSIONS_SHOWN = 5  # "my sessions" lists them all
TOP_GAPS_SHOWN = 3  # "my skills" lists them all
SESSIONS_PER_GAP = 2
COLLEAGUES_PER_GAP = 2
SEATED = (Relation.BOOKED,)
WAITING = (Relation.WAITLISTED, Relation.OFFERED)


@dataclass(frozen=True)
class GapToClose:
    """One of my gaps with what would close it: sessions to book, colleagues to ask, and,
    and "I want to learn this" (shown where no session is coming)."""

    gap: MyGap
    sessions: list[MySession]  # each with my state on it: booked already, waitlisted…
    colleagues: list[CurrentSkillLevel]
    offer: LearningOffer | None


@dataclass(frozen=True)
class LearnerHome:
    # Each row a session with my state on it (``booking_states``: the one wording of it).
    booked: list[MySession]  # seats on sessions not over yet, soonest first
    more_booked: bool
    waitlisted: list[MySession]  # waitlist places (#n) or a freed seat offered, soonest first
    more_waitlisted: bool
    called_off: list[MySession]  # sessions I was on that were cancelled, not over yet
    gaps: list[GapToClose]  # my top gaps, most important first
    more_gaps: bool
    team_has_targets: bool  # tells "no gaps" apart from "nothing to compare with"


def _shown(rows: list[MySession]) -> tuple[list[MySession], bool]:
    return rows[:NEXT_SESSIONS_SHOWN], len(rows) > NEXT_SESSIONS_SHOWN


def gaps_to_close(*, user: User, limit: int = TOP_GAPS_SHOWN) -> tuple[list[GapToClose], bool]:
    """My ``limit`` most important gaps (``my_gaps``' order), each with the next sessions
    for its skill (with my state on each), colleagues who know it, and "I want to learn
    this". Six queries."""
    all_gaps = my_gaps(user=user)
    gaps = all_gaps[:limit]
    if not gaps:
        return [], False
    skills = [gap.skill for gap in gaps]
    skill_ids = [skill.pk for skill in skills]
    sessions = upcoming_sessions_by_skill(skill_ids, per_skill=SESSIONS_PER_GAP)
    states = booking_states_for(
        user=user, sessions=[session for found in sessions.values() for session in found]
    )
    colleagues = colleagues_who_know(skills=skills, exclude=user, per_skill=COLLEAGUES_PER_GAP)
    offers = learning_offers(user, skill_ids)
    rows = [
        GapToClose(
            gap=gap,
            sessions=[
                MySession(session, states[session.pk]) for session in sessions.get(gap.skill.pk, [])
            ],
            colleagues=colleagues.get(gap.skill.pk, []),
            offer=offers.get(gap.skill.pk),
        )
        for gap in gaps
    ]
    return rows, len(all_gaps) > limit


def learner_home(*, user: User, now: datetime | None = None) -> LearnerHome:
    now = now or timezone.now()
    mine = my_sessions(user=user, now=now)
    booked, more_booked = _shown([row for row in mine.upcoming if row.state.relation in SEATED])
    waitlisted, more_waitlisted = _shown(
        [row for row in mine.upcoming if row.state.relation in WAITING]
    )
    # My sessions keeps cancelled ones for a month after their date; the home only those to come.
    called_off = [
        row
        for row in mine.cancelled
        if row.state.relation == Relation.SESSION_CANCELLED and row.session.ends_at > now
    ]
    gaps, more_gaps = gaps_to_close(user=user)
    return LearnerHome(
        booked=booked,
        more_booked=more_booked,
        waitlisted=waitlisted,
        more_waitlisted=more_waitlisted,
        called_off=called_off[:NEXT_SESSIONS_SHOWN],
        gaps=gaps,
        more_gaps=more_gaps,
        team_has_targets=bool(gaps) or team_has_targets(team_id=user.team_id),
    )
