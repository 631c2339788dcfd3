"""`make run` and `make dev`: the web server, a Celery worker and beat, kept running.

    python -m peertrain.launcher          # gunicorn, threaded workers (`make run`)
    python -m peertrain.launcher --dev    # Django's auto-reloading runserver (`make dev`)

A worker or beat that exits (a crash, a broker disconnect, ``kill -9``) is started again
after a short backoff; so is the web server, unless it fails while starting (a port in
use, a bad setting), which stops everything with its message. Ctrl-C, SIGTERM or SIGHUP
stops all three; a second Ctrl-C kills what is left at once.

Each child runs in a process group of its own, so the launcher alone decides how each one
stops (gunicorn and Celery each get the signal that means "finish what you are doing"),
and can clear a crashed child's leftovers (a killed worker's pool processes) before
starting it again. On Linux a child also gets SIGTERM if the launcher itself dies.

``RUN_ADDRESS`` (default ``127.0.0.1:8000``) is where the web server listens; the settings
make ``SITE_URL`` and ``ALLOWED_HOSTS`` follow it unless they are set
(``peertrain/run_address.py``).
"""

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from peertrain.run_address import (
    DEFAULT_ADDRESS,
    Address,
    AddressError,
    parse_address,
    site_url_for,
)

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONFIG = "peertrain/gunicorn_conf.py"
# A web server that exits this soon after its first start could not start at all.
START_GRACE_S = 15.0
# Restart backoff: 1, 2, 4 … seconds for exits in quick succession, at most 30; a child
# that ran this long before exiting is restarted after the first step again.
BACKOFF_FIRST_S, BACKOFF_MAX_S, STABLE_AFTER_S = 1.0, 30.0, 60.0
STOP_TIMEOUT_S = 15.0  # then whatever is left is killed
TICK_S = 0.2


# --- The children --------------------------------------------------------------------------
@dataclass
class Service:
    name: str
    command: list[str]
    stop_signal: signal.Signals
    fatal_if_it_cannot_start: bool = False
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    starts: int = 0
    quick_exits: int = 0  # exits in a row that came soon after a start
    restart_at: float | None = None
    history: list[int] = field(default_factory=list)  # every pid it had, oldest first


def services(address: Address, *, dev: bool) -> list[Service]:
    python = sys.executable
    if dev:
        web = Service("web", [python, "manage.py", "runserver", str(address)], signal.SIGTERM)
    else:
        web = Service(
            "web",
            [python, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "--bind", str(address)],
            signal.SIGTERM,  # graceful: finish the requests in hand
        )
    web.fatal_if_it_cannot_start = True
    celery = [python, "-m", "celery", "-A", "peertrain"]
    return [
        web,
        Service(
            "worker",
            [*celery, "worker", "--loglevel=INFO", "--concurrency=2", "--hostname=worker@%h"],
            signal.SIGTERM,  # warm shutdown: finish the task in hand
        ),
        Service("beat", [*celery, "beat", "--loglevel=INFO"], signal.SIGTERM),
    ]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the launcher dies, so a killed launcher
    leaves no server behind (Linux only; elsewhere this is skipped)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Launcher:
    def __init__(self, children: list[Service], env: dict[str, str]):
        self.children, self.env = children, env
        self.stop_requested = 0  # how many stop signals arrived
        self.exit_code = 0

    def say(self, message: str) -> None:
        print(f"[run] {message}", file=sys.stderr, flush=True)

    def _on_signal(self, signum, _frame) -> None:
        self.stop_requested += 1
        if self.stop_requested > 1:
            self.say("stopping at once")
            for child in self.children:
                self._kill_group(child)

    def start(self, child: Service) -> None:
        child.process = subprocess.Popen(  # noqa: S603 (our own commands)
            child.command,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        child.started_at, child.restart_at = time.monotonic(), None
        child.starts += 1
        child.history.append(child.process.pid)
        self.say(f"{child.name} started (pid {child.process.pid})")

    def _kill_group(self, child: Service) -> None:
        """SIGKILL what is left of the child's process group (it is the group's leader)."""
        if child.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)

    def _exited(self, child: Service, code: int, now: float) -> None:
        ran = now - child.started_at
        self._kill_group(child)  # a killed worker's pool processes, say
        child.process = None
        if child.fatal_if_it_cannot_start and child.starts == 1 and ran < START_GRACE_S:
            self.say(f"{child.name} could not start (exit code {code}); stopping")
            self.exit_code = code or 1
            self.stop_requested = max(self.stop_requested, 1)
            return
        child.quick_exits = 0 if ran >= STABLE_AFTER_S else child.quick_exits + 1
        delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** max(0, child.quick_exits - 1))
        child.restart_at = now + delay
        self.say(f"{child.name} exited (code {code}) after {ran:.0f} s; again in {delay:.0f} s")

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        for child in self.children:
            self.start(child)
        while not self.stop_requested:
            now = time.monotonic()
            for child in self.children:
                if child.process is not None:
                    code = child.process.poll()
                    if code is not None:
                        self._exited(child, code, now)
                elif child.restart_at is not None and now >= child.restart_at:
                    self.start(child)
            if not self.stop_requested:
                time.sleep(TICK_S)
        self.stop()
        return self.exit_code

    def stop(self) -> None:
        self.say("stopping web, worker and beat…")
        running = [(child, child.process) for child in self.children if child.process is not None]
        for child, process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(child.stop_signal)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for child, process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop within {STOP_TIMEOUT_S:.0f} s; killing it")
            self._kill_group(child)
            process.wait()
        self.say("stopped")


def collect_static(env: dict[str, str]) -> int:
    """Static files for whitenoise: with DEBUG on it also serves them from the sources, but
    with DEBUG off pages need the collected files and their manifest (about 1.5 s)."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peertrain.launcher", description=__doc__)
    parser.add_argument("--dev", action="store_true", help="runserver with auto-reload")
    args = parser.parse_args(argv)
    try:
        address = parse_address(os.environ.get("RUN_ADDRESS") or DEFAULT_ADDRESS)
    except AddressError as error:
        print(error, file=sys.stderr)
        return 2
    env = dict(os.environ)
    try:
        if not args.dev and (code := collect_static(env)):
            return code
    except KeyboardInterrupt:  # Ctrl-C before anything was started
        return 130
    launcher = Launcher(services(address, dev=args.dev), env)
    print(
        f"PeerTrain on http://{address} — sign in as employee@example.com / peertrain-demo "
        f"(links in emails: {env.get('SITE_URL') or site_url_for(address)}). Ctrl-C stops it.",
        flush=True,
    )
    return launcher.run()


if __name__ == "__main__":
    sys.exit(main())
