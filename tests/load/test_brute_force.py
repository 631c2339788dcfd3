"""Guessing at full speed, as the issue's probe did: wrong passwords against one account
(which then tried the right one) and wrong check-in codes, on the configured cache and with
Redis down (a closed port); and an office signing in together from one address. Through the
test client (middleware, forms and templates included, no HTTP server). Prints what got
through; asserts only the limits' outcomes, never a timing.

Small: 60 guesses, 40 colleagues. Full (``BENCH_SIZE=full``): 3,000 guesses, 200 colleagues.
"""

import time

import pytest
from django.test import Client

from sessions.services.attendance import check_in_code

from ..conftest import unused_tcp_port
from ..factories import TEST_PASSWORD, UserFactory
from ..training.test_attendance_views import current_codes, seat, started_session
from .conftest import BENCH_SIZE, report

pytestmark = pytest.mark.django_db
GUESSES = 3_000 if BENCH_SIZE == "full" else 60
COLLEAGUES = 200 if BENCH_SIZE == "full" else 40
OFFICE = "203.0.113.7"
# Two of a million codes are accepted at any moment (the current and the previous one).
VALID_SHARE = 2 / 1_000_000


def sign_in(client, email, password):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=OFFICE
    )


@pytest.mark.parametrize("cache", ["as_configured", "redis_down"])
def test_guessing_a_password(cache, employee, cache_on):
    if cache == "redis_down":
        cache_on(f"redis://127.0.0.1:{unused_tcp_port()}/0")
    owner = Client()
    assert sign_in(owner, employee.email, TEST_PASSWORD).status_code == 302
    owner.post("/accounts/logout/")
    attacker = Client()

    started = time.perf_counter()
    answers = [sign_in(attacker, employee.email, f"guess {n}").status_code for n in range(GUESSES)]
    seconds = time.perf_counter() - started
    right_from_attacker = sign_in(attacker, employee.email, TEST_PASSWORD).status_code
    right_from_owner = sign_in(owner, employee.email, TEST_PASSWORD).status_code

    checked = answers.count(200)
    report(
        f"guess_password_{cache}",
        guesses=GUESSES,
        per_second=GUESSES / seconds,
        passwords_checked=checked,
        refused_429=answers.count(429),
        right_password_attacker=right_from_attacker,
        right_password_owner_browser=right_from_owner,
    )
    assert checked == 5
    assert right_from_attacker == 429
    assert right_from_owner == 302


@pytest.mark.parametrize("cache", ["as_configured", "redis_down"])
def test_guessing_a_check_in_code(cache, trainer, employee, cache_on):
    if cache == "redis_down":
        cache_on(f"redis://127.0.0.1:{unused_tcp_port()}/0")
    session = started_session(trainer)
    seat(session, employee)
    client = Client()
    client.force_login(employee)
    url = f"/sessions/{session.pk}/check-in/"
    right = current_codes(session)
    guesses = (f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)

    started = time.perf_counter()
    answers = [client.post(url, {"code": next(guesses)}).status_code for _ in range(GUESSES)]
    seconds = time.perf_counter() - started
    right_code = client.post(url, {"code": check_in_code(session)}).status_code

    checked = answers.count(400)
    report(
        f"guess_check_in_{cache}",
        guesses=GUESSES,
        per_second=GUESSES / seconds,
        codes_checked=checked,
        refused_429=answers.count(429),
        chance_of_a_hit=f"{checked * VALID_SHARE:.0e}",
        right_code_after=right_code,
    )
    assert checked == 10
    assert right_code == 429


def test_an_office_signs_in_together_from_one_address(db):
    colleagues = UserFactory.create_batch(COLLEAGUES)
    client = Client()

    timings, refused = [], 0
    for person in colleagues:
        client.cookies.clear()
        started = time.perf_counter()
        response = sign_in(client, person.email, TEST_PASSWORD)
        timings.append((time.perf_counter() - started) * 1000)
        refused += response.status_code != 302
    timings.sort()

    report(
        "office_sign_in",
        colleagues=COLLEAGUES,
        refused=refused,
        p50_ms=timings[len(timings) // 2],
        max_ms=timings[-1],
    )
    assert refused == 0
