"""The launcher's rules, without starting anything: the address and what follows from it
(SITE_URL and ALLOWED_HOSTS, in the settings), the restart backoff, and how a bad value is
refused."""

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from peertrain import launcher
from peertrain.run_address import (
    Address,
    AddressError,
    allowed_hosts_for,
    parse_address,
    site_url_for,
)

from ..conftest import ROOT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("127.0.0.1:8001", Address("127.0.0.1", 8001)),
        ("8002", Address("127.0.0.1", 8002)),
        ("0.0.0.0:80", Address("0.0.0.0", 80)),  # noqa: S104
        ("[::1]:8003", Address("[::1]", 8003)),
        (" localhost:9000 ", Address("localhost", 9000)),
    ],
)
def test_run_address_forms(raw, expected):
    assert parse_address(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "127.0.0.1", "127.0.0.1:", ":8000", "host:0",
                                 "host:70000", "host:80a", "a b:80"])  # fmt: skip
def test_bad_run_address_is_refused_by_name(raw):
    with pytest.raises(AddressError, match="RUN_ADDRESS must be host:port"):
        parse_address(raw)


def settings_with(**env_vars) -> subprocess.CompletedProcess:
    """The settings' SITE_URL and ALLOWED_HOSTS, read in a fresh interpreter."""
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SITE_URL, settings.ALLOWED_HOSTS]))"
    )
    cleared = {"RUN_ADDRESS", "SITE_URL", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    env = {name: value for name, value in os.environ.items() if name not in cleared}
    env |= {"DJANGO_SETTINGS_MODULE": "peertrain.settings.local", **env_vars}
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def site_and_hosts(**env_vars) -> list:
    result = settings_with(**env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_site_url_and_allowed_hosts_default_to_port_8000_on_this_machine():
    assert site_and_hosts() == ["http://127.0.0.1:8000", ["127.0.0.1", "localhost"]]


def test_site_url_and_allowed_hosts_follow_run_address():
    """In every process `make run` starts, the seeding step and the worker too: emails
    linked to port 8000 when it served on 8001."""
    assert site_and_hosts(RUN_ADDRESS="127.0.0.1:8001") == [
        "http://127.0.0.1:8001",
        ["127.0.0.1", "localhost"],
    ]
    assert site_and_hosts(RUN_ADDRESS="peertrain.office.example:8080") == [
        "http://peertrain.office.example:8080",
        ["127.0.0.1", "localhost", "peertrain.office.example"],
    ]


def test_every_interface_links_to_this_machine_by_name():
    name = socket.getfqdn()
    assert site_url_for(Address("0.0.0.0", 8000)) == f"http://{name}:8000"  # noqa: S104
    assert allowed_hosts_for(Address("0.0.0.0", 8000))[-1] == name  # noqa: S104
    assert allowed_hosts_for(Address("[::1]", 8000)) == ["127.0.0.1", "localhost", "[::1]"]


def test_site_url_and_allowed_hosts_that_are_set_win_over_run_address():
    assert site_and_hosts(
        RUN_ADDRESS="127.0.0.1:8001",
        SITE_URL="https://learn.example.com",
        ALLOWED_HOSTS="learn.example.com",
    ) == ["https://learn.example.com", ["learn.example.com"]]


def test_bad_run_address_stops_the_settings_by_name():
    result = settings_with(RUN_ADDRESS="localhost")
    assert result.returncode != 0
    assert "RUN_ADDRESS must be host:port" in result.stderr


def test_make_run_serves_with_gunicorn_and_make_dev_with_runserver():
    run = {s.name: s for s in launcher.services(Address("127.0.0.1", 8001), dev=False)}
    dev = {s.name: s for s in launcher.services(Address("127.0.0.1", 8001), dev=True)}
    assert set(run) == set(dev) == {"web", "worker", "beat"}
    assert run["web"].command[1:] == [
        "-m", "gunicorn", "--config", "peertrain/gunicorn_conf.py", "--bind", "127.0.0.1:8001",
    ]  # fmt: skip
    assert "--reload" not in run["web"].command  # a reinstall must not restart `make run`
    assert dev["web"].command[1:] == ["manage.py", "runserver", "127.0.0.1:8001"]
    assert all(s.stop_signal == signal.SIGTERM for s in run.values())


class FakeProcess:
    pid = 999_999_999


def exit_after(child, *, ran: float, code: int = 1) -> float:
    """Let ``child`` exit after ``ran`` seconds; the delay before its restart."""
    runner = launcher.Launcher([child], {})
    runner._kill_group = lambda _child: None
    child.process, child.started_at = FakeProcess(), 1000.0
    runner._exited(child, code, 1000.0 + ran)
    assert runner.stop_requested == 0
    return child.restart_at - (1000.0 + ran)


def test_restart_backoff_doubles_for_quick_exits_and_resets_after_a_stable_run():
    worker = launcher.Service("worker", ["celery"], signal.SIGTERM)
    delays = [exit_after(worker, ran=2) for _ in range(7)]
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert exit_after(worker, ran=launcher.STABLE_AFTER_S) == 1


def test_web_that_cannot_start_stops_everything():
    web = launcher.Service("web", ["gunicorn"], signal.SIGTERM, fatal_if_it_cannot_start=True)
    runner = launcher.Launcher([web], {})
    runner._kill_group = lambda _child: None
    web.process, web.started_at, web.starts = FakeProcess(), 1000.0, 1
    runner._exited(web, 3, 1002.0)
    assert (runner.stop_requested, runner.exit_code, web.restart_at) == (1, 3, None)


def test_web_that_dies_later_is_started_again():
    web = launcher.Service("web", ["gunicorn"], signal.SIGTERM, fatal_if_it_cannot_start=True)
    web.starts = 1
    assert exit_after(web, ran=launcher.START_GRACE_S + 1, code=-9) == 1


def test_bad_run_address_stops_the_launcher_before_anything_starts():
    result = subprocess.run(
        [sys.executable, "-m", "peertrain.launcher"],
        cwd=ROOT,
        env={"RUN_ADDRESS": "localhost", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "RUN_ADDRESS must be host:port" in result.stderr
    assert "started" not in result.stderr
