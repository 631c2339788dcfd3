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
