"""Test settings: the same services as the environment names, fast hashing, mail kept in memory."""

from .base import *  # noqa: F403
from .base import INSECURE_KEY_PREFIX

DEBUG = False
SECRET_KEY = f"{INSECURE_KEY_PREFIX}test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if not REDIS_URL:
    # Keep test messages out of the developer's own queue under var/.
    import tempfile

    _queue = tempfile.mkdtemp(prefix="peertrain-test-broker-")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue,
        "data_folder_out": _queue,
        "control_folder": _queue,
        "store_processed": False,
    }

# Serve static files from the source folders; tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if env.bool("PEERTRAIN_TEST_SQLITE_FILE", default=False) and not DATABASE_URL:
    # For the thread-concurrency tests: a file lets each thread hold its own connection
    # and really contend for SQLite's write lock (an in-memory test database cannot).
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("PEERTRAIN_TEST_SQLITE_FILE_PATH", default="")
        or str(VAR_DIR / "test-concurrency.sqlite3")
    }
