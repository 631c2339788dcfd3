"""A rush on `make run`: colleagues who are all signed in book one 20-seat session at the
same moment (a popular session announced in a team chat), some of them clicking twice.
Served by `make run`'s own launcher and settings (``peertrain.launcher``: gunicorn with
threaded workers, a Celery worker and beat), on the embedded default (SQLite and the
filesystem broker, in a temporary ``var/``) and on PostgreSQL + Redis.

Each colleague is a browser: a POST to ``/sessions/<id>/book/`` on a new connection, then
the redirect's page on the same one. Asserted: no connection error, no 5xx, every booking
POST answered with its redirect and every page with 200; exactly 20 confirmed and the rest
waitlisted 1..n without gaps, one booking per person; every booking email recorded, linking
to the address the server runs on, and delivered by the worker. Printed (``BENCH rush_*``):
latency p50/p95/max of the POSTs and of the whole click, the burst's length, and CPU.

Size: 60 colleagues (10 clicking twice) in `make test`; 200 (40 twice) in `make bench`.
"""

import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peertrain.celery import app as celery_app

from .booking_bench import (
    CLIENT_TIMEOUT,
    ROOT,
    CpuMeter,
    Launched,
    Run,
    make_run,
    percentile,
    run_environment,
)
from .conftest import BENCH_SIZE, report

SEATS = 20
SIZES = {"small": (60, 10), "full": (200, 40)}  # colleagues, of whom clicking twice
COLLEAGUES, DOUBLE = SIZES[BENCH_SIZE]
DELIVERY_TIMEOUT = 180  # seconds for the worker to send every booking email

pytestmark = pytest.mark.timeout(900 if BENCH_SIZE == "full" else 480)


def world(env: dict[str, str], *args) -> dict:
    """``rush_world`` in a process with the server's environment."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.load.rush_world", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


@dataclass
class Clicks:
    """What the crowd saw: per request, its latency and answer; exceptions by type."""

    post_ms: list[float] = field(default_factory=list)
    click_ms: list[float] = field(default_factory=list)
    posts: Counter = field(default_factory=Counter)
    pages: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def click(server, path: str, headers: dict[str, str], clicks: Clicks) -> None:
    """One browser's booking: POST, then GET the page it is redirected to, on the same
    (kept-alive) connection."""
    import http.client

    started = time.perf_counter()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("POST", path, headers=headers)
        response = conn.getresponse()
        response.read()
        posted = time.perf_counter()
        page = None
        if response.status == 302:
            get_headers = {"Cookie": headers["Cookie"]}
            conn.request("GET", response.getheader("Location"), headers=get_headers)
            answer = conn.getresponse()
            answer.read()
            page = answer.status
        done = time.perf_counter()
    except Exception as error:  # refused, reset, timed out: what the rush must never see
        with clicks.lock:
            clicks.errors[type(error).__name__] += 1
        return
    finally:
        conn.close()
    with clicks.lock:
        clicks.post_ms.append((posted - started) * 1000)
        clicks.click_ms.append((done - started) * 1000)
        clicks.posts[response.status] += 1
        if page is not None:
            clicks.pages[page] += 1


def rush(launched: Launched, session: int, people: list[dict]) -> tuple[Clicks, float]:
    """Everyone at once (the first DOUBLE people twice), in a shuffled order; the seconds
    from the start to the last answer."""
    path = f"/sessions/{session}/book/"
    crowd = people + people[:DOUBLE]
    random.Random(7).shuffle(crowd)  # noqa: S311 (an order, not a secret)
    clicks = Clicks()
    barrier = threading.Barrier(len(crowd) + 1)

    def browser(headers):
        barrier.wait()
        click(launched.server, path, headers, clicks)

    threads = [threading.Thread(target=browser, args=(headers,)) for headers in crowd]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return clicks, time.perf_counter() - started


def wait_for_delivery(env: dict[str, str], session: int) -> tuple[dict, float]:
    started = time.monotonic()
    while True:
        seen = world(env, "outcome", session)
        waited = time.monotonic() - started
        if seen["sent"] >= seen["emails"] or waited > DELIVERY_TIMEOUT:
            return seen, waited
        time.sleep(2)


@pytest.fixture(
    params=[
        "embedded",
        # django_db: so that the test database exists (the server uses it); the test
        # process itself writes nothing there.
        pytest.param(
            "services", marks=[pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]
        ),
    ]
)
def backend(request):
    if request.param == "services":
        celery_app.control.purge()  # messages an earlier, interrupted run left
    return request.param


def test_rush_of_colleagues_on_make_run(backend):
    with tempfile.TemporaryDirectory(prefix="peertrain-rush-var-") as folder:
        var_dir = Path(folder)
        env = run_environment(var_dir, services=backend == "services")
        if backend == "embedded":
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
                cwd=ROOT, env=env, check=True, timeout=300,
            )  # fmt: skip
        made = world(env, "make", COLLEAGUES, SEATS)
        try:
            with make_run(env) as launched:
                # A fresh `make run`, fully up: the worker is ready to send the emails.
                assert launched.wait_for_output("ready.", timeout=120)
                backends = [] if backend == "embedded" else None  # SQLite is in-process
                meter = CpuMeter(launched.server.pid, backends=backends)
                clicks, seconds = rush(launched, made["session"], made["people"])
                measured = Run(latencies_ms=clicks.post_ms or [0.0], seconds=seconds)
                meter.finish(measured)
                site = f"http://127.0.0.1:{launched.server.port}"
                seen, delivery_s = wait_for_delivery(env | {"SITE_URL": site}, made["session"])
        finally:
            if backend == "services":
                world(env, "forget")

    report(
        f"rush_{backend}",
        colleagues=COLLEAGUES,
        double=DOUBLE,
        errors=sum(clicks.errors.values()),
        post_p50_ms=percentile(clicks.post_ms, 0.5) if clicks.post_ms else 0.0,
        post_p95_ms=percentile(clicks.post_ms, 0.95) if clicks.post_ms else 0.0,
        post_max_ms=max(clicks.post_ms, default=0.0),
        click_p50_ms=percentile(clicks.click_ms, 0.5) if clicks.click_ms else 0.0,
        click_p95_ms=percentile(clicks.click_ms, 0.95) if clicks.click_ms else 0.0,
        click_max_ms=max(clicks.click_ms, default=0.0),
        burst_s=seconds,
        cpu_server_ms=measured.cpu_ms.get("server", 0.0),
        others_cpu_pct=measured.others_pct,
        emails_sent=f"{seen['sent']}/{seen['emails']}",
        delivery_s=delivery_s,
    )
    assert not clicks.errors, clicks.errors  # connection refused / reset / timed out
    # Booked or waitlisted (and on to the session page), or, a double click's second
    # POST, refused as "already booked" with the 409 page.
    assert clicks.posts == {302: COLLEAGUES, 409: DOUBLE}, clicks.posts
    assert clicks.pages == {200: COLLEAGUES}, clicks.pages
    assert (seen["confirmed"], seen["waitlisted"]) == (SEATS, COLLEAGUES - SEATS)
    assert seen["emails"] == COLLEAGUES  # one per person, double clicks or not
    assert seen["linked"] == COLLEAGUES, seen["link"]  # SITE_URL followed RUN_ADDRESS
    assert seen["sent"] == seen["emails"], f"worker sent {seen['sent']} of {seen['emails']}"
