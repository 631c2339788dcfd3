"""Who may lead sessions of a skill, and how many a month: the one check that proposing,
publishing, a series and assigning a trainer all call.

Validity and pause are trainers' rule (``teaching_standing``: a valid certification of a
certified, not paused, trainer); the monthly cap counts sessions, which live here. A session
counts in the month it starts, in the session's own time zone, whether a draft (a promise
to teach), published or completed; a cancelled one doesn't.
"""

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime

from django.template.defaultfilters import pluralize
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.core.timezones import zone_named
from programmes.models import Skill
from trainers.selectors import teaching_standing, trainer_profile_for

from ..errors import SessionError
from ..models import TrainingSession
from ..selectors_teaching import Month, month_name, month_of, sessions_led_by_month


class TeachingRefused(SessionError):
    """The trainer may not lead this session (409): no valid certification, teaching paused,
    or over their monthly cap. The message says which, naming the month and the count."""


def trainer_teaching_check(
    *,
    trainer: User,
    skill: Skill,
    starts: Sequence[datetime],
    time_zone: str = "",
    ignoring: Collection[int] = (),
) -> None:
    """Refuse (``TeachingRefused``) unless ``trainer`` may lead new sessions of ``skill``
    today and sessions starting at ``starts`` keep every month within their cap. The
    sessions ``ignoring`` (those being published, already saved) aren't counted twice.
    Two queries."""
    standing = teaching_standing(user=trainer, skill=skill)
    if not standing.may_teach or standing.monthly_cap is None:
        raise TeachingRefused(standing.reason, field="skill")
    _require_within_cap(
        trainer=trainer,
        cap=standing.monthly_cap,
        starts=starts,
        time_zone=time_zone,
        ignoring=ignoring,
    )


def trainer_cap_check_on_move(*, session: TrainingSession, starts_at: datetime) -> None:
    """Refuse moving ``session`` to ``starts_at`` if that puts its lead trainer over their
    monthly cap there (a move isn't a new session: validity isn't asked again)."""
    profile = trainer_profile_for(user=session.lead_trainer)
    if profile is None:
        return
    _require_within_cap(
        trainer=session.lead_trainer,
        cap=profile.monthly_session_cap,
        starts=[starts_at],
        time_zone=session.time_zone,
        ignoring={session.pk},
    )


def _require_within_cap(
    *,
    trainer: User,
    cap: int,
    starts: Sequence[datetime],
    time_zone: str,
    ignoring: Collection[int],
) -> None:
    zone = zone_named(time_zone) or timezone.get_current_timezone()
    adding = Counter(month_of(start, zone) for start in starts)
    already = sessions_led_by_month(trainer=trainer, months=adding, zone=zone, ignoring=ignoring)
    over = [month for month in sorted(adding) if already[month] + adding[month] > cap]
    if over:
        raise TeachingRefused(_over_cap_message(over, adding, already, cap), field="starts_at")


def _over_cap_message(
    over: list[Month], adding: Counter[Month], already: Counter[Month], cap: int
) -> str:
    months = "; ".join(
        f"{month_name(month)} would have {already[month] + adding[month]} "
        f"({already[month]} already, {adding[month]} new)"
        for month in over
    )
    return (
        f"That is over your cap of {cap} session{pluralize(cap)} a month: {months}. "
        "Drafts count. Choose other dates, cancel a draft, or ask L&D to raise your cap."
    )
