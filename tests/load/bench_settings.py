"""Settings for the gunicorn that ``test_booking_throughput.py`` starts, and for nothing else.

Production settings as deployed (DEBUG off, a real SECRET_KEY, persistent connections,
``lock_timeout``), with three differences that a benchmark on a test checkout needs:

- the URLs add the baseline view (``baseline_urls``) beside the real ones;
- static files are served by name, because a test checkout has no collectstatic manifest
  (the 503 "try again" page renders ``{% static %}``);
- the Celery broker is the filesystem transport in a throwaway folder
  (``BENCH_BROKER_DIR``), so thousands of booking notices reach neither a developer's
  queue under ``var/`` nor a Redis that a real worker listens on. Production publishes to
  Redis instead: one local round trip, about what a small file write costs here.

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
