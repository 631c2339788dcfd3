"""A Redis that accepts connections but never answers (stopped with SIGSTOP) must not hold
a request for more than about half a second: recording a notification (its publish after
commit) and /healthz. The Redis is this test's own (``tests/redis_server.py``)."""

import time

import pytest
import redis
from django.conf import settings

from peertrain.celery import app as celery_app
from peertrain.notifications.models import Notification
from peertrain.notifications.services import broker_circuit, notification_record

from ..redis_server import OwnRedis

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

# The settings' 0.5 s, plus what a busy shared machine adds to one request.
BUDGET_SECONDS = 0.9


@pytest.fixture
def own_broker():
    """Celery publishing to our own redis-server, with the transport options production
    uses (the settings' CELERY_BROKER_TRANSPORT_OPTIONS)."""
    server = OwnRedis()
    server.start()
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    celery_app.conf.broker_url = server.url
    celery_app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS

    def forget_connections():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        broker_circuit.reset()

    forget_connections()
    yield server
    server.close()
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    forget_connections()


def record(user, key):
    return notification_record(
        recipient=user,
        address=user.email,
        kind="test.hung",
        unique_key=key,
        subject="Hello",
        body="Hello.",
    )


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def test_the_broker_socket_timeout_is_half_a_second():
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] == 0.5


def test_recording_a_notification_waits_at_most_half_a_second_on_a_hung_broker(
    employee, own_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(employee, "hung:warm")  # a pooled connection, as a running server has
    own_broker.hang()
    try:
        capture = django_capture_on_commit_callbacks
        elapsed, _ = timed(lambda: _record_and_publish(employee, capture))
        skipped, _ = timed(lambda: _record_and_publish(employee, capture, "hung:2"))
    finally:
        own_broker.resume()

    print(f"hung broker: first publish {elapsed:.2f} s, next (broker skipped) {skipped:.3f} s")
    assert elapsed < BUDGET_SECONDS
    assert skipped < 0.1  # the circuit: later requests don't try the broker at all
    assert Notification.objects.filter(sent_at=None).count() == 3  # all safe in the outbox


def _record_and_publish(employee, capture, key="hung:1"):
    with capture(execute=True):
        record(employee, key)


def test_healthz_answers_within_half_a_second_while_the_broker_hangs(client, own_broker):
    assert client.get("/healthz").status_code == 200
    own_broker.hang()
    try:
        elapsed, response = timed(lambda: client.get("/healthz"))
    finally:
        own_broker.resume()

    print(f"/healthz with a hung broker: {elapsed:.2f} s")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert elapsed < BUDGET_SECONDS


def test_publishing_works_again_once_the_broker_answers(
    employee, own_broker, django_capture_on_commit_callbacks
):
    own_broker.hang()
    try:
        _record_and_publish(employee, django_capture_on_commit_callbacks, "hung:lost")
    finally:
        own_broker.resume()
    broker_circuit.reset()  # its 15 s are over

    with django_capture_on_commit_callbacks(execute=True):
        record(employee, "hung:after")

    assert redis.Redis.from_url(own_broker.url).llen("celery") >= 1
