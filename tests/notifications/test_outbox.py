from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from peertrain.celery import app as celery_app
from peertrain.notifications.models import Notification
from peertrain.notifications.services import (
    REDACTED_BODY,
    NotificationDeliveryError,
    broker_circuit,
    notification_deliver,
    notification_publish,
    notification_record,
    notifications_drain,
)
from peertrain.notifications.tasks import deliver_notification, relay_outbox

from .flaky_email import CountingEmailBackend, FlakyEmailBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    """Run tasks in-process so one test can follow a message from record to inbox.
    (At least one test per task kind uses the real broker and worker: test_worker.py.)"""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.flaky_email.FlakyEmailBackend"
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_left = 0


def record(user, key="test:1", **overrides):
    fields = {
        "recipient": user,
        "address": user.email,
        "kind": "test.hello",
        "unique_key": key,
        "subject": "Hello",
        "body": "Welcome to PeerTrain.",
    }
    return notification_record(**(fields | overrides))


def test_same_unique_key_twice_gives_one_row_and_one_email(
    employee, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = record(employee)
        second = record(employee, subject="A different subject")

    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(callbacks) == 2  # both publish; the second delivery finds it sent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["employee@example.com"]
    assert mail.outbox[0].subject == "Hello"


def test_nothing_is_published_before_the_transaction_commits(
    employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = record(employee)

    assert len(callbacks) == 1
    assert notification.sent_at is None
    assert mail.outbox == []


def test_delivering_twice_sends_once(employee):
    notification = record(employee)

    assert notification_deliver(notification_id=notification.pk) is True
    assert notification_deliver(notification_id=notification.pk) is False

    notification.refresh_from_db()
    assert len(mail.outbox) == 1
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_a_row_claimed_by_another_worker_is_left_alone(employee):
    notification = record(employee)
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())

    assert notification_deliver(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_a_stale_claim_from_a_dead_worker_is_taken_over(employee):
    notification = record(employee)
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )

    assert notification_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_failed_delivery_is_released_with_the_error_and_a_later_attempt(employee, flaky_smtp):
    flaky_smtp.failures_left = 1
    notification = record(employee)

    with pytest.raises(NotificationDeliveryError):
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.claimed_at is None
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    assert mail.outbox == []


def due_now(notification):
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def backoff_runs_out(notification):
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_failed_delivery_is_retried_on_the_rows_schedule_and_sent_once(
    employee, flaky_smtp, eager_celery
):
    flaky_smtp.failures_left = 2
    notification = record(employee)

    assert deliver_notification.apply(args=[notification.pk]).get() is False
    notification.refresh_from_db()
    assert notification.attempts == 1  # the task itself did not retry
    assert deliver_notification.apply(args=[notification.pk]).get() is False  # backing off
    assert notifications_drain(seconds=5).sent == 0  # the relay too: not due yet
    for _ in range(2):  # each time the backoff runs out, the relay sends the row again
        backoff_runs_out(notification)
        notifications_drain(seconds=5)
    assert deliver_notification.apply(args=[notification.pk]).get() is False  # a late copy

    notification.refresh_from_db()
    assert len(mail.outbox) == 1
    assert notification.sent_at is not None
    assert notification.attempts == 3
    assert notification.last_error == ""


def test_a_fresh_row_goes_out_at_once_despite_the_relays_grace(employee):
    notification = record(employee)
    assert notification.next_attempt_at > timezone.now()  # the relay's grace, not a backoff

    assert notification_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_a_row_backing_off_after_a_failure_is_not_claimed_before_its_time(employee, flaky_smtp):
    flaky_smtp.failures_left = 1
    notification = record(employee)
    with pytest.raises(NotificationDeliveryError):
        notification_deliver(notification_id=notification.pk)

    assert notification_deliver(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.claimed_at is None
    assert mail.outbox == []

    backoff_runs_out(notification)
    assert notification_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_an_old_relay_message_is_accepted_and_does_not_cut_a_backoff_short(employee, flaky_smtp):
    """Messages an earlier relay queued carry ``relayed_until``; after an upgrade they are
    still accepted, and the row's own backoff decides."""
    flaky_smtp.failures_left = 1
    notification = record(employee)
    with pytest.raises(NotificationDeliveryError):
        notification_deliver(notification_id=notification.pk)

    old_message = deliver_notification.apply(
        args=[notification.pk], kwargs={"relayed_until": timezone.now().isoformat()}
    )

    assert old_message.get() is False
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert mail.outbox == []


def test_gives_up_after_the_maximum_attempts(employee, flaky_smtp, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    flaky_smtp.failures_left = 5
    notification = record(employee)
    for _ in range(2):
        with pytest.raises(NotificationDeliveryError):
            notification_deliver(notification_id=notification.pk)
        backoff_runs_out(notification)

    assert notification_deliver(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert mail.outbox == []


def test_relay_sends_a_row_that_was_never_published(employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lost = record(employee, key="test:lost")  # the broker never heard of it
    not_yet_due = record(employee, key="test:fresh")
    due_now(lost)

    result = notifications_drain(seconds=5)

    assert result.sent == 1
    assert [message.to for message in mail.outbox] == [["employee@example.com"]]
    lost.refresh_from_db()
    not_yet_due.refresh_from_db()
    assert lost.sent_at is not None
    assert not_yet_due.sent_at is None  # its own publish will send it


def test_relay_drains_a_backlog_in_one_run_over_one_mail_connection(employee, settings):
    settings.EMAIL_BACKEND = "tests.notifications.flaky_email.CountingEmailBackend"
    CountingEmailBackend.opened = 0
    for i in range(45):
        due_now(record(employee, key=f"test:backlog:{i}"))

    result = notifications_drain(seconds=30, batch=20)

    assert result.sent == 45
    assert len(mail.outbox) == 45
    assert CountingEmailBackend.opened == 1
    assert not Notification.objects.filter(sent_at=None).exists()


def test_relay_stops_when_its_time_is_up_and_the_next_run_goes_on(employee):
    for i in range(3):
        due_now(record(employee, key=f"test:slow:{i}"))

    stopped = notifications_drain(seconds=0)  # no time: nothing claimed
    assert (stopped.sent, stopped.out_of_time) == (0, True)
    assert Notification.objects.filter(claimed_at=None).count() == 3
    finished = notifications_drain(seconds=5, batch=1)
    assert (finished.sent, finished.out_of_time) == (3, False)


def test_a_relay_run_out_of_time_queues_the_next_run_at_once(employee, settings, monkeypatch):
    settings.NOTIFICATION_DRAIN_SECONDS = 0
    due_now(record(employee))
    queued = []
    monkeypatch.setattr(relay_outbox, "apply_async", lambda **options: queued.append(options))

    relay_outbox()
    assert queued == [{"retry": False}]

    settings.NOTIFICATION_DRAIN_SECONDS = 5
    relay_outbox()  # sends it, nothing left: no next run
    assert len(queued) == 1
    assert len(mail.outbox) == 1


def test_relay_costs_one_query_when_nothing_is_due(employee, data_query_budget):
    record(employee, key="test:fresh")  # not due: its own publish sends it
    Notification.objects.filter(pk=record(employee, key="test:sent").pk).update(
        sent_at=timezone.now(), next_attempt_at=timezone.now() - timedelta(minutes=5)
    )

    with data_query_budget(1):  # SELECT … FOR UPDATE SKIP LOCKED (and BEGIN/COMMIT)
        assert notifications_drain(seconds=5).sent == 0


def test_relay_skips_sent_rows_live_claims_and_hand_overs(employee):
    sent = record(employee, key="test:sent")
    claimed = record(employee, key="test:claimed")
    handed_over = record(employee, key="test:handed-over")
    past = timezone.now() - timedelta(minutes=5)
    Notification.objects.filter(pk=sent.pk).update(sent_at=past, next_attempt_at=past)
    Notification.objects.filter(pk=claimed.pk).update(
        claimed_at=timezone.now(), next_attempt_at=past
    )
    Notification.objects.filter(pk=handed_over.pk).update(
        claimed_at=past, handed_over_at=past, next_attempt_at=past, attempts=1
    )

    assert notifications_drain(seconds=5).sent == 0
    assert mail.outbox == []


def test_sensitive_body_is_wiped_once_sent(employee):
    notification = record(employee, body="Reset: https://example.com/reset/abc", sensitive=True)

    notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert "abc" in mail.outbox[0].body
    assert notification.body == REDACTED_BODY


def test_recording_answers_quickly_while_the_broker_is_down(
    employee, broker_unreachable, django_capture_on_commit_callbacks
):
    import time

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        notification = record(employee)
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert mail.outbox == []


def test_after_a_failed_publish_the_broker_is_skipped_for_a_while(
    employee, broker_unreachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(employee, key="test:first")
    assert broker_circuit.is_open()

    with django_capture_on_commit_callbacks(execute=False):
        second = record(employee, key="test:second")
    assert notification_publish(notification_id=second.pk) is False


def test_a_row_recorded_while_the_broker_is_known_down_is_due_at_once(
    employee, broker_unreachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = record(employee, key="test:first")  # its publish fails: the circuit opens
    with django_capture_on_commit_callbacks(execute=True):
        second = record(employee, key="test:second")  # publish skipped

    assert first.next_attempt_at > timezone.now()  # left to its publish (which failed)
    assert second.next_attempt_at <= timezone.now()  # the relay's first run takes it
    assert notifications_drain(seconds=5).sent == 1
