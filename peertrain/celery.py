"""The Celery app. Configuration comes from Django settings (``CELERY_*``); the beat
schedule is declared here, in one place."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peertrain.settings.local")

app = Celery("peertrain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
