"""Many people booking the last seats at once, through a live server on real PostgreSQL.

Each request runs in its own server thread with its own database connection, so the
session row lock is what keeps the seats honest. Booking takes it with the claim, a
conditional ``UPDATE`` (``_SEAT_CLAIM`` in ``sessions.services.booking``); dropping its
``confirmed_count < capacity`` makes this test fail (500s from the oversell check
constraint), as removing ``select_for_update`` did before the claim replaced it.
"""

import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from sessions.models import Booking, TrainingSession

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 50
CAPACITY = 5
BUSY_RETRIES = 5


def signed_in_http_session(user) -> requests.Session:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key)
    http.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
    http.headers["X-CSRFToken"] = csrf
    return http


def fire_at_once(calls):
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def assert_waitlist_is_contiguous(session):
    positions = sorted(
        Booking.objects.filter(session=session, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, len(positions) + 1))


def post_as_a_person_would(client: requests.Session, url: str) -> list[int]:
    """Post, and when told "busy, try again" (503 with Retry-After: the session row's lock
    wasn't had within DB_LOCK_TIMEOUT_MS, as on a loaded machine) wait and click again, as the
    page asks people to. Returns every status answered, in order."""
    answers = []
    for _attempt in range(BUSY_RETRIES):
        response = client.post(url, allow_redirects=False, timeout=30)
        answers.append(response.status_code)
        if response.status_code != 503:
            break
        assert response.headers["Retry-After"].isdigit()
        time.sleep(int(response.headers["Retry-After"]))
    return answers


def test_fifty_concurrent_clients_never_oversell(live_server):
    session = TrainingSessionFactory(capacity=CAPACITY)
    people = UserFactory.create_batch(CLIENTS)
    clients = [signed_in_http_session(person) for person in people]
    url = f"{live_server.url}/sessions/{session.pk}/book/"
    # Every fifth person double-clicks: two requests at the same moment.
    double_clickers = set(range(0, CLIENTS, 5))
    calls = [lambda i=i, c=c: (i, post_as_a_person_would(c, url)) for i, c in enumerate(clients)]
    calls += [lambda i=i: (i, post_as_a_person_would(clients[i], url)) for i in double_clickers]

    answered = fire_at_once(calls)

    # Nothing but a booking (302), "already booked" (409, a double click's other request)
    # or "busy, try again" (503, then clicked again) — and each person ends booked once: one
    # 302, plus one 409 for a double click.
    finals: dict[int, list[int]] = {}
    for person, answers in answered:
        assert set(answers) <= {302, 409, 503}, answers
        finals.setdefault(person, []).append(answers[-1])
    for person, last in finals.items():
        assert sorted(last) == ([302, 409] if person in double_clickers else [302]), last
    active = Booking.objects.filter(session=session).exclude(status="cancelled")
    statuses = Counter(active.values_list("status", flat=True))
    assert statuses == {"confirmed": CAPACITY, "waitlisted": CLIENTS - CAPACITY}
    assert max(Counter(active.values_list("user_id", flat=True)).values()) == 1
    assert_waitlist_is_contiguous(session)
    session.refresh_from_db()
    assert (session.confirmed_count, session.waitlist_count) == (CAPACITY, CLIENTS - CAPACITY)


def test_concurrent_cancellations_each_promote_exactly_one(live_server):
    session = TrainingSessionFactory(capacity=CAPACITY)
    people = UserFactory.create_batch(CAPACITY + 10)
    clients = [signed_in_http_session(person) for person in people]
    for client in clients:  # one at a time: the first five get seats
        client.post(f"{live_server.url}/sessions/{session.pk}/book/", allow_redirects=False)
    cancel = f"{live_server.url}/sessions/{session.pk}/cancel/"

    fire_at_once([lambda c=c: c.post(cancel, allow_redirects=False) for c in clients[:CAPACITY]])

    confirmed = set(
        Booking.objects.filter(session=session, status="confirmed").values_list(
            "user_id", flat=True
        )
    )
    assert confirmed == {person.pk for person in people[CAPACITY : 2 * CAPACITY]}
    assert_waitlist_is_contiguous(session)
    session = TrainingSession.objects.get(pk=session.pk)
    assert (session.confirmed_count, session.waitlist_count) == (CAPACITY, 5)


def test_a_booking_stuck_behind_a_held_lock_answers_try_again_quickly(client, employee):
    """Overload: the session row stays locked by someone else; PostgreSQL's lock_timeout
    ends the wait and the page says "try again" with 503, instead of hanging."""
    from django.db import connection, connections

    session = TrainingSessionFactory(capacity=5)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT id FROM training_trainingsession WHERE id = %s FOR UPDATE", [session.pk]
            )
            locked.set()
            release.wait(timeout=30)
            cursor.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")  # the deployed default is 1 s
    client.force_login(employee)
    try:
        response = client.post(f"/sessions/{session.pk}/book/")
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Please try again" in response.content.decode()
    assert not Booking.objects.filter(user=employee).exists()
