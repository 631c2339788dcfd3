"""What every signed-in person sees first: their next sessions, their waitlist places, and
their biggest gaps with what closes them. A fixed number of queries whatever the data."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from peertrain.accounts.models import User
from programmes.models import CurrentSkillLevel
from programmes.selectors import MyGap, colleagues_who_know, my_gaps, team_has_targets
from sessions.models import Booking, LearningInterest, TrainingSession
from sessions.selectors import upcoming_sessions_by_skill

NEXT_SESSIONS_SHOWN = 5  # "my sessions" lists them all
TOP_GAPS_SHOWN = 3  # "my skills" lists them all
SESSIONS_PER_GAP = 2
COLLEAGUES_PER_GAP = 2


@dataclass(frozen=True)
class GapToClose:
    """One of my gaps with what would close it: sessions to book, colleagues to ask, and,
    where no session is coming, whether I already said I want to learn it."""

    gap: MyGap
    sessions: list[TrainingSession]
    colleagues: list[CurrentSkillLevel]
    wants_to_learn: bool


@dataclass(frozen=True)
class LearnerHome:
    booked: list[Booking]  # confirmed seats on sessions not over yet, soonest first
    more_booked: bool
    waitlisted: list[Booking]  # waitlist places, soonest session first, with positions
    more_waitlisted: bool
    gaps: list[GapToClose]  # my top gaps, most important first
    more_gaps: bool
    team_has_targets: bool  # tells "no gaps" apart from "nothing to compare with"


def _upcoming_bookings(user: User, status: str, now: datetime) -> tuple[list[Booking], bool]:
    rows = list(
        Booking.objects.filter(
            user=user,
            status=status,
            session__ends_at__gt=now,
            session__status=TrainingSession.Status.PUBLISHED,
        )
        .select_related("session__skill")
        .order_by("session__starts_at", "pk")[: NEXT_SESSIONS_SHOWN + 1]
    )
    return rows[:NEXT_SESSIONS_SHOWN], len(rows) > NEXT_SESSIONS_SHOWN


def gaps_to_close(*, user: User, limit: int = TOP_GAPS_SHOWN) -> tuple[list[GapToClose], bool]:
    """My ``limit`` most important gaps (``my_gaps``' order), each with the next sessions
    for its skill, colleagues who know it, and whether I asked to learn it. Five queries."""
    all_gaps = my_gaps(user=user)
    gaps = all_gaps[:limit]
    if not gaps:
        return [], False
    skills = [gap.skill for gap in gaps]
    skill_ids = [skill.pk for skill in skills]
    sessions = upcoming_sessions_by_skill(skill_ids, per_skill=SESSIONS_PER_GAP)
    colleagues = colleagues_who_know(skills=skills, exclude=user, per_skill=COLLEAGUES_PER_GAP)
    wanted = set(
        LearningInterest.objects.filter(user=user, skill_id__in=skill_ids).values_list(
            "skill_id", flat=True
        )
    )
    rows = [
        GapToClose(
            gap=gap,
            sessions=sessions.get(gap.skill.pk, []),
            colleagues=colleagues.get(gap.skill.pk, []),
            wants_to_learn=gap.skill.pk in wanted,
        )
        for gap in gaps
    ]
    return rows, len(all_gaps) > limit


def learner_home(*, user: User, now: datetime | None = None) -> LearnerHome:
    now = now or timezone.now()
    booked, more_booked = _upcoming_bookings(user, Booking.Status.CONFIRMED, now)
    waitlisted, more_waitlisted = _upcoming_bookings(user, Booking.Status.WAITLISTED, now)
    gaps, more_gaps = gaps_to_close(user=user)
    return LearnerHome(
        booked=booked,
        more_booked=more_booked,
        waitlisted=waitlisted,
        more_waitlisted=more_waitlisted,
        gaps=gaps,
        more_gaps=more_gaps,
        team_has_targets=bool(gaps) or team_has_targets(team_id=user.team_id),
    )
