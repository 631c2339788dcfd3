"""The outbox through the real broker (Redis) and a real Celery worker process.

The worker is a separate process, so it reads the test database over the network
(PostgreSQL) and sends through a local SMTP sink that stands in for the mail server.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.notifications.models import Notification
from peertrain.notifications.services import notification_record
from peertrain.notifications.tasks import relay_outbox

from ..conftest import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def record(user, key):
    return notification_record(
        recipient=user,
        address=user.email,
        kind="test.hello",
        unique_key=key,
        subject="Hello from the worker",
        body="Sent by a real Celery worker.",
    )


def test_worker_delivers_a_recorded_notification_once(employee, worker, smtp_sink):
    _, sink = smtp_sink
    notification = record(employee, "worker:1")  # autocommit: published at once

    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).sent_at is not None)
    record(employee, "worker:1")  # same key again: no new row, no new message
    time.sleep(1)

    assert len(sink.messages) == 1
    assert sink.messages[0].rcpt_tos == ["employee@example.com"]


def test_broker_outage_loses_nothing_and_sends_exactly_once(
    employee, worker, smtp_sink, broker_unreachable
):
    _, sink = smtp_sink
    started = time.monotonic()
    notification = record(employee, "outage:1")
    assert time.monotonic() - started < 1.0  # the caller never waits on a dead broker
    assert Notification.objects.get(pk=notification.pk).sent_at is None

    # The broker comes back (the fixture's finaliser restores it) and the relay runs.
    broker_unreachable.restore()
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    relay_outbox.delay()
    relay_outbox.delay()  # twice, as two beat ticks could

    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).sent_at is not None)
    time.sleep(1)
    assert len(sink.messages) == 1
    assert Notification.objects.get(pk=notification.pk).attempts == 1
