"""Production settings start only when safely configured, and `check --deploy` stays clean.

Each case runs manage.py in a fresh interpreter, because settings are read once at start-up.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The developer's own values for these must not leak into the runs below; nor must any
# DJANGO_* flag another test set (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which
# `check --deploy` rightly reports).
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


def random_key(length: int = 50) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def manage(*args: str, settings: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith("DJANGO_")
    }
    env |= {"DJANGO_SETTINGS_MODULE": f"peertrain.settings.{settings}", **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def configuration_error(result: subprocess.CompletedProcess) -> str:
    """The ImproperlyConfigured message, not the traceback lines that merely quote code."""
    prefix = "django.core.exceptions.ImproperlyConfigured:"
    messages = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    return messages[-1] if messages else ""


def test_check_deploy_is_clean_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="production",
        SECRET_KEY=random_key(),
        ALLOWED_HOSTS="peertrain.example.com",
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS:" not in output


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("too-short-to-be-random", id="short"),
        pytest.param("insecure-" + random_key(), id="development-key"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    variables = {"ALLOWED_HOSTS": "peertrain.example.com"}
    if secret_key is not None:
        variables["SECRET_KEY"] = secret_key

    result = manage("check", settings="production", **variables)

    assert result.returncode != 0
    assert "SECRET_KEY" in configuration_error(result), result.stderr


def test_production_refuses_a_development_key_even_with_debug_on():
    result = manage("check", settings="production", DEBUG="1")

    assert result.returncode != 0
    assert "SECRET_KEY" in configuration_error(result), result.stderr


def test_local_settings_with_debug_off_refuse_the_development_key():
    result = manage("check", settings="local", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY" in configuration_error(result), result.stderr


def test_local_settings_with_debug_off_start_with_a_real_key():
    result = manage("check", settings="local", DEBUG="0", SECRET_KEY=random_key())

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("settings", ["local", "production"])
def test_malformed_debug_fails_naming_debug(settings):
    result = manage("check", settings=settings, DEBUG="maybe", SECRET_KEY=random_key())

    assert result.returncode != 0
    error = configuration_error(result)
    assert "DEBUG" in error, result.stderr
    assert "'maybe'" in error
