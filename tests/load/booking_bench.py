"""Machinery for the booking benchmark (``test_booking_throughput.py``): a gunicorn on the test
database, signed-in people without a login round trip, closed- and open-loop HTTP load, the
bare-SQL seat claim of baseline (a), and the no-oversell checks.

Every row made here is committed (the server is another process) and recognisable, so
``forget_bench_rows`` removes exactly these rows and nothing another benchmark generated.
"""

import contextlib
import http.client
import itertools
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.test.utils import override_settings
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.notifications.models import Notification
from programmes.models import Skill
from sessions.models import Booking, TrainingSession
from trainers.models import Certification, TrainerProfile

from ..conftest import unused_tcp_port

ROOT = Path(__file__).resolve().parents[2]
EMAIL_PREFIX = "bench-booker-"
TRAINER_EMAIL = "bench-booking-trainer@example.com"
SKILL_SLUG = "bench-booking"
SESSION_KEY_PREFIX = "benchbooking"  # django_session rows of the benchmark's people
BASELINE_PATH = "/bench/baseline/"
CLIENT_TIMEOUT = 60  # seconds; a request that takes this long counts as hung and fails
SEAT_CLAIM = (
    "UPDATE training_trainingsession SET confirmed_count = confirmed_count + 1 "
    "WHERE id = %s AND confirmed_count < capacity RETURNING confirmed_count"
)


# --- Figures ---------------------------------------------------------------------------
def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Run:
    """One measured burst: a latency per request, the answers, the wall-clock time."""

    latencies_ms: list[float]
    seconds: float
    statuses: Counter = field(default_factory=Counter)
    try_again: int = 0  # answers whose page says "try again"
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per request, by process
    ours_pct: float = 0.0  # CPU used by server, database and client, % of all cores
    others_pct: float = 0.0  # machine CPU used by anything else meanwhile, % of all cores

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds

    def figures(self) -> dict:
        return {
            "requests": self.requests,
            "per_s": self.per_s,
            "p50_ms": statistics.median(self.latencies_ms),
            "p95_ms": percentile(self.latencies_ms, 0.95),
            "p99_ms": percentile(self.latencies_ms, 0.99),
            **{f"cpu_{name}_ms": ms for name, ms in self.cpu_ms.items()},
            "ours_cpu_pct": self.ours_pct,
            "others_cpu_pct": self.others_pct,
        }


def load_average() -> float:
    return os.getloadavg()[0]


# --- Where the two CPUs go ---------------------------------------------------------------
@dataclass(frozen=True)
class Process:
    cpu: float  # user + system seconds so far
    ppid: int
    command: str


def processes() -> dict[int, Process]:
    """Every process on the machine, from /proc."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # it ended
        fields = stat.rsplit(")", 1)[1].split()  # after "(name)": state, ppid, …
        cpu = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        found[int(entry.name)] = Process(cpu, int(fields[1]), command)
    return found


def _postgres_helper(process: Process) -> bool:
    """PostgreSQL's own processes (WAL writer, checkpointer, …), which work for every
    connection; a backend's title names its client as host(port) or [local]."""
    return process.command.startswith("postgres") and not (
        "(" in process.command or "[local]" in process.command
    )


def database_backends() -> list[int]:
    """PostgreSQL backend processes connected to the test database (the server's
    persistent connections among them)."""
    with sql_connection() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    conn.close()
    return pids


class CpuMeter:
    """CPU spent during a run by gunicorn (master and workers), by the database backends
    it used and by this process, the load generator, since the three share the machine's
    cores; and by any other program (someone else's job), which disturbs the figures.

    Resolution is one clock tick (10 ms) per process, so short runs read coarsely; a
    backend that disconnects during the run (CONN_MAX_AGE) is lost, so ``db`` may read
    low. Kernel threads and PostgreSQL's helpers are counted nowhere."""

    def __init__(self, server_pid: int | None = None, backends: list[int] | None = None):
        self.server_pid, self.backends = server_pid, backends
        self.before, self.wall = processes(), time.perf_counter()

    def finish(self, run: Run) -> None:
        after, wall = processes(), time.perf_counter() - self.wall
        groups = {
            "db": set(self.backends if self.backends is not None else database_backends()),
            "client": {os.getpid()},
        }
        if self.server_pid:
            groups["server"] = {self.server_pid} | {
                pid for pid, process in after.items() if process.ppid == self.server_pid
            }
        ours = set().union(*groups.values())

        def spent(pid: int) -> float:
            before = self.before.get(pid)
            return after[pid].cpu - (before.cpu if before else 0.0)

        seconds = {
            name: sum(spent(pid) for pid in pids if pid in after) for name, pids in groups.items()
        }
        run.cpu_ms = {name: cpu * 1000 / run.requests for name, cpu in seconds.items()}
        cores = wall * (os.cpu_count() or 1)
        run.ours_pct = 100 * sum(seconds.values()) / cores
        others = sum(
            spent(pid)
            for pid, process in after.items()
            if pid not in ours
            and process.ppid != 2  # kernel threads
            and pid != 2
            and not _postgres_helper(process)
        )
        run.others_pct = 100 * others / cores


# --- The world the server sees -----------------------------------------------------------
@dataclass(frozen=True)
class Person:
    pk: int
    headers: dict[str, str]  # cookie and CSRF header pair of a signed-in browser


def forget_bench_rows() -> None:
    """Delete what an earlier (maybe interrupted) run of this benchmark committed."""
    TrainingSession.objects.filter(skill__slug=SKILL_SLUG).delete()  # and their bookings
    Notification.objects.filter(recipient__email__startswith=EMAIL_PREFIX).delete()
    Session.objects.filter(session_key__startswith=SESSION_KEY_PREFIX).delete()
    User.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    User.objects.filter(email=TRAINER_EMAIL).delete()  # and the trainer profile
    Skill.objects.filter(slug=SKILL_SLUG).delete()


def make_trainer() -> tuple[Skill, User]:
    skill = Skill.objects.create(name="Benchmark booking", slug=SKILL_SLUG, category="General")
    trainer = User.objects.create(email=TRAINER_EMAIL, display_name="Bench Trainer")
    profile = TrainerProfile.objects.create(user=trainer, status=TrainerProfile.Status.CERTIFIED)
    Certification.objects.create(trainer=profile, skill=skill, issued_at=timezone.now())
    return skill, trainer


def make_people(count: int, *, secret_key: str) -> list[Person]:
    """``count`` people, each with a stored, signed-in browser session for a server whose
    SECRET_KEY is ``secret_key``: what a login would leave behind, without logging in."""
    users = User.objects.bulk_create(
        [
            User(email=f"{EMAIL_PREFIX}{i}@example.com", display_name=f"Booker {i}")
            for i in range(count)
        ],
        batch_size=2_000,
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expires = timezone.now() + timedelta(days=1)
    people, rows = [], []
    # The session data and the password hash check are signed with the server's key.
    with override_settings(SECRET_KEY=secret_key):
        store = SessionStore()
        for user in users:
            key = f"{SESSION_KEY_PREFIX}{secrets.token_hex(12)}"
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            rows.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expires)
            )
            people.append(Person(user.pk, signed_in_headers(session_key=key)))
    Session.objects.bulk_create(rows, batch_size=2_000)
    return people


def signed_in_headers(*, session_key: str | None) -> dict[str, str]:
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    cookies = f"{settings.CSRF_COOKIE_NAME}={csrf}"
    if session_key:
        cookies += f"; {settings.SESSION_COOKIE_NAME}={session_key}"
    return {"Cookie": cookies, "X-CSRFToken": csrf, "Content-Length": "0"}


def make_sessions(
    count: int, *, capacity: int, skill: Skill, trainer: User, title: str
) -> list[int]:
    starts = timezone.now() + timedelta(days=7)
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                skill=skill,
                lead_trainer=trainer,
                title=f"{title} {i + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                location="Room 3",
                capacity=capacity,
                status=TrainingSession.Status.PUBLISHED,
            )
            for i in range(count)
        ]
    )
    return [session.pk for session in sessions]


def committed(function, *args, **kwargs):
    """Call ``function`` in a thread of its own, whose connection autocommits outside the
    test's transaction, so the server (another process) sees the rows at once."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()  # the thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


# --- The server --------------------------------------------------------------------------
@dataclass(frozen=True)
class Server:
    host: str
    port: int
    workers: int
    pid: int  # gunicorn's master


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def gunicorn(
    *,
    workers: int,
    secret_key: str,
    redis_url: str = "",
    settings_module: str = "tests.load.bench_settings",
) -> Iterator[Server]:
    """Gunicorn with sync workers on the test database (which must hold committed rows),
    production settings, DEBUG off, no SSL redirect. Stopped (by its pid) on exit.
    ``redis_url``: a Redis of the caller's own (the fault scenarios break it) instead of the
    benchmark's database; the caller disposes of it."""
    port = unused_tcp_port()
    broker = tempfile.mkdtemp(prefix="peertrain-bench-broker-")
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"} | {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secret_key,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    bench_redis = "" if redis_url else bench_redis_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    elif bench_redis:
        env["REDIS_URL"] = bench_redis
    else:
        env["BENCH_BROKER_DIR"] = broker
    command = [
        sys.executable, "-m", "gunicorn", "peertrain.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "1",
        "--worker-class", "sync", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Server("127.0.0.1", port, workers, process.pid)
        try:
            _wait_until_serving(server, process, log)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            shutil.rmtree(broker, ignore_errors=True)
            if bench_redis:
                _flush_redis(bench_redis)
            log.seek(0)
            output = log.read().decode(errors="replace")
            if "Traceback" in output:
                print(f"gunicorn output:\n{output[-4000:]}")


def bench_redis_url() -> str:
    """Where the server publishes its booking notices: with Redis configured, as in
    production, but in a database of its own (``BENCH_REDIS_DB``, default 13) that no
    worker reads and that is emptied afterwards — only if it was empty to begin with, so a
    database someone uses is never touched; otherwise, and without Redis, a throwaway
    folder."""
    if not settings.REDIS_URL:
        return ""
    parts = urlsplit(settings.REDIS_URL)
    url = urlunsplit(parts._replace(path=f"/{os.environ.get('BENCH_REDIS_DB', '13')}"))
    return url if _redis(url).dbsize() == 0 else ""


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1)


def _flush_redis(url: str) -> None:
    _redis(url).flushdb()


def _wait_until_serving(
    server: Server,
    process: subprocess.Popen,
    log,
    *,
    path: str = BASELINE_PATH,
    timeout: float = 30.0,
    name: str = "gunicorn",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{name} exited:\n{log.read().decode(errors='replace')}")
        try:
            if request(server, "GET", path, {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    log.seek(0)
    output = log.read().decode(errors="replace")[-4000:]
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s:\n{output}")


def request(server: Server, method: str, path: str, headers: dict) -> tuple[int, bytes]:
    """One request on a new connection (sync workers close it after each answer). The
    standard library's client: the load generator shares the two CPUs with the server, so
    its cost per request should be as small as possible."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- `make run`: the launcher with its web server, worker and beat -------------------------
RUN_READY_PATH = "/healthz"
RUN_START_TIMEOUT = 90  # seconds: collectstatic, then gunicorn, on a busy machine
RUN_STOP_TIMEOUT = 40  # the launcher gives its children 15 s, then kills them
# Settings a developer's shell may carry; `make run` on a fresh machine has none of them.
RUN_CLEARED = (
    "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PEERTRAIN_VAR_DIR", "DEBUG",
    "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL", "RUN_ADDRESS", "WEB_CONCURRENCY",
    "WEB_THREADS", "LOG_LEVEL", "CONN_MAX_AGE", "MEDIA_ROOT",
)  # fmt: skip


def run_environment(var_dir: Path, *, services: bool = False, **extra: str) -> dict[str, str]:
    """The environment of `make run` on a fresh machine, with its data under ``var_dir``
    instead of the checkout's ``var/``: the embedded default (SQLite + filesystem broker),
    or with ``services`` the test database and the suite's Redis. ``extra`` adds or
    overrides variables."""
    env = {name: value for name, value in os.environ.items() if name not in RUN_CLEARED}
    env["PEERTRAIN_VAR_DIR"] = str(var_dir)
    if services:
        env |= {"DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL}
    return env | extra


@dataclass
class Launched:
    """`make run` as a running process (``python -m peertrain.launcher``)."""

    server: Server  # the web server; pid is gunicorn's master (runserver's with dev)
    process: subprocess.Popen  # the launcher
    env: dict[str, str]
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> dict[str, list[int]]:
        """The launcher's children now, by role, from /proc (pids, oldest first)."""
        roles: dict[str, list[int]] = {"web": [], "worker": [], "beat": []}
        for pid, process in sorted(processes().items()):
            if process.ppid != self.process.pid:
                continue
            if " gunicorn " in process.command or " runserver " in f"{process.command} ":
                roles["web"].append(pid)
            elif " celery " in process.command:
                roles["beat" if " beat " in process.command else "worker"].append(pid)
        return roles

    def descendants(self) -> dict[int, str]:
        """Everything it started, however deep (gunicorn's workers, Celery's pool): pid →
        command line."""
        table = processes()
        found: dict[int, str] = {}
        frontier = {self.process.pid}
        while frontier:
            frontier = {pid for pid, p in table.items() if p.ppid in frontier} - set(found)
            found |= {pid: table[pid].command for pid in frontier}
        return found

    def wait_for_output(self, text: str, *, count: int = 1, timeout: float = 60) -> bool:
        """Whether ``text`` appears ``count`` times in the output within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.output().count(text) >= count:
                return True
            time.sleep(0.2)
        return False

    def stop(self, signum: int = signal.SIGINT, timeout: float = RUN_STOP_TIMEOUT) -> int | None:
        """Stop it as Ctrl-C would; its exit code, or None if it had to be killed (then
        everything it started is killed too)."""
        left = self.descendants()
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            now = processes()
            for pid, command in left.items():
                if pid in now and now[pid].command == command:  # not a reused pid
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)


@contextmanager
def make_run(env: dict[str, str], *, dev: bool = False) -> Iterator[Launched]:
    """`make run`'s launcher (``make dev``'s with ``dev``) on a free port with ``env`` (see
    ``run_environment``), once its web server answers; stopped as by Ctrl-C on exit."""
    from peertrain.gunicorn_conf import DEFAULT_WORKERS

    port = unused_tcp_port()
    env = env | {"RUN_ADDRESS": f"127.0.0.1:{port}", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "peertrain.launcher", *(["--dev"] if dev else [])]
    with tempfile.TemporaryDirectory(prefix="peertrain-run-") as folder:
        log_path = Path(folder) / "run.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        workers = int(env.get("WEB_CONCURRENCY") or DEFAULT_WORKERS)
        launched = Launched(Server("127.0.0.1", port, workers, 0), process, env, log_path)
        try:
            with open(log_path, "rb") as log:
                _wait_until_serving(
                    launched.server, process, log,
                    path=RUN_READY_PATH, timeout=RUN_START_TIMEOUT, name="make run",
                )  # fmt: skip
            launched.server = Server("127.0.0.1", port, workers, launched.children()["web"][0])
            yield launched
        finally:
            launched.stop()
            output = launched.output()
            if "Traceback" in output:
                print(f"make run output:\n{output[-6000:]}")


# --- Load --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    path: str
    headers: dict[str, str]


def closed_loop(server: Server, jobs: Sequence[Job], *, clients: int) -> Run:
    """``clients`` threads, each sending its next request as soon as the last is answered."""
    run = Run(latencies_ms=[0.0] * len(jobs), seconds=0.0)
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        while (index := next(counter)) < len(jobs):
            started = time.perf_counter()
            status, body = request(server, "POST", jobs[index].path, jobs[index].headers)
            run.latencies_ms[index] = (time.perf_counter() - started) * 1000
            with lock:
                run.statuses[status] += 1
                run.try_again += b"try again" in body

    meter = CpuMeter(server.pid)
    run.seconds = _in_threads(client, clients)
    meter.finish(run)
    return run


def open_loop(server: Server, jobs: Sequence[Job], *, rate: float, threads: int = 64) -> Run:
    """Requests sent at a fixed rate whatever the answers (as real users arrive); latency
    counts from when a request was due, so time spent queued in the client counts too."""
    run = Run(latencies_ms=[0.0] * len(jobs), seconds=0.0)
    counter = itertools.count()
    lock = threading.Lock()
    meter = CpuMeter(server.pid)
    start = time.perf_counter() + 0.05

    def client() -> None:
        while (index := next(counter)) < len(jobs):
            due = start + index / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            status, body = request(server, "POST", jobs[index].path, jobs[index].headers)
            run.latencies_ms[index] = (time.perf_counter() - due) * 1000
            with lock:
                run.statuses[status] += 1
                run.try_again += b"try again" in body

    _in_threads(client, threads)
    run.seconds = time.perf_counter() - start
    meter.finish(run)
    return run


def _in_threads(target, count: int) -> float:
    """Run ``target`` in ``count`` threads started together; the seconds until all end."""
    errors = []
    barrier = threading.Barrier(count + 1)

    def wrapped() -> None:
        barrier.wait()
        try:
            target()
        except Exception as error:  # a hung or refused request fails the benchmark
            errors.append(error)

    threads = [threading.Thread(target=wrapped) for _ in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def booking_jobs(people: Sequence[Person], session_ids: Sequence[int]) -> list[Job]:
    """Person i books session i mod n: one booking each, spread evenly."""
    return [
        Job(f"/sessions/{session_ids[i % len(session_ids)]}/book/", person.headers)
        for i, person in enumerate(people)
    ]


def baseline_jobs(count: int) -> list[Job]:
    return [Job(BASELINE_PATH, signed_in_headers(session_key=None)) for _ in range(count)]


# --- Baseline (a): the seat claim as one SQL statement -----------------------------------
def sql_connection():
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def sql_seat_claims(session_ids: Sequence[int], *, clients: int) -> tuple[Run, int]:
    """Each claim a conditional UPDATE … RETURNING in its own transaction, from ``clients``
    threads with a connection each (opened before the clock starts). Returns the run and
    how many claims got a seat."""
    connections = [sql_connection() for _ in range(clients)]
    run = Run(latencies_ms=[0.0] * len(session_ids), seconds=0.0)
    counter, seats, lock = itertools.count(), Counter(), threading.Lock()
    local = threading.local()
    pool = iter(connections)

    def client() -> None:
        with lock:
            local.cursor = next(pool).cursor()
        got = 0
        while (index := next(counter)) < len(session_ids):
            started = time.perf_counter()
            local.cursor.execute(SEAT_CLAIM, [session_ids[index]])
            got += local.cursor.fetchone() is not None
            run.latencies_ms[index] = (time.perf_counter() - started) * 1000
        with lock:
            seats["seated"] += got

    try:
        meter = CpuMeter(backends=[conn.get_backend_pid() for conn in connections])
        run.seconds = _in_threads(client, clients)
        meter.finish(run)
    finally:
        for conn in connections:
            conn.close()
    run.statuses["seated"] = seats["seated"]
    return run, seats["seated"]


# --- How long a booking holds the session's row lock -----------------------------------
@dataclass(frozen=True)
class LockHold:
    total_ms: float  # from the answer to the claim (the UPDATE that locks the row) to COMMIT's
    in_database_ms: float  # of which waiting for PostgreSQL (statements and COMMIT)


def lock_holds(session_id: int, user_ids: Sequence[int]) -> list[LockHold]:
    """Book these people one after another in this process (call it through ``committed``
    so each booking really commits) and time each hold of the session's row lock, and
    how much of it went on SQL round trips rather than Python. One popular session takes
    at most one booking per hold, however many cores there are."""
    from sessions.services.booking import booking_create

    holds = []
    state = {"locked_at": 0.0, "in_database": 0.0, "locked": False}
    real_commit = connection._commit

    def timed_statement(execute, sql, params, many, context):
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        if state["locked"]:
            state["in_database"] += time.perf_counter() - started
        elif sql.startswith(f"UPDATE {TrainingSession._meta.db_table} "):
            state.update(locked=True, locked_at=time.perf_counter(), in_database=0.0)
        return result

    def commit():
        started = time.perf_counter()
        real_commit()
        ended = time.perf_counter()
        if state["locked"]:
            database = state["in_database"] + ended - started
            holds.append(LockHold((ended - state["locked_at"]) * 1000, database * 1000))
        state["locked"] = False

    connection._commit = commit  # this thread's connection only
    try:
        session = TrainingSession(pk=session_id)
        with connection.execute_wrapper(timed_statement):
            for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
                booking_create(session=session, user=user)
    finally:
        del connection._commit
    return holds


# --- No oversell -------------------------------------------------------------------------
@dataclass(frozen=True)
class SeatTotals:
    confirmed: int
    waitlisted: int


def assert_no_oversell(session_ids: Sequence[int]) -> SeatTotals:
    """For each session: confirmed ≤ capacity, the counters equal the bookings, waitlist
    positions are 1..n without gaps, and nobody holds two active bookings."""
    sessions = TrainingSession.objects.filter(pk__in=session_ids).annotate(
        confirmed=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
        positions=Count(
            "bookings__waitlist_position",
            distinct=True,
            filter=Q(bookings__status=Booking.Status.WAITLISTED),
        ),
        first=Min("bookings__waitlist_position"),
        last=Max("bookings__waitlist_position"),
    )
    confirmed = waitlisted = 0
    for session in sessions:
        assert session.confirmed_count <= session.capacity, session.pk
        assert session.confirmed == session.confirmed_count, session.pk
        assert session.waiting == session.waitlist_count, session.pk
        if session.waiting:
            assert (session.first, session.last, session.positions) == (
                1,
                session.waiting,
                session.waiting,
            ), session.pk
        confirmed += session.confirmed
        waitlisted += session.waiting
    doubles = (
        Booking.objects.filter(session__in=session_ids, status__in=["confirmed", "waitlisted"])
        .values("session", "user")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not doubles.exists()
    return SeatTotals(confirmed, waitlisted)


def assert_sql_claims_never_oversell(session_ids: Sequence[int], seated: int) -> None:
    rows = TrainingSession.objects.filter(pk__in=set(session_ids)).values_list(
        "confirmed_count", "capacity"
    )
    assert all(count <= capacity for count, capacity in rows)
    assert sum(count for count, _ in rows) == seated
