"""Rotation: trainers proposed for a session in a fair order — certified for its skill and
valid on the day, not paused, under their monthly cap in the session's month; fewest
sessions led in the last 90 days first, then longest since their last, then by name."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sessions.selectors_teaching import rotation_candidates
from trainers.models import TrainerProfile

from ..factories import CertificationFactory, SkillFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def session_day() -> datetime:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + 2
    first = date(index // 12, index % 12 + 1, 1)
    return datetime(first.year, first.month, 15, 10, tzinfo=LONDON)


@pytest.fixture
def skill():
    return SkillFactory(name="Excel")


def certified(skill, name: str, **certification):
    return CertificationFactory(
        skill=skill, trainer__user__display_name=name, **certification
    ).trainer.user


def led(user, skill, *, days_ago: float, status: str = "completed") -> None:
    starts = timezone.now() - timedelta(days=days_ago)
    TrainingSessionFactory(lead_trainer=user, skill=skill, starts_at=starts, status=status)


def names(candidates) -> list[str]:
    return [candidate.user.display_name for candidate in candidates]


def test_fair_order_on_a_hand_built_case_with_ties(skill):
    certified(skill, "Ada")  # never taught
    certified(skill, "Fay")  # never taught: tied with Ada, so by name
    cy = certified(skill, "Cy")  # only cancelled sessions: never taught either
    for days in (5, 15, 25):
        led(cy, skill, days_ago=days, status="cancelled")
    ben = certified(skill, "Ben")  # nothing in 90 days, last one 120 days ago
    led(ben, skill, days_ago=120)
    cora = certified(skill, "Cora")  # one recent, 60 days ago
    led(cora, skill, days_ago=60)
    dan = certified(skill, "Dan")  # one recent, 10 days ago: Cora waited longer
    led(dan, skill, days_ago=10)
    eve = certified(skill, "Eve")  # two recent, of any skill
    led(eve, skill, days_ago=30)
    led(eve, SkillFactory(), days_ago=40)

    candidates = rotation_candidates(skill=skill, starts_at=session_day(), time_zone=LONDON.key)

    assert names(candidates) == ["Ada", "Cy", "Fay", "Ben", "Cora", "Dan", "Eve"]
    by_name = {candidate.user.display_name: candidate for candidate in candidates}
    assert by_name["Cy"].recent_sessions == 0
    assert by_name["Ben"].recent_sessions == 0
    assert by_name["Ben"].last_session_at is not None
    assert by_name["Eve"].recent_sessions == 2


def test_who_is_left_out(skill):
    certified(skill, "Kept")
    paused = certified(skill, "Paused")
    TrainerProfile.objects.filter(user=paused).update(status=TrainerProfile.Status.PAUSED)
    certified(
        skill,
        "Expired",
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )
    certified(skill, "Lapses before the day", expires_at=session_day() - timedelta(days=1))
    certified(skill, "Valid on the day", expires_at=session_day() + timedelta(days=1))
    at_cap = certified(skill, "At cap")
    TrainerProfile.objects.filter(user=at_cap).update(monthly_session_cap=1)
    in_the_month = session_day() + timedelta(days=3)
    TrainingSessionFactory(lead_trainer=at_cap, skill=skill, starts_at=in_the_month, status="draft")
    gone = certified(skill, "Left the company")
    gone.is_active = False
    gone.save()
    certified(SkillFactory(), "Other skill")

    candidates = rotation_candidates(skill=skill, starts_at=session_day(), time_zone=LONDON.key)

    assert names(candidates) == ["Kept", "Valid on the day"]


def test_the_session_being_staffed_does_not_count_against_its_own_month(skill):
    trainer = certified(skill, "Only one a month")
    TrainerProfile.objects.filter(user=trainer).update(monthly_session_cap=1)
    session = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=session_day(), status="draft"
    )

    assert rotation_candidates(skill=skill, starts_at=session_day()) == []
    assert names(
        rotation_candidates(skill=skill, starts_at=session_day(), ignoring_session=session.pk)
    ) == ["Only one a month"]


@pytest.mark.parametrize("trainers", [5, 200])
def test_one_query_whatever_the_number_of_trainers(skill, trainers, django_assert_num_queries):
    for number in range(trainers):
        user = certified(skill, f"Trainer {number:03}")
        if number % 3 == 0:
            led(user, skill, days_ago=number % 80 + 1)

    with django_assert_num_queries(1):
        candidates = rotation_candidates(skill=skill, starts_at=session_day())

    assert len(candidates) == trainers
