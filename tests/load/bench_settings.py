"""Settings for the gunicorn that ``test_booking_throughput.py`` starts, and for nothing else.

Production settings as deployed (DEBUG off, a real SECRET_KEY, persistent connections,
``lock_timeout``), with three differences that a benchmark on a test checkout needs:

- the URLs add the baseline view (``baseline_urls``) beside the real ones;
- static files are served by name, because a test checkout has no collectstatic manifest
  (the 503 "try again" page renders ``{% static %}``);
- booking notices must reach no real worker: with Redis, the benchmark gives the server a
  Redis database of its own (``REDIS_URL`` ending in ``/13``, emptied afterwards), as in
  production; without Redis, the broker is the filesystem transport in a throwaway folder
  (``BENCH_BROKER_DIR``) rather than a developer's queue under ``var/``. A publish to the
  folder costs about 0.8 ms of CPU here, to Redis about 0.35 ms.

SSL redirect is switched off through the environment (``SECURE_SSL_REDIRECT=0``): the
benchmark speaks plain HTTP to 127.0.0.1.
"""

import os

from peertrain.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.load.baseline_urls"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

_broker = os.environ.get("BENCH_BROKER_DIR")
if _broker:
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker,
        "data_folder_out": _broker,
        "control_folder": _broker,
        "store_processed": False,
    }
