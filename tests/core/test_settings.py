"""Which database and broker the settings choose, checked in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'options': {k: str(v) for k, v in settings.DATABASES['default'].get('OPTIONS', {}).items()}, "
    "'broker': settings.CELERY_BROKER_URL, 'cache': settings.CACHES['default']['BACKEND']}))"
)


def settings_with(**env_vars) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "peertrain.settings.local", **env_vars}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_chosen_without_environment():
    chosen = settings_with()

    assert chosen["engine"] == "django.db.backends.sqlite3"
    assert chosen["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in chosen["options"]["init_command"]
    assert chosen["broker"].startswith("filesystem://")
    assert chosen["cache"] == "peertrain.core.cache.LocalMemoryCache"


def test_postgres_and_redis_are_chosen_from_environment():
    chosen = settings_with(
        DATABASE_URL="postgres://app@db.internal:5432/peertrain",
        REDIS_URL="redis://cache.internal:6379/0",
    )

    assert chosen["engine"] == "django.db.backends.postgresql"
    assert chosen["broker"] == "redis://cache.internal:6379/0"
    assert chosen["cache"] == "peertrain.core.cache.ResilientRedisCache"


def test_malformed_database_url_fails_naming_the_variable():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "peertrain.settings.local", "DATABASE_URL": "nonsense"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def _verification_with(**env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "peertrain.settings.local", **env_vars}
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.ACCOUNT_EMAIL_VERIFICATION)"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_open_sign_up_makes_email_verification_mandatory():
    chosen = _verification_with(ACCOUNT_ALLOWED_SIGNUP_DOMAINS="peertrain.test")

    assert chosen.stdout.strip().splitlines()[-1] == "mandatory"


def test_open_sign_up_refuses_to_start_without_verification():
    refused = _verification_with(
        ACCOUNT_ALLOWED_SIGNUP_DOMAINS="peertrain.test", ACCOUNT_EMAIL_VERIFICATION="optional"
    )

    assert refused.returncode != 0
    assert "needs ACCOUNT_EMAIL_VERIFICATION=mandatory" in refused.stderr


def _setting_with(name: str, **env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "peertrain.settings.local", **env_vars}
    probe = (
        f"import django; from django.conf import settings; django.setup(); print(settings.{name})"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_rate_limit_defaults():
    assert _setting_with("LOGIN_FAILED_RATE_LIMIT").stdout.split()[-1] == "10/m/ip,5/300s/key"
    assert _setting_with("CHECK_IN_RATE_LIMIT").stdout.split()[-1] == "10/5m"
    assert _setting_with("ALLAUTH_TRUSTED_PROXY_COUNT").stdout.split()[-1] == "0"
    assert _setting_with("ALLAUTH_TRUSTED_CLIENT_IP_HEADER").stdout.split()[-1] == "None"


def test_proxy_settings_are_read_from_the_environment():
    count = _setting_with("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2")
    header = _setting_with("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", TRUSTED_CLIENT_IP_HEADER="X-Real-IP")

    assert count.stdout.split()[-1] == "2"
    assert header.stdout.split()[-1] == "X-Real-IP"


@pytest.mark.parametrize(
    ("env_vars", "message"),
    [
        ({"LOGIN_FAILED_RATE_LIMIT": "lots"}, "LOGIN_FAILED_RATE_LIMIT must be comma-separated"),
        (
            {"LOGIN_FAILED_RATE_LIMIT": "10/m/ip"},
            "LOGIN_FAILED_RATE_LIMIT needs a rate ending in /key",
        ),
        ({"LOGIN_FAILED_RATE_LIMIT": "10/m/ip,5/m/team"}, "LOGIN_FAILED_RATE_LIMIT must be"),
        ({"CHECK_IN_RATE_LIMIT": "0/5m"}, "CHECK_IN_RATE_LIMIT: each rate needs at least 1"),
        ({"CHECK_IN_RATE_LIMIT": "10/5w"}, "CHECK_IN_RATE_LIMIT must be comma-separated"),
        ({"ACCOUNT_RATE_LIMIT_PER_ADDRESS": "60/m/ip"}, "ACCOUNT_RATE_LIMIT_PER_ADDRESS must be"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT must be a whole number"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Forwarded-For"}, "set TRUSTED_PROXY_COUNT instead"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X Real IP"}, "TRUSTED_CLIENT_IP_HEADER must name a header"),
    ],
)
def test_malformed_rate_limit_settings_stop_start_up_naming_the_variable(env_vars, message):
    refused = _setting_with("LOGIN_FAILED_RATE_LIMIT", **env_vars)

    assert refused.returncode != 0
    assert message in refused.stderr
