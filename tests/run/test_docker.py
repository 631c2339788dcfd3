"""The Docker image's web command and docker-compose's services, checked without Docker:
the image's command is run here as it is written in the Dockerfile (only the address
changed), and docker-compose.yml is read for its restart policies."""

import json
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ..conftest import ROOT, unused_tcp_port
from ..load.booking_bench import RUN_CLEARED, Server, _wait_until_serving, request

IDLE_CONNECTIONS = 6  # the report: three idle connections froze three sync workers
PROMPT_S = 3.0  # /healthz answers well within this when nothing blocks it


def image_command() -> list[str]:
    """The Dockerfile's CMD (exec form, possibly continued over several lines)."""
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^CMD (\[.*?\])\s*$", text.replace("\\\n", " "), re.MULTILINE)
    assert match, "the Dockerfile has no exec-form CMD"
    return json.loads(match.group(1))


def image_environment(var_dir: Path) -> dict[str, str]:
    import os

    env = {name: value for name, value in os.environ.items() if name not in RUN_CLEARED}
    return env | {
        "DJANGO_SETTINGS_MODULE": "peertrain.settings.production",  # the image's ENV
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PEERTRAIN_VAR_DIR": str(var_dir),
    }


def idle_connections(port: int, count: int) -> list[socket.socket]:
    """Clients that connect and send nothing (or half a request line), as a slow phone
    or a port scanner does."""
    sockets = []
    for i in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:
            sock.sendall(b"GET /healthz HT")
        sockets.append(sock)
    return sockets


def assert_healthz_stays_prompt(server: Server, *, seconds: float) -> list[float]:
    """/healthz answered again and again for ``seconds``, each time within PROMPT_S."""
    timings = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with socket.create_connection((server.host, server.port), timeout=PROMPT_S) as sock:
            sock.settimeout(PROMPT_S)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            try:
                answer = sock.recv(64)
            except TimeoutError:
                pytest.fail(f"/healthz did not answer within {PROMPT_S} s beside idle clients")
        timings.append(time.perf_counter() - started)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        time.sleep(0.5)
    return timings


def test_image_command_uses_the_threaded_gunicorn_settings():
    command = image_command()
    assert command[0] == "gunicorn"
    assert command[command.index("--config") + 1] == "peertrain/gunicorn_conf.py"
    assert "--worker-class" not in command  # the settings file says gthread


@pytest.mark.timeout(120)
def test_idle_connections_do_not_stall_the_image_web_server():
    """The image's own command: a few clients that open a connection and send nothing must
    not stop /healthz (one sync worker was frozen by one such client)."""
    command = image_command()
    port = unused_tcp_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command = [sys.executable, "-m", *command]
    with tempfile.TemporaryDirectory() as var_dir, tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=image_environment(Path(var_dir)), stdout=log, stderr=log
        )
        server = Server("127.0.0.1", port, 0, process.pid)
        try:
            _wait_until_serving(server, process, log, path="/healthz", timeout=60)
            clients = idle_connections(port, IDLE_CONNECTIONS)
            try:
                # Past gunicorn's 5 s wait for a first byte, so idle threads are handed back.
                timings = assert_healthz_stays_prompt(server, seconds=8)
            finally:
                for sock in clients:
                    sock.close()
            print(f"/healthz beside {IDLE_CONNECTIONS} idle clients: max {max(timings):.2f} s")
            assert request(server, "GET", "/healthz", {})[0] == 200
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- docker-compose.yml ------------------------------------------------------------------
def compose_services() -> dict[str, dict[str, str]]:
    """Each service's top-level keys (value as written, or "" for a block), with the keys
    it merges from an anchor (``<<: *app``) underneath its own. A reader for this file's
    plain layout (two-space indents), since PyYAML is not a dependency."""
    anchors: dict[str, dict[str, str]] = {}
    services: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    in_services = False
    for line in (ROOT / "docker-compose.yml").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if indent == 0:
            in_services = key == "services"
            current = None
            if value.startswith("&"):
                current = anchors.setdefault(value[1:], {})
        elif indent == 2 and in_services:
            current = services.setdefault(key, {})
        elif indent == 2 and current is not None and not in_services:
            current[key] = value
        elif indent == 4 and in_services and current is not None:
            if key == "<<":
                for name, merged in anchors[value.lstrip("*")].items():
                    current.setdefault(f"merged:{name}", merged)
            else:
                current[key] = value
    return services


def restart_policy(service: dict[str, str]) -> str:
    return service.get("restart", service.get("merged:restart", "")).strip("\"'")


def test_every_long_running_compose_service_restarts_by_itself():
    services = compose_services()
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    for name, service in services.items():
        if name == "migrate":  # one-shot: runs the migrations and exits
            assert restart_policy(service) == "no"
        else:
            assert restart_policy(service) in {"unless-stopped", "always"}, name


def test_compose_web_passes_workers_and_threads_to_the_image():
    web = (ROOT / "docker-compose.yml").read_text().split("\n  web:\n")[1].split("\n  worker:")[0]
    assert "WEB_CONCURRENCY:" in web
    assert "WEB_THREADS:" in web
