"""One check decides who may lead sessions of a skill, and how many a month: proposing,
publishing and series all ask ``trainer_teaching_check``.

A certification that expired, or a trainer whose teaching is paused, stops new sessions of
the skill (the propose page says why); the monthly cap counts the sessions a trainer leads
in each month they start in (drafts included, cancelled ones not), every month of a series.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sessions.models import TrainingSeries, TrainingSession
from sessions.services.eligibility import TeachingRefused, trainer_teaching_check
from sessions.services.sessions import (
    training_series_create,
    training_series_publish,
    training_session_create,
    training_session_publish,
    training_session_update,
)
from trainers.models import TrainerProfile

from ..factories import CertificationFactory, SkillFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def month_ahead(months: int) -> date:
    """The first day of the month ``months`` after this one."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def month_label(day: date) -> str:
    return day.strftime("%B %Y")


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


@pytest.fixture
def profile(trainer) -> TrainerProfile:
    profile = trainer.trainer_profile
    profile.monthly_session_cap = 4
    profile.save()
    return profile


def propose(trainer, skill, starts_at: datetime, **fields) -> TrainingSession:
    return training_session_create(
        trainer=trainer,
        skill=skill,
        title="Pivot tables",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=6,
        location="Room 2",
        time_zone="Europe/London",
        **fields,
    )


def led_in(trainer, skill, day: date, count: int, status: str = "published") -> None:
    for offset in range(count):
        TrainingSessionFactory(
            lead_trainer=trainer, skill=skill, starts_at=at(day, 9 + offset), status=status
        )


# --- The monthly cap ---------------------------------------------------------------------
def test_a_series_over_the_cap_in_its_second_month_is_refused_naming_month_and_count(
    trainer, skill, profile
):
    first_month, second_month = month_ahead(2), month_ahead(3)
    led_in(trainer, skill, second_month.replace(day=2), 3)
    led_in(trainer, skill, second_month.replace(day=3), 2, status="cancelled")  # not counted
    # Every two weeks from the 10th: the 10th and 24th, then two dates in the next month.
    starts = at(first_month.replace(day=10))

    with pytest.raises(TeachingRefused) as refusal:
        training_series_create(
            trainer=trainer,
            every_weeks=2,
            until=second_month.replace(day=25),
            skill=skill,
            title="Pivot tables",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=6,
            location="Room 2",
            time_zone="Europe/London",
        )

    message = str(refusal.value)
    assert f"{month_label(second_month)} would have 5 (3 already, 2 new)" in message
    assert month_label(first_month) not in message  # two there: within the cap
    assert "cap of 4 sessions a month" in message
    assert not TrainingSeries.objects.exists()
    assert TrainingSession.objects.filter(status="draft").count() == 0


def test_the_same_series_fits_once_the_month_has_room(trainer, skill, profile):
    first_month, second_month = month_ahead(2), month_ahead(3)
    led_in(trainer, skill, second_month.replace(day=2), 2)
    starts = at(first_month.replace(day=10))

    series = training_series_create(
        trainer=trainer,
        every_weeks=2,
        until=second_month.replace(day=25),
        skill=skill,
        title="Pivot tables",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=6,
        location="Room 2",
        time_zone="Europe/London",
    )

    assert series.occurrences.count() == 4


def test_one_session_over_the_cap_is_refused_and_another_month_is_fine(trainer, skill, profile):
    month = month_ahead(2)
    led_in(trainer, skill, month.replace(day=5), 3)
    led_in(trainer, skill, month.replace(day=6), 1, status="draft")  # a draft counts

    with pytest.raises(TeachingRefused, match=rf"{month_label(month)} would have 5 \(4 already"):
        propose(trainer, skill, at(month.replace(day=20)))

    assert propose(trainer, skill, at(month_ahead(3).replace(day=20))).status == "draft"


def test_the_month_is_the_sessions_own_local_month(trainer, skill, profile):
    month = month_ahead(2)
    led_in(trainer, skill, month.replace(day=5), 4)
    # 23:30 on the last evening of the month before, in London: not this month.
    previous_evening = at(month, 0) - timedelta(minutes=30)

    assert propose(trainer, skill, previous_evening).status == "draft"


def test_publishing_counts_the_month_again_after_the_cap_was_lowered(trainer, skill, profile):
    month = month_ahead(2)
    led_in(trainer, skill, month.replace(day=5), 3)
    draft = propose(trainer, skill, at(month.replace(day=20)))
    profile.monthly_session_cap = 3
    profile.save()

    with pytest.raises(TeachingRefused, match=r"would have 4 \(3 already, 1 new\)"):
        training_session_publish(session=draft, by=trainer)

    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_series_publishes_all_or_none_within_the_cap(trainer, skill, profile):
    month = month_ahead(2)
    starts = at(month.replace(day=1))
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=month.replace(day=22),
        skill=skill,
        title="Pivot tables",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=6,
        location="Room 2",
        time_zone="Europe/London",
    )
    assert series.occurrences.count() == 4
    profile.monthly_session_cap = 2
    profile.save()

    with pytest.raises(TeachingRefused, match=r"would have 4 \(0 already, 4 new\)"):
        training_series_publish(series=series, by=trainer)
    assert not series.occurrences.exclude(status="draft").exists()

    profile.monthly_session_cap = 4
    profile.save()
    assert training_series_publish(series=series, by=trainer) == 4


def test_the_check_reads_two_queries_for_a_long_series(
    trainer, skill, profile, django_assert_num_queries
):
    starts = [at(month_ahead(1)) + timedelta(weeks=week) for week in range(52)]
    profile.monthly_session_cap = 31
    profile.save()

    with django_assert_num_queries(2):
        trainer_teaching_check(
            trainer=trainer, skill=skill, starts=starts, time_zone="Europe/London"
        )


# --- Validity and pause ------------------------------------------------------------------
def expire(trainer) -> None:
    trainer.trainer_profile.certifications.update(
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )


def test_an_expired_certification_blocks_proposing_and_says_when(trainer, skill, profile):
    expire(trainer)

    with pytest.raises(TeachingRefused, match=f"Your {skill.name} certification expired on"):
        propose(trainer, skill, at(month_ahead(1).replace(day=10)))

    assert not TrainingSession.objects.exists()


def test_an_expired_certification_blocks_publishing_a_draft_but_published_sessions_stay(
    trainer, skill, profile, ld_staff
):
    draft = propose(trainer, skill, at(month_ahead(1).replace(day=10)))
    published = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    expire(trainer)

    with pytest.raises(TeachingRefused, match="until L&D renews it"):
        training_session_publish(session=draft, by=ld_staff)

    published.refresh_from_db()
    assert published.status == "published"


def test_a_paused_trainer_cannot_propose(trainer, skill, profile):
    profile.status = TrainerProfile.Status.PAUSED
    profile.save()

    with pytest.raises(TeachingRefused, match="Your teaching is paused"):
        propose(trainer, skill, at(month_ahead(1).replace(day=10)))


def test_propose_page_says_which_certification_lapsed(client, trainer, skill, profile):
    expire(trainer)
    client.force_login(trainer)

    page = client.get("/sessions/new/")

    assert page.status_code == 403
    html = page.content.decode()
    assert 'data-testid="lapsed-certifications"' in html
    assert f"Your {skill.name} certification expired on" in html
    assert 'data-testid="session-form"' not in html


def test_propose_page_keeps_the_valid_skills_and_names_the_lapsed_one(
    client, trainer, skill, profile
):
    lapsed_skill = SkillFactory(name="Negotiation")
    CertificationFactory(
        trainer=profile,
        skill=lapsed_skill,
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(trainer)

    page = client.get("/sessions/new/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{skill.pk}">{skill.name}</option>' in html
    assert f'<option value="{lapsed_skill.pk}">{lapsed_skill.name}</option>' not in html
    assert "Your Negotiation certification expired on" in html


def test_propose_page_shows_the_cap_refusal_beside_the_start(client, trainer, skill, profile):
    month = month_ahead(2)
    led_in(trainer, skill, month.replace(day=5), 4)
    client.force_login(trainer)
    day = month.replace(day=20)

    response = client.post(
        "/sessions/new/",
        {
            "skill": skill.pk,
            "title": "Pivot tables",
            "description": "",
            "format": "workshop",
            "programme": "",
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "location": "Room 2",
            "video_url": "",
            "capacity": "6",
            "booking_deadline": "",
            "waitlist_open": "on",
            "co_trainers": "",
            "repeat_every_weeks": "0",
            "repeat_until": "",
        },
    )

    assert response.status_code == 400  # beside the start: a wrong input
    assert f"{month_label(month)} would have 5 (4 already, 1 new)" in response.content.decode()
    assert TrainingSession.objects.filter(status="draft").count() == 0


def test_moving_a_session_into_a_full_month_is_refused(trainer, skill, profile):
    full, free = month_ahead(2), month_ahead(3)
    led_in(trainer, skill, full.replace(day=5), 4)
    session = propose(trainer, skill, at(free.replace(day=10)))

    with pytest.raises(TeachingRefused, match=rf"{month_label(full)} would have 5 \(4 already"):
        training_session_update(
            session=session,
            by=trainer,
            starts_at=at(full.replace(day=20)),
            ends_at=at(full.replace(day=20), 11),
        )

    moved_within = at(free.replace(day=12))
    ends = moved_within + timedelta(hours=1)
    training_session_update(session=session, by=trainer, starts_at=moved_within, ends_at=ends)
    session.refresh_from_db()
    assert session.starts_at == moved_within
