"""Concurrent bookings through the service from many threads, each with its own database
connection: PostgreSQL's row lock or SQLite's IMMEDIATE write lock must keep the seats
honest on either database."""

import os
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from sessions.errors import BookingError
from sessions.models import Booking, TrainingSession
from sessions.services.booking import booking_cancel, booking_create

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = 24
CAPACITY = 4
ROOT = Path(__file__).resolve().parents[2]


def rerun_on_a_sqlite_file(test_name: str, tmp_path) -> bool:
    """An in-memory SQLite test database is one connection for every thread; run this test
    again in a child pytest whose test database is a file. Returns True if it did."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return False
    env = os.environ | {
        "PEERTRAIN_TEST_SQLITE_FILE": "1",
        "PEERTRAIN_TEST_SQLITE_FILE_PATH": str(tmp_path / "concurrency.sqlite3"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{Path(__file__).relative_to(ROOT)}::{test_name}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return True


def in_threads(calls):
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        try:
            return call()
        except BookingError as error:
            return error
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_threads_booking_at_once_never_oversell(tmp_path):
    if rerun_on_a_sqlite_file("test_threads_booking_at_once_never_oversell", tmp_path):
        return
    session = TrainingSessionFactory(capacity=CAPACITY)
    people = UserFactory.create_batch(PEOPLE)
    calls = [lambda p=p: booking_create(session=session, user=p) for p in people]
    calls += [lambda p=p: booking_create(session=session, user=p) for p in people[:6]]

    results = in_threads(calls)

    assert sum(isinstance(r, BookingError) for r in results) == 6  # the double clicks
    active = Booking.objects.filter(session=session).exclude(status="cancelled")
    assert Counter(active.values_list("status", flat=True)) == {
        "confirmed": CAPACITY,
        "waitlisted": PEOPLE - CAPACITY,
    }
    positions = sorted(
        active.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))
    session = TrainingSession.objects.get(pk=session.pk)
    assert (session.confirmed_count, session.waitlist_count) == (CAPACITY, PEOPLE - CAPACITY)


def test_threads_cancelling_at_once_promote_one_each(tmp_path):
    if rerun_on_a_sqlite_file("test_threads_cancelling_at_once_promote_one_each", tmp_path):
        return
    session = TrainingSessionFactory(capacity=CAPACITY)
    people = UserFactory.create_batch(CAPACITY + 6)
    bookings = [booking_create(session=session, user=person) for person in people]

    in_threads([lambda b=b: booking_cancel(booking=b, by=b.user) for b in bookings[:CAPACITY]])

    confirmed = set(
        Booking.objects.filter(session=session, status="confirmed").values_list(
            "user_id", flat=True
        )
    )
    assert confirmed == {p.pk for p in people[CAPACITY : 2 * CAPACITY]}
    positions = sorted(
        Booking.objects.filter(session=session, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == [1, 2]
