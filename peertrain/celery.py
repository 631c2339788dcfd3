"""The Celery app. Configuration comes from Django settings (``CELERY_*``); the beat
schedule is declared here, in one place."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peertrain.settings.local")

app = Celery("peertrain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A web request waits at most 0.5 s for any answer from Redis (the settings); the worker
# waits longer, so a Redis that hangs for a few seconds doesn't make it drop and rebuild its
# connections in the middle of its work.
WORKER_BROKER_SOCKET_TIMEOUT = 5


def _released_connection_is_a_connection_error() -> None:
    """kombu 5.7.0 (the newest release) lets a worker die on a broker disconnect: after a
    lost connection, acknowledging a finished task (or putting unacknowledged messages back)
    on the old channel builds a new Redis pool from a connection already released, and
    reading its ``hostname`` raises AttributeError, which kills the worker (upstream:
    celery/kombu#582, #970; reproduced by tests/faults' Redis-stopped scenario). Raised as a
    connection error instead, the worker reconnects like after any other; the message stays
    unacknowledged until Redis hands it out again, and delivering it twice is harmless (the
    outbox claims each row)."""
    from kombu.transport import redis as kombu_redis

    redis_py = getattr(kombu_redis, "redis", None)  # None without the redis package
    if redis_py is None:
        return
    # A private method of kombu's Redis channel, so its type stubs don't name it.
    connparams = kombu_redis.Channel._connparams  # type: ignore[attr-defined]

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise redis_py.exceptions.ConnectionError("broker connection was released")
        return connparams(self, asynchronous=asynchronous)

    kombu_redis.Channel._connparams = _connparams  # type: ignore[attr-defined]  # as above


_released_connection_is_a_connection_error()


@celeryd_init.connect
def _patient_worker(conf, **kwargs):
    options = conf.broker_transport_options or {}
    if "socket_timeout" in options:
        conf.broker_transport_options = options | {"socket_timeout": WORKER_BROKER_SOCKET_TIMEOUT}


app.conf.beat_schedule = {
    # Often, so a backlog left by a broker outage starts draining within seconds of its
    # return; cheap when nothing is due (two indexed queries). A run missed while the
    # worker was busy expires rather than piling up.
    "notifications-relay-outbox": {
        "task": "peertrain.notifications.tasks.relay_outbox",
        "schedule": timedelta(seconds=15),
        "options": {"expires": 14},
    },
    "training-session-reminders": {
        "task": "sessions.tasks.record_session_reminders",
        "schedule": crontab(minute="*/5"),
    },
}
