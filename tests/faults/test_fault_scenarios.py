"""Fault scenarios under booking load, through a real gunicorn, a real Celery worker, our own
redis-server and a local SMTP sink that counts what really went out:

- Redis stopped (60 s full, 5 s small), then back: the backlog it leaves (topped up to 5,000
  rows in the full size) must drain;
- Redis hung with SIGSTOP (30 s / 12 s): no request may wait on it much over 0.5 s, and
  the worker works again once it answers (its acknowledgements timed out meanwhile);
- every connection to the test database terminated every 2 s for 30 s (1 s for 6 s);
- the worker (and its pool processes) killed with ``kill -9`` mid-burst, and started again.

Each prints failed requests (no answer, or 5xx other than 503 "try again"), the slowest
request, notifications recorded / sent / duplicated / lost / outcome unknown, and the drain
time (from the fault's end until every recorded notification arrived), and asserts that
nothing was lost or duplicated. Timings are printed, never asserted. ``BENCH_SIZE=full``
(``make bench``) runs the full durations; the small size is part of ``make test``.
"""

import os
import time
from dataclasses import dataclass

import pytest

from ..load.booking_bench import committed, forget_bench_rows
from .harness import ConnectionCutter, report, top_up_backlog, wait_for_drain, world

BENCH_SIZE = os.environ.get("BENCH_SIZE", "small")


@dataclass(frozen=True)
class FaultSize:
    people: int  # signed-in people, each books once
    clients: int  # concurrent booking clients
    before: float  # seconds of load before the fault
    redis_down: float
    redis_hung: float  # longer than two of the worker's 5 s socket timeouts: see below
    worker_back_within: float  # after the hang: the first message the worker sends
    hung_drain_within: float  # after the hang: every notification sent
    cut_every: float
    cut_for: float
    after: float  # seconds of load after the fault
    backlog: int  # rows waiting when Redis comes back (topped up if the load left fewer)
    relay_every: float  # seconds between relay runs (beat: 15)
    drain_timeout: float


SIZES = {
    "small": FaultSize(
        people=300, clients=6, before=2, redis_down=5, redis_hung=12, worker_back_within=15,
        hung_drain_within=60, cut_every=1, cut_for=6, after=2, backlog=0, relay_every=2,
        drain_timeout=120,
    ),
    "full": FaultSize(
        people=4_000, clients=20, before=10, redis_down=60, redis_hung=30, worker_back_within=45,
        hung_drain_within=300, cut_every=2, cut_for=30, after=10, backlog=5_000, relay_every=15,
        drain_timeout=900,
    ),
}  # fmt: skip
SIZE = SIZES[BENCH_SIZE]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.timeout(3600 if BENCH_SIZE == "full" else 600),
]


@pytest.fixture(autouse=True)
def clean_rows():
    committed(forget_bench_rows)
    yield
    committed(forget_bench_rows)


def assert_nothing_lost_or_doubled(counted, w):
    assert counted.recorded > 0
    assert counted.duplicated == 0
    assert counted.lost == 0, f"{counted.lost} notification(s) never arrived"


def test_redis_stopped_under_load_loses_nothing_and_the_backlog_drains():
    with world(people=SIZE.people, relay_every=SIZE.relay_every) as w:
        load = w.load(SIZE.clients).start()
        time.sleep(SIZE.before)
        w.redis.stop()
        down_at = load.now()
        time.sleep(SIZE.redis_down)
        added = committed(top_up_backlog, w.people, SIZE.backlog) if SIZE.backlog else 0
        backlog = committed(lambda: _unsent().count())
        w.redis.start()
        back = time.perf_counter()
        back_at = load.now()
        time.sleep(SIZE.after)
        load.stop()
        drain_s, counted = wait_for_drain(w, since=back, timeout=SIZE.drain_timeout)
        during = load.between(down_at, back_at)
        report(
            "redis_stopped",
            load,
            counted,
            drain_s,
            outage_s=SIZE.redis_down,
            backlog_at_return=backlog,
            topped_up=added,
            slowest_during_ms=round(max((a.ms for a in during), default=0)),
            worker_deaths=w.worker_deaths,
        )
        assert_nothing_lost_or_doubled(counted, w)
        assert w.worker_deaths == 0  # kombu's AttributeError on a released connection


def test_redis_hung_under_load_stalls_no_request_and_the_worker_drains_it_after():
    """While Redis hangs, each of the worker's acknowledgements waits out its 5 s socket
    timeout and fails; the hang outlasts two of them, so both prefork processes' finished
    tasks can be left unacknowledged. kombu kept each such message's prefetch slot, and
    with every slot held the worker never fetched again (peertrain/celery.py). Only the
    worker sends (beat's relay runs in it too), so the first message after the hang proves
    it consumes again, and the drain bound that it goes on."""
    with world(people=SIZE.people, relay_every=SIZE.relay_every) as w:
        load = w.load(SIZE.clients).start()
        # Mid-burst, so the worker has tasks in flight when Redis stops answering (a fixed
        # wait could hang Redis before a slow-starting worker had connected at all).
        sent_before = _wait_until_sent(SIZE.people // 20)
        w.redis.hang()
        hung_at = load.now()
        time.sleep(SIZE.redis_hung)
        w.redis.resume()
        back = time.perf_counter()
        back_at = load.now()
        time.sleep(SIZE.after)
        load.stop()
        drain_s, counted = wait_for_drain(w, since=back, timeout=SIZE.drain_timeout)
        worker_back_s = w.sink.first_arrival_after(back)
        during = load.between(hung_at, back_at)
        pages = [a.ms for a in during if a.kind == "page"]
        bookings = [a.ms for a in during if a.kind == "book"]
        report(
            "redis_hung",
            load,
            counted,
            drain_s,
            hung_s=SIZE.redis_hung,
            sent_before_hang=sent_before,
            worker_back_s=None if worker_back_s is None else round(worker_back_s, 1),
            slowest_page_during_ms=round(max(pages, default=0)),
            slowest_booking_during_ms=round(max(bookings, default=0)),
            worker_deaths=w.worker_deaths,
        )
        assert worker_back_s is not None, "the worker sent nothing after the hang"
        assert worker_back_s <= SIZE.worker_back_within
        assert_nothing_lost_or_doubled(counted, w)
        assert drain_s <= SIZE.hung_drain_within


def test_database_connections_cut_every_few_seconds_lose_and_double_nothing():
    with world(people=SIZE.people, relay_every=SIZE.relay_every) as w:
        load = w.load(SIZE.clients).start()
        time.sleep(SIZE.before)
        with ConnectionCutter(SIZE.cut_every) as cutter:
            time.sleep(SIZE.cut_for)
        back = time.perf_counter()
        time.sleep(SIZE.after)
        load.stop()
        drain_s, counted = wait_for_drain(w, since=back, timeout=SIZE.drain_timeout)
        status_500 = sum(1 for a in load.answers if a.status == 500)
        report(
            "db_cuts",
            load,
            counted,
            drain_s,
            connections_cut=cutter.cuts,
            status_500=status_500,
            worker_deaths=w.worker_deaths,
        )
        assert_nothing_lost_or_doubled(counted, w)
        assert status_500 == 0


def test_worker_killed_mid_burst_loses_and_doubles_nothing():
    with world(people=SIZE.people, relay_every=SIZE.relay_every) as w:
        load = w.load(SIZE.clients).start()
        sent_before = _wait_until_sent(SIZE.people // 20)
        w.worker.kill()
        time.sleep(1)
        w.worker.start()  # as a supervisor (docker-compose's restart policy) would
        back = time.perf_counter()
        time.sleep(SIZE.after)  # the burst goes on
        load.stop()
        drain_s, counted = wait_for_drain(w, since=back, timeout=SIZE.drain_timeout)
        report(
            "worker_kill9",
            load,
            counted,
            drain_s,
            sent_before_kill=sent_before,
            worker_starts=w.worker.starts,
        )
        assert_nothing_lost_or_doubled(counted, w)


def _wait_until_sent(count: int) -> int:
    """Wait (up to a minute) until the worker has sent ``count`` of the burst's notices;
    returns how many it had."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and committed(_sent_count) < count:
        time.sleep(0.1)
    return committed(_sent_count)


def _unsent():
    from peertrain.notifications.models import Notification

    from ..load.booking_bench import EMAIL_PREFIX

    return Notification.objects.filter(recipient__email__startswith=EMAIL_PREFIX, sent_at=None)


def _sent_count() -> int:
    from peertrain.notifications.models import Notification

    from ..load.booking_bench import EMAIL_PREFIX

    return Notification.objects.filter(
        recipient__email__startswith=EMAIL_PREFIX, sent_at__isnull=False
    ).count()
