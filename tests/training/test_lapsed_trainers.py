"""Sessions already published stay when their trainer's certification expires or their
teaching is paused, and L&D is told, once per lapse however often the task runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.notifications.models import Notification
from sessions.services.lapsed_trainers import KIND, lapsed_trainer_sessions_tell
from sessions.tasks import tell_ld_about_lapsed_trainers
from trainers.models import TrainerProfile

from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


def expire(trainer, *, days_ago: int = 1) -> None:
    trainer.trainer_profile.certifications.update(
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=days_ago),
    )


def told() -> list[Notification]:
    return list(Notification.objects.filter(kind=KIND).order_by("pk"))


def test_ld_is_told_once_about_published_sessions_of_an_expired_certification(
    trainer, skill, ld_staff
):
    first = TrainingSessionFactory(lead_trainer=trainer, skill=skill, title="Pivot tables")
    TrainingSessionFactory(
        lead_trainer=trainer,
        skill=skill,
        title="Lookups",
        starts_at=timezone.now() + timedelta(days=14),
    )
    TrainingSessionFactory(lead_trainer=trainer, skill=skill, status="draft")  # not published
    TrainingSessionFactory(skill=skill)  # another trainer, still certified
    expire(trainer)

    assert tell_ld_about_lapsed_trainers.apply().get() == 1
    assert tell_ld_about_lapsed_trainers.apply().get() == 0

    [message] = told()
    assert message.recipient == ld_staff
    assert message.subject == (
        f"{trainer.display_name} may no longer teach {skill}: 2 published sessions to decide on"
    )
    assert "certification expired on" in message.body
    assert "Pivot tables" in message.body
    assert "Lookups" in message.body
    assert first.get_absolute_url() in message.body
    first.refresh_from_db()
    assert first.status == "published"


def test_a_paused_trainer_is_reported_as_paused(trainer, skill, ld_staff):
    TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    TrainerProfile.objects.filter(user=trainer).update(status=TrainerProfile.Status.PAUSED)

    assert lapsed_trainer_sessions_tell() == 1
    assert "teaching is paused" in told()[0].body


def test_a_renewal_that_expires_again_is_news_again(trainer, skill, ld_staff):
    TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=timezone.now() + timedelta(days=30)
    )
    expire(trainer, days_ago=3)
    lapsed_trainer_sessions_tell()
    expire(trainer, days_ago=1)  # renewed, then lapsed again

    assert lapsed_trainer_sessions_tell() == 1
    assert len(told()) == 2


def test_nothing_to_tell_while_trainers_may_teach(trainer, skill, ld_staff):
    TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    # A past session of a trainer whose certification since expired: nothing to decide.
    other = TrainingSessionFactory(starts_at=timezone.now() - timedelta(days=3))
    other.lead_trainer.trainer_profile.certifications.update(
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )

    assert lapsed_trainer_sessions_tell() == 0


def test_queries_stay_flat_with_more_lapsed_trainers(
    trainer, skill, ld_staff, django_assert_max_num_queries
):
    for _ in range(6):
        session = TrainingSessionFactory()
        session.lead_trainer.trainer_profile.certifications.update(
            issued_at=timezone.now() - timedelta(days=400),
            expires_at=timezone.now() - timedelta(days=1),
        )

    # sessions, certifications, L&D staff, already told; then an insert (and its
    # savepoint) per message: 6 messages.
    with django_assert_max_num_queries(4 + 2 + 6 * 3):
        assert lapsed_trainer_sessions_tell() == 6
