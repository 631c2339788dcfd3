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


def _failed_ack_frees_its_prefetch_slot() -> None:
    """kombu 5.7.0 (the newest release) stops a worker from consuming for good when Redis
    doesn't answer an acknowledgement: its Redis QoS first removes the message from Redis's
    unacked index and only then frees the message's prefetch slot, so when the removal
    raises (Redis hung past the socket timeout, or gone), the slot stays taken. Celery logs
    "Couldn't ack" and carries on; once every slot is held like this (two in a 2-process
    prefork worker, one in solo) the worker never asks Redis for another message, so it
    never even notices the connection, and sits idle long after Redis is back. Measured by
    tests/faults' hung-Redis scenario: a 12 s SIGSTOP (two acks each waiting out the 5 s
    socket timeout) left 282 of 300 notices unsent, a 30 s one 277 of 300, until the worker
    was restarted. Upstream's Redis QoS still acks in this order; celery/celery#2415 is the
    same symptom ("Couldn't ack", then no more tasks) on another transport.

    Here the slot is freed whatever Redis said, and the error goes up as before (logged).
    The message is settled only in this process: Redis keeps it in its unacked index and
    hands it out again after the visibility timeout (an hour), and delivering a task twice
    is harmless (the outbox claims each row; a sent row is not sent again)."""
    from kombu.transport import redis as kombu_redis
    from kombu.transport import virtual

    redis_qos = kombu_redis.QoS
    ack, reject = redis_qos.ack, redis_qos.reject

    def ack_freeing_the_slot(self, delivery_tag):
        try:
            ack(self, delivery_tag)
        except Exception:
            virtual.QoS.ack(self, delivery_tag)  # only this process's record: frees the slot
            raise

    def reject_freeing_the_slot(self, delivery_tag, requeue=False):
        try:
            reject(self, delivery_tag, requeue=requeue)
        except Exception:
            virtual.QoS.ack(self, delivery_tag)
            raise

    # Patching kombu's methods is the point (see above).
    redis_qos.ack = ack_freeing_the_slot  # type: ignore[method-assign]
    redis_qos.reject = reject_freeing_the_slot  # type: ignore[method-assign]


_failed_ack_frees_its_prefetch_slot()


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
    "trainers-certification-expiry-warnings": {
        "task": "trainers.tasks.record_certification_expiry_warnings",
        "schedule": crontab(minute=17),
    },
    "training-lapsed-trainers": {
        "task": "sessions.tasks.tell_ld_about_lapsed_trainers",
        "schedule": crontab(minute=23),
    },
}
