"""Machinery for the fault scenarios (``test_fault_scenarios.py``): a real gunicorn (the
booking benchmark's launcher), a real Celery worker and our own redis-server, booking load
from signed-in people, a local SMTP sink that counts what really went out, and the tally of
notifications recorded / sent / duplicated / lost.

Everything the server and the worker read is committed (they are other processes) and
recognisable, so ``forget_bench_rows`` removes it afterwards.
"""

import contextlib
import itertools
import logging
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg2
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from peertrain.celery import app as celery_app
from peertrain.notifications.models import Notification
from peertrain.notifications.services import message_id

from ..conftest import unused_tcp_port
from ..load.booking_bench import (
    EMAIL_PREFIX,
    ROOT,
    Server,
    committed,
    database_url,
    gunicorn,
    make_people,
    make_sessions,
    make_trainer,
    percentile,
    request,
)
from ..redis_server import OwnRedis

SETTINGS = "tests.faults.fault_settings"
# The sink's own log (every SMTP command at INFO) would drown the figures.
logging.getLogger("mail.log").setLevel(logging.WARNING)
RELAY_TASK = "peertrain.notifications.tasks.relay_outbox"


# --- What went out ------------------------------------------------------------------------
class CountingSink:
    """An SMTP server that keeps each message's Message-ID and when it arrived."""

    def __init__(self):
        self.ids: list[str] = []
        self.times: list[float] = []  # perf_counter() at each arrival, in order
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = ""
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                found = line.split(":", 1)[1].strip()
                break
            if not line:
                break
        with self.lock:
            self.ids.append(found)
            self.times.append(time.perf_counter())
        return "250 Message accepted for delivery"

    def arrived(self) -> Counter:
        with self.lock:
            return Counter(self.ids)

    def first_arrival_after(self, since: float) -> float | None:
        """Seconds from ``since`` (a perf_counter time) to the first message that arrived
        after it, or None if none did. Only the worker sends, so this is how long the worker
        took to work again."""
        with self.lock:
            return next((t - since for t in self.times if t >= since), None)


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[Controller, CountingSink]]:
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=unused_tcp_port())
    controller.start()
    try:
        yield controller, sink
    finally:
        controller.stop()


# --- The worker -----------------------------------------------------------------------------
class Worker:
    """``celery worker`` (prefork, 2 processes: the default on this 2-core machine) on our
    Redis, the test database and the sink. Starting it again after it died (or was killed)
    is what a supervisor would do."""

    def __init__(self, *, redis_url: str, smtp: Controller, secret_key: str):
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://{smtp.hostname}:{smtp.port}",
            "SECRET_KEY": secret_key,
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 — lives as long as the worker
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "peertrain", "worker", "--pool=prefork",
            "--concurrency=2", "--loglevel=WARNING", "--without-heartbeat", "--without-mingle",
            "--without-gossip",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            start_new_session=True,  # its own process group: killed with its pool processes
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.starts += 1

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes: no cleanup, no ack, no restore."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


class Ticker:
    """Starts a relay run every ``every`` seconds, as beat does (every 15 s in production);
    a publish that fails while the broker is away is skipped, as beat skips it."""

    def __init__(self, redis_url: str, every: float):
        self.redis_url, self.every = redis_url, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            with contextlib.suppress(Exception):
                conn = celery_app.connection_for_write(
                    self.redis_url,
                    transport_options={"socket_timeout": 0.5, "max_retries": 0},
                )
                with conn:
                    celery_app.send_task(
                        RELAY_TASK, connection=conn, retry=False, expires=self.every
                    )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)


# --- Load -----------------------------------------------------------------------------------
@dataclass
class Answer:
    at: float  # seconds since the scenario started
    kind: str  # "book" or "page"
    status: int  # 0: no answer (connection error or timeout)
    ms: float


@dataclass
class Load:
    """Bookings from ``clients`` threads (one per person, each person once) and a page
    (GET /sessions/) every 0.2 s, until stopped or out of people."""

    server: Server
    people: list
    session_ids: list[int]
    clients: int
    started: float = field(default_factory=time.perf_counter)
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self):
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.threads = [
            threading.Thread(target=self._book, daemon=True) for _ in range(self.clients)
        ]
        self.threads.append(threading.Thread(target=self._pages, daemon=True))

    def _call(self, kind: str, method: str, path: str, headers: dict) -> None:
        began = time.perf_counter()
        try:
            status, _ = request(self.server, method, path, headers)
        except OSError:
            status = 0
        answer = Answer(began - self.started, kind, status, (time.perf_counter() - began) * 1000)
        with self.lock:
            self.answers.append(answer)

    def _book(self) -> None:
        while not self.stopped.is_set():
            index = next(self.counter)
            if index >= len(self.people):
                return
            person = self.people[index]
            session = self.session_ids[index % len(self.session_ids)]
            self._call("book", "POST", f"/sessions/{session}/book/", person.headers)

    def _pages(self) -> None:
        headers = {k: v for k, v in self.people[0].headers.items() if k == "Cookie"}
        while not self.stopped.wait(0.2):
            self._call("page", "GET", "/sessions/", headers)

    def start(self) -> "Load":
        self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()
        return self

    def now(self) -> float:
        return time.perf_counter() - self.started

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=70)

    def between(self, start: float, end: float, kind: str | None = None) -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end and kind in (None, a.kind)]


# --- The world ----------------------------------------------------------------------------
@dataclass
class World:
    redis: OwnRedis
    server: Server
    worker: Worker
    sink: CountingSink
    people: list
    session_ids: list[int]
    worker_deaths: int = 0

    def load(self, clients: int) -> Load:
        return Load(self.server, self.people, self.session_ids, clients)


@contextlib.contextmanager
def world(*, people: int, workers: int = 3, relay_every: float) -> Iterator[World]:
    """Our Redis, gunicorn on it, a worker, the sink, a relay ticker, and ``people``
    signed-in people who may book any of 20 roomy sessions."""
    secret_key = secrets.token_urlsafe(50)
    redis = OwnRedis()
    redis.start()
    skill, trainer = committed(make_trainer)
    cast = committed(make_people, people, secret_key=secret_key)
    session_ids = committed(
        make_sessions, 20, capacity=people, skill=skill, trainer=trainer, title="Fault drill"
    )
    try:
        with (
            smtp_sink() as (controller, sink),
            gunicorn(
                workers=workers,
                secret_key=secret_key,
                redis_url=redis.url,
                settings_module=SETTINGS,
            ) as server,
            Ticker(redis.url, relay_every),
        ):
            worker = Worker(redis_url=redis.url, smtp=controller, secret_key=secret_key)
            worker.start()
            warm_up(server, cast[0].headers)
            try:
                yield World(redis, server, worker, sink, cast, session_ids)
            finally:
                worker.stop()
                output = worker.output()
                if "Traceback" in output:
                    print(f"worker output (last 3000 characters):\n{output[-3000:]}")
    finally:
        redis.close()


def warm_up(server: Server, headers: dict) -> None:
    """A few pages on each gunicorn worker first, so the figures don't count the imports a
    fresh worker makes on its first requests."""
    cookie = {k: v for k, v in headers.items() if k == "Cookie"}
    threads = [
        threading.Thread(target=request, args=(server, "GET", "/sessions/", cookie))
        for _ in range(server.workers * 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- The tally ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    recorded: int
    sent: int  # rows marked sent
    arrived: int  # distinct messages the sink received
    duplicated: int  # extra copies the sink received
    lost: int  # recorded, never arrived
    unknown: int  # rows whose outcome is unknown (flagged, not re-sent)


def notices() -> list[Notification]:
    return list(Notification.objects.filter(recipient__email__startswith=EMAIL_PREFIX))


def tally(sink: CountingSink) -> Tally:
    rows = notices()
    arrived = sink.arrived()
    expected = {message_id(row) for row in rows}
    return Tally(
        recorded=len(rows),
        sent=sum(1 for row in rows if row.sent_at),
        arrived=len(expected & set(arrived)),
        duplicated=sum(count - 1 for mid, count in arrived.items() if mid in expected),
        lost=len(expected - set(arrived)),
        unknown=sum(1 for row in rows if row.outcome_unknown),
    )


def wait_for_drain(w: "World", *, since: float, timeout: float) -> tuple[float, Tally]:
    """Seconds from ``since`` (a perf_counter time: the fault's end) until every recorded
    notification has arrived, or ``timeout`` passed. A worker that died meanwhile is
    started again, as a supervisor would, and counted."""
    while True:
        if not w.worker.alive():
            w.worker_deaths += 1
            w.worker.start()
        waited = time.perf_counter() - since
        # A cheap check while waiting (the sink shares this process; the full tally hashes
        # every row's Message-ID). Arrivals, not sent rows: a row of unknown outcome stays
        # unsent, delivered or not.
        if waited > timeout or len(w.sink.ids) >= _recorded_count():
            counted = tally(w.sink)
            if counted.lost == 0 or waited > timeout:
                return time.perf_counter() - since, counted
        time.sleep(0.5)


def _recorded_count() -> int:
    return Notification.objects.filter(recipient__email__startswith=EMAIL_PREFIX).count()


def top_up_backlog(cast: list, target: int) -> int:
    """Rows as the outage would have left them, so the backlog reaches ``target``: unsent,
    never published, due at once (recorded while the broker was known to be down). Returns
    how many were added."""
    missing = (
        target
        - Notification.objects.filter(
            recipient__email__startswith=EMAIL_PREFIX, sent_at=None
        ).count()
    )
    if missing <= 0:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=cast[i % len(cast)].pk,
                address=f"{EMAIL_PREFIX}{i % len(cast)}@example.com",
                kind="fault.backlog",
                unique_key=f"fault-backlog:{i}",
                subject="Backlog",
                body="Recorded while the broker was away.",
                next_attempt_at=now,
            )
            for i in range(missing)
        ],
        batch_size=1000,
    )
    return missing


class ConnectionCutter:
    """Terminates every connection to the test database except ours, every ``every``
    seconds: the server's and the worker's (nobody else's database is touched)."""

    def __init__(self, every: float):
        self.every = every
        self.stopped = threading.Event()
        self.cuts = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        db = connection.settings_dict
        keep = set()
        own = psycopg2.connect(
            dbname=db["NAME"],
            user=db["USER"],
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            password=db["PASSWORD"] or None,
        )
        with contextlib.closing(own) as conn:
            conn.autocommit = True
            keep.add(conn.get_backend_pid())
            while not self.stopped.is_set():
                with conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> ALL(%s)",
                        [list(keep | self.spared)],
                    )
                    self.cuts += cursor.fetchone()[0]
                self.stopped.wait(self.every)

    def __enter__(self):
        # The test's own connections (this thread's, and any committed() thread's) stay.
        connection.ensure_connection()
        self.spared = {connection.connection.get_backend_pid()}
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=10)


RESULTS: list[str] = []


def report(name: str, load: Load, counted: Tally, drain_s: float, **extra) -> str:
    answers = load.answers
    failed = [a for a in answers if a.status == 0 or (a.status >= 500 and a.status != 503)]
    slowest = max(answers, key=lambda a: a.ms) if answers else None
    pages = [a.ms for a in answers if a.kind == "page"]
    statuses = Counter(a.status for a in answers)
    parts = {
        "requests": len(answers),
        "failed": len(failed),
        "503": statuses[503],
        "slowest_ms": round(slowest.ms) if slowest else 0,
        "slowest": f"{slowest.kind}@{slowest.at:.0f}s" if slowest else "-",
        "page_p95_ms": round(percentile(pages, 0.95)) if pages else 0,
        "recorded": counted.recorded,
        "sent": counted.sent,
        "duplicated": counted.duplicated,
        "lost": counted.lost,
        "unknown": counted.unknown,
        "drain_s": round(drain_s, 1),
        **extra,
    }
    line = f"FAULT {name:<16} " + "  ".join(f"{key}={value}" for key, value in parts.items())
    print(line)
    RESULTS.append(line)
    return line
