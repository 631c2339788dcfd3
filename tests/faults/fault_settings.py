"""Settings for the gunicorn and the Celery worker that the fault scenarios start.

The booking benchmark's server settings (production, DEBUG off, the baseline URL), with the
outbox's waits shortened in the small size so a scenario fits in ``make test``: a fresh row
is left to its own publish for 2 s (30 s in production), a claim without hand-over goes
stale after 5 s (1 minute) and a hand-over stays "in progress" for 20 s (2 minutes). The
full size (``BENCH_SIZE=full``) keeps production's values.
"""

import os
from datetime import timedelta

from tests.load.bench_settings import *  # noqa: F403

if os.environ.get("BENCH_SIZE", "small") != "full":
    NOTIFICATION_RELAY_GRACE = timedelta(seconds=2)
    NOTIFICATION_CLAIM_TIMEOUT = timedelta(seconds=5)
    NOTIFICATION_OUTCOME_WINDOW = timedelta(seconds=20)
    NOTIFICATION_DRAIN_SECONDS = 10
