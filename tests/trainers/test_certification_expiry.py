"""Certification expiry warnings: 30 and 7 days before, to the trainer and L&D, through the
outbox, once per threshold however often the beat task runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.celery import app
from peertrain.notifications.models import Notification
from trainers.certification_expiry import certification_expiry_warnings_record
from trainers.models import TrainerProfile
from trainers.tasks import record_certification_expiry_warnings

from ..factories import CertificationFactory

pytestmark = pytest.mark.django_db

TRAINER_KIND = "trainers.certification.expiring"
LD_KIND = "trainers.certification.expiring_ld"


@pytest.fixture
def certification(trainer):
    certification = trainer.trainer_profile.certifications.get()
    certification.issued_at = timezone.now() - timedelta(days=300)
    certification.expires_at = timezone.now() + timedelta(days=20)
    certification.save()
    return certification


def sent(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


def test_the_30_day_warning_goes_to_the_trainer_and_ld_once_when_run_twice(
    trainer, ld_staff, certification
):
    assert record_certification_expiry_warnings.apply().get() == 2
    assert record_certification_expiry_warnings.apply().get() == 0

    [to_trainer] = sent(TRAINER_KIND)
    [to_ld] = sent(LD_KIND)
    assert to_trainer.recipient == trainer
    assert to_trainer.subject == f"Your {certification.skill} certification expires within 30 days"
    assert "until L&D renews it" in to_trainer.body
    assert to_ld.recipient == ld_staff
    assert f"/admin/trainers/certification/{certification.pk}/change/" in to_ld.body


def test_the_7_day_warning_is_its_own_message_and_also_sent_once(trainer, ld_staff, certification):
    certification_expiry_warnings_record()
    later = timezone.now() + timedelta(days=14)  # 6 days left

    assert certification_expiry_warnings_record(now=later) == 2
    assert certification_expiry_warnings_record(now=later) == 0

    subjects = [row.subject for row in sent(TRAINER_KIND)]
    assert subjects == [
        f"Your {certification.skill} certification expires within 30 days",
        f"Your {certification.skill} certification expires within a week",
    ]
    assert len(sent(LD_KIND)) == 2


def test_a_renewed_certification_is_warned_about_afresh(trainer, certification):
    certification_expiry_warnings_record()
    certification.expires_at = timezone.now() + timedelta(days=25)
    certification.save()

    assert certification_expiry_warnings_record() == 1
    assert len(sent(TRAINER_KIND)) == 2


@pytest.mark.parametrize(
    ("days_left", "warned"),
    [(45, False), (30.5, False), (29, True), (6, True), (-1, False)],
)
def test_only_certifications_within_30_days_and_not_yet_expired_are_warned(
    trainer, certification, days_left, warned
):
    certification.expires_at = timezone.now() + timedelta(days=days_left)
    certification.save()

    certification_expiry_warnings_record()

    assert bool(sent(TRAINER_KIND)) is warned


def test_no_warning_for_a_paused_trainer_or_a_certification_without_expiry(trainer):
    CertificationFactory(expires_at=None)
    CertificationFactory(
        trainer__status=TrainerProfile.Status.PAUSED,
        expires_at=timezone.now() + timedelta(days=10),
    )

    assert certification_expiry_warnings_record() == 0


def test_the_task_reads_a_bounded_number_of_queries(
    trainer, ld_staff, certification, django_assert_max_num_queries
):
    for _ in range(5):
        CertificationFactory(expires_at=timezone.now() + timedelta(days=5))

    # certifications, L&D staff, already recorded, then per message at most an
    # insert (and its savepoint): 12 messages.
    with django_assert_max_num_queries(3 + 2 + 12 * 3):
        assert certification_expiry_warnings_record() == 12


def test_the_warnings_are_on_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "trainers.tasks.record_certification_expiry_warnings" in tasks
