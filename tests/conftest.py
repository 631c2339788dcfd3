"""The cast every test can call on, and the rules for tests that need real services.

Tests that need PostgreSQL, Redis or Chromium skip with a reason on a laptop without
them. With PEERTRAIN_REQUIRE_SERVICES=1 (set by .ci/run) every skip is a failure, so CI
never passes by skipping.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import validate_django_db

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.celery import app as celery_app
from peertrain.notifications.services import broker_circuit

from .factories import CertificationFactory, TeamFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]
# Property tests check behaviour, not time: hypothesis's 200 ms deadline per example made
# them fail on a loaded machine (the standards keep timings in tests/load, as figures).
hypothesis_settings.register_profile("peertrain", deadline=None)
hypothesis_settings.load_profile("peertrain")
REQUIRE_SERVICES = os.environ.get("PEERTRAIN_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM))


def vnu_available() -> bool:
    return bool(shutil.which("java")) and VNU_JAR.exists()


def from_the_migrated_state(item: pytest.Item) -> None:
    """Give a test that commits (``transaction=True``, ``live_server``, ``transactional_db``)
    a serialized rollback, so it starts from the migrated database like every other test.

    Such a test is emptied afterwards. With a serialized rollback Django then loads what the
    migrations wrote (content types, permissions, the `L&D staff` group) back, under the ids
    they had; without it, the emptying re-creates content types and permissions under new ids
    and drops the data migrations' rows. Mixed in one run, the two kinds broke each other: a
    plain test after a serialized one found no content types while Django's in-memory cache
    still held the old ids (a foreign-key error), and a serialized test after a plain one
    collided with the re-created rows. One kind for all committing tests makes any order work.
    """
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, databases, serialized, available_apps = (
        validate_django_db(marker) if marker else (False, False, None, False, None)
    )
    names = item.fixturenames
    commits = transaction or reset_sequences or {"transactional_db", "live_server"} & set(names)
    if not commits or serialized or "django_db_serialized_rollback" in names:
        return
    # Nearest marker wins, so this one goes first; it keeps what the test's own one said.
    item.add_marker(
        pytest.mark.django_db(
            transaction=True,
            reset_sequences=reset_sequences,
            databases=databases,
            serialized_rollback=True,
            available_apps=available_apps,
        ),
        append=False,
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        from_the_migrated_state(item)
    reasons = {
        "postgres": (
            connection.vendor != "postgresql",
            "needs PostgreSQL: set DATABASE_URL=postgres://…",
        ),
        "redis": (not settings.REDIS_URL, "needs Redis: set REDIS_URL=redis://…"),
        "e2e": (not chromium_available(), f"needs Chromium at {CHROMIUM} (apt install chromium)"),
        "vnu": (
            not vnu_available(),
            "needs Java and the Nu HTML checker (npm ci, which make install-dev runs)",
        ),
    }
    for item in items:
        for marker, (missing, reason) in reasons.items():
            if missing and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # An expected failure (xfail) is reported as skipped too; only a missing service fails.
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped in CI, which needs every service (PEERTRAIN_REQUIRE_SERVICES=1): {reason}"
        )


@pytest.fixture
def team(db):
    return TeamFactory(name="Customer Success")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Sales")


@pytest.fixture
def employee(db, team):
    return UserFactory(email="employee@example.com", display_name="Eli Moreno", team=team)


@pytest.fixture
def other_employee(db, other_team):
    return UserFactory(email="other@example.com", display_name="Olu Adeyemi", team=other_team)


@pytest.fixture
def lead(db, team):
    user = UserFactory(email="lead@example.com", display_name="Leah Okafor", team=team)
    team.lead = user
    team.save(update_fields=["lead"])
    return user


@pytest.fixture
def trainer(db):
    return CertificationFactory(
        trainer__user__email="trainer@example.com", trainer__user__display_name="Tomás Rivera"
    ).trainer.user


@pytest.fixture
def other_trainer(db):
    return CertificationFactory(trainer__user__email="trainer2@example.com").trainer.user


@pytest.fixture
def ld_staff(db):
    user = UserFactory(email="ld@example.com", display_name="Lena Daniels", is_staff=True)
    # The migrations create the group; every test starts with it (from_the_migrated_state).
    user.groups.add(Group.objects.get(name=LD_STAFF_GROUP))
    return user


def unused_tcp_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BrokerOutage:
    """Celery pointed at a closed port, as if Redis had stopped."""

    def __init__(self):
        from peertrain.celery import app

        self.app = app
        self.saved = app.conf.broker_url, app.conf.broker_transport_options

    def _reset_pool(self):
        # Forget cached connections so the next publish uses the current broker_url.
        self.app._pool = None
        self.app.amqp._producer_pool = None
        broker_circuit.reset()

    def start(self):
        from peertrain.notifications.services import notification_publish

        self.app.conf.broker_url = f"redis://127.0.0.1:{unused_tcp_port()}/0"
        self.app.conf.broker_transport_options = {
            "socket_connect_timeout": 0.5,
            "max_retries": 1,
            "interval_start": 0,
        }
        self._reset_pool()
        # One failed publish first: the Redis transport's first import costs a few hundred
        # milliseconds, which the timing checks should not count. Then close the circuit
        # again so the measured request really tries the dead broker.
        notification_publish(notification_id=0)
        broker_circuit.reset()

    def restore(self):
        self.app.conf.broker_url, self.app.conf.broker_transport_options = self.saved
        self._reset_pool()


@pytest.fixture
def broker_unreachable():
    outage = BrokerOutage()
    outage.start()
    yield outage
    outage.restore()


# --- Rate limits and a Redis server of the test's own -------------------------------------
def clear_rate_limits() -> None:
    """Forget every rate-limit counter (ours and allauth's) and nothing else: the cache is
    Redis in CI, shared with the broker, so a FLUSHDB would take queued tasks with it."""
    from django.core.cache import caches

    from peertrain.core.cache import ResilientRedisCache

    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        backend.clear()  # this process's memory, which only the limits use
        return
    backend._local.clear()
    client = backend._cache.get_client(None, write=True)
    keys = list(client.scan_iter(match=f"{backend.key_prefix}:*:rl:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Counters outlive a test's database (in Redis), and SQLite gives the next test's rows
    the same ids: each test starts with none."""
    clear_rate_limits()


@pytest.fixture
def own_redis():
    """A redis-server of the test's own (``tests/redis_server.py``), to stop or hang."""
    from .redis_server import OwnRedis  # it imports this module

    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt install redis-server)")
    server = OwnRedis()
    server.start()
    yield server
    server.close()


@pytest.fixture
def cache_on(settings):
    """Point the default cache at another Redis (a closed port plays a Redis that is down)."""

    def point(url: str):
        settings.CACHES = {
            "default": {
                "BACKEND": "peertrain.core.cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "peertrain",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        from django.core.cache import caches

        caches["default"]._local.clear()  # what an earlier test counted in this process

    return point


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


class DataQueryBudget:
    """Counts the SQL statements that read or write data, leaving out transaction control
    (BEGIN/COMMIT/SAVEPOINT), which depends on how the test wraps the request."""

    def __init__(self, limit: int):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.limit = limit
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        if exc[0] is not None:
            return
        statements = [
            query["sql"]
            for query in self.context.captured_queries
            if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
        ]
        if len(statements) > self.limit:
            listing = "\n".join(sql[:160] for sql in statements)
            pytest.fail(f"{len(statements)} data queries, budget {self.limit}:\n{listing}")


@pytest.fixture
def data_query_budget():
    return DataQueryBudget


# --- A real Celery worker and an SMTP sink, for tests through the real broker -------------
class SinkHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_tcp_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def worker(smtp_sink):
    """A Celery worker process on the real broker, reading the test database over the
    network (so PostgreSQL only) and sending mail to the SMTP sink."""
    controller, _ = smtp_sink
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "peertrain.settings.local",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://{controller.hostname}:{controller.port}",
    }
    celery_app.control.purge()  # messages left by an earlier, interrupted run
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "peertrain",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        yield process
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.seek(0)
        output = log.read().decode(errors="replace")
        if "Traceback" in output:
            print(f"Celery worker output:\n{output}")


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


# --- A real OpenID Connect provider (tests/oidc.py) ------------------------------------------
@pytest.fixture(scope="session")
def oidc_server():
    from .oidc import running_provider

    with running_provider() as provider:
        yield provider


@pytest.fixture
def oidc_provider(oidc_server, settings):
    """PeerTrain configured for single sign-on against the running provider."""
    from .oidc import provider_settings

    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(oidc_server.url)
    return oidc_server
