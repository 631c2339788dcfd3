"""The outbox through the real broker (Redis) and a real Celery worker process.

The worker is a separate process, so it reads the test database over the network
(PostgreSQL) and sends through a local SMTP sink that stands in for the mail server.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from peertrain.celery import app as celery_app
from peertrain.notifications.models import Notification
from peertrain.notifications.services import notification_record
from peertrain.notifications.tasks import relay_outbox

from ..conftest import unused_tcp_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]


class SinkHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_tcp_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def worker(smtp_sink):
    controller, _ = smtp_sink
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "peertrain.settings.local",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://{controller.hostname}:{controller.port}",
    }
    celery_app.control.purge()  # messages left by an earlier, interrupted run
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "peertrain",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def record(user, key):
    return notification_record(
        recipient=user,
        email=user.email,
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
