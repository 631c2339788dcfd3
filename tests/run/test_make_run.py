"""`make run` as people use it: the launcher on a free port, on the embedded default (SQLite
and the filesystem broker) with its data in a temporary folder instead of ``var/``.

One launcher serves the module's tests (starting one takes seconds); the tests that stop it
start their own."""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ..conftest import ROOT, unused_tcp_port, wait_until
from ..load.booking_bench import (
    Launched,
    make_run,
    processes,
    request,
    run_environment,
)
from .test_docker import assert_healthz_stays_prompt, idle_connections

pytestmark = pytest.mark.timeout(240)


def migrated_var_dir() -> tempfile.TemporaryDirectory:
    """A fresh, migrated ``var/``: what `make run` finds after `make migrate`."""
    folder = tempfile.TemporaryDirectory(prefix="peertrain-var-")
    env = run_environment(Path(folder.name))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True, timeout=180,
    )  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def var_dir():
    folder = migrated_var_dir()
    yield Path(folder.name)
    folder.cleanup()


@pytest.fixture(scope="module")
def running(var_dir):
    # DEBUG off with a real key, as a small company would run it: pages then need the
    # collected static files and their manifest, which the launcher makes.
    env = run_environment(var_dir, DEBUG="0", SECRET_KEY="not-a-secret-" * 5)
    with make_run(env) as launched:
        assert launched.wait_for_output("ready.", timeout=120), launched.output()[-3000:]
        yield launched


def test_make_run_serves_pages_and_static_files_with_threaded_gunicorn(running: Launched):
    status, body = request(running.server, "GET", "/accounts/login/", {})
    assert status == 200
    # A hashed name from the manifest: with DEBUG off, collectstatic ran first.
    stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    assert request(running.server, "GET", stylesheet, {})[0] == 200  # whitenoise
    web = processes()[running.server.pid].command
    assert " gunicorn --config peertrain/gunicorn_conf.py " in web
    assert "gthread" in running.output()  # "Using worker: gthread"


def test_idle_connections_do_not_stall_make_run(running: Launched):
    clients = idle_connections(running.server.port, 6)
    try:
        assert_healthz_stays_prompt(running.server, seconds=8)
    finally:
        for sock in clients:
            sock.close()


def test_changed_source_files_do_not_restart_make_run(running: Launched):
    """`make test` reinstalling the package restarted a running `make run` (runserver's
    reloader saw the files change). A changed source file's time must change nothing."""
    web_before = {pid for pid, p in processes().items() if p.ppid == running.server.pid}
    source = ROOT / "peertrain" / "urls.py"
    times = source.stat()
    try:
        os.utime(source)
        time.sleep(3)  # runserver's reloader looks every second
    finally:
        os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))
    web_after = {pid for pid, p in processes().items() if p.ppid == running.server.pid}
    assert web_before == web_after
    assert running.children()["web"] == [running.server.pid]
    assert request(running.server, "GET", "/healthz", {})[0] == 200


@pytest.mark.parametrize("role", ["worker", "beat"])
def test_a_killed_worker_or_beat_is_started_again(running: Launched, role):
    """kill -9 (a crash, or the broker-disconnect bug that killed a worker): it comes back
    by itself after a short backoff, and the web server never notices."""
    [old] = running.children()[role]
    old_pool = {pid for pid, p in processes().items() if p.ppid == old}
    ready_before = running.output().count("ready.")
    os.kill(old, signal.SIGKILL)
    assert wait_until(lambda: running.children()[role] not in ([], [old]), timeout=30)
    [new] = running.children()[role]
    assert f"{role} exited (code -9)" in running.output()
    if role == "worker":
        assert running.wait_for_output("ready.", count=ready_before + 1, timeout=120)
        assert not old_pool & set(processes())  # the dead worker's pool processes went too
    assert wait_until(lambda: new in processes(), timeout=5)
    assert request(running.server, "GET", "/healthz", {})[0] == 200


# Last of the tests on the shared launcher: it stops it.
def test_ctrl_c_stops_web_worker_and_beat(running: Launched):
    started = running.descendants()
    assert len(started) >= 6  # gunicorn and 2 workers, a worker and its pool, beat
    assert running.stop(signal.SIGINT) == 0
    assert not set(started) & set(processes())
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", running.server.port), timeout=5)


def test_web_that_cannot_start_stops_make_run(var_dir):
    """A port in use (or a bad setting) is a message and an exit, not a restart loop."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = run_environment(var_dir, RUN_ADDRESS=f"127.0.0.1:{port}")
        result = subprocess.run(
            [sys.executable, "-m", "peertrain.launcher"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert result.returncode != 0
    assert "web could not start" in result.stderr
    assert "Connection in use" in result.stderr  # gunicorn's own reason


def test_bad_web_threads_stops_make_run_by_name(var_dir):
    env = run_environment(var_dir, RUN_ADDRESS=f"127.0.0.1:{unused_tcp_port()}", WEB_THREADS="0")
    result = subprocess.run(
        [sys.executable, "-m", "peertrain.launcher"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "WEB_THREADS must be a whole number of at least 1, not '0'" in result.stderr


def test_make_dev_serves_with_the_reloading_runserver(var_dir):
    with make_run(run_environment(var_dir), dev=True) as launched:
        assert request(launched.server, "GET", "/healthz", {})[0] == 200
        assert "runserver" in processes()[launched.server.pid].command
        assert "StatReloader" in launched.output() or "autoreload" in launched.output()
        code = launched.stop(signal.SIGINT)
    assert code == 0
