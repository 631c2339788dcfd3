"""Check-in codes can't be brute-forced: wrong codes are limited per person and session
(CHECK_IN_RATE_LIMIT, 10 per 5 minutes), with a clear message, a 429 and a log line."""

import logging
import re

import pytest

from sessions.errors import CheckInThrottled
from sessions.models import Attendance
from sessions.services.attendance import attendance_self_check_in, check_in_code

from ..conftest import unused_tcp_port
from ..factories import UserFactory
from .test_attendance_views import check_in_url, current_codes, seat, started_session

pytestmark = pytest.mark.django_db


def wrong_code(session) -> str:
    """A well-formed code that isn't accepted right now."""
    right = current_codes(session)
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


@pytest.fixture
def session(trainer, employee):
    session = started_session(trainer, title="Pairing on SQL")
    seat(session, employee)
    return session


def guess(client, session, times, code=None):
    code = code or wrong_code(session)
    return [client.post(check_in_url(session), {"code": code}).status_code for _ in range(times)]


def test_a_brute_force_gets_ten_tries_then_429s(client, employee, session):
    """3,000 wrong codes at 93 a second were never throttled."""
    client.force_login(employee)

    answers = guess(client, session, 60)

    assert answers == [400] * 10 + [429] * 50
    assert not Attendance.objects.exists()


def test_the_refusal_says_what_to_do_and_when_to_retry(client, employee, session):
    client.force_login(employee)
    guess(client, session, 10)

    response = client.post(check_in_url(session), {"code": wrong_code(session)})

    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    page = response.content.decode()
    assert "Too many wrong codes. Wait 5 minutes before trying again" in page
    assert "ask the trainer to mark you present" in page


def test_while_throttled_even_the_right_code_is_refused(client, employee, session):
    """Otherwise the limit would still tell a guesser when they hit the code."""
    client.force_login(employee)
    guess(client, session, 10)

    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert response.status_code == 429
    assert not Attendance.objects.exists()


def test_codes_in_the_link_count_too(client, employee, session):
    client.force_login(employee)
    code = wrong_code(session)

    answers = [client.get(f"{check_in_url(session)}?code={code}").status_code for _ in range(11)]
    post = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert answers == [400] * 10 + [429]
    assert post.status_code == 429


def test_the_limit_is_per_person_and_per_session(client, trainer, employee, session):
    colleague = UserFactory()
    other_session = started_session(trainer, title="Another session")
    seat(other_session, employee)
    client.force_login(employee)
    guess(client, session, 10)

    assert (
        client.post(check_in_url(other_session), {"code": check_in_code(other_session)}).status_code
        == 302
    )
    client.force_login(colleague)
    assert client.post(check_in_url(session), {"code": check_in_code(session)}).status_code == 302


def test_right_codes_use_up_nothing(client, employee, session):
    client.force_login(employee)
    for _ in range(15):  # opening the scanned link again and again
        assert (
            client.get(f"{check_in_url(session)}?code={check_in_code(session)}").status_code == 200
        )
    guess(client, session, 9)

    assert client.post(check_in_url(session), {"code": check_in_code(session)}).status_code == 302


def test_a_ticket_got_with_the_right_code_still_checks_in(client, employee, session):
    """A ticket is proof the code was right before any guessing; it can't be guessed itself."""
    client.force_login(employee)
    page = client.get(f"{check_in_url(session)}?code={check_in_code(session)}")
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    guess(client, session, 11)

    response = client.post(check_in_url(session), {"code": "", "ticket": ticket})

    assert response.status_code == 302
    assert Attendance.objects.filter(user=employee).exists()


def test_throttling_is_logged_with_the_person_and_session(client, employee, session, caplog):
    client.force_login(employee)
    guess(client, session, 10)

    with caplog.at_level(logging.WARNING, logger="sessions.services.attendance"):
        guess(client, session, 1)

    assert (
        f"Check-in to session {session.pk} refused for user {employee.pk}: too many wrong codes"
        in caplog.text
    )


def test_the_service_refuses_with_its_own_error(employee, session):
    for _ in range(10):
        with pytest.raises(Exception, match="expired or is wrong"):
            attendance_self_check_in(session=session, user=employee, code=wrong_code(session))

    with pytest.raises(CheckInThrottled) as refused:
        attendance_self_check_in(session=session, user=employee, code=check_in_code(session))

    assert refused.value.retry_after == 300


def test_the_limit_is_a_setting(client, employee, session, settings):
    settings.CHECK_IN_RATE_LIMIT = "3/m"
    client.force_login(employee)

    answers = guess(client, session, 4)
    response = client.post(check_in_url(session), {"code": wrong_code(session)})

    assert answers == [400, 400, 400, 429]
    assert response["Retry-After"] == "60"


def test_with_redis_down_guessing_is_still_throttled(client, employee, session, cache_on):
    cache_on(f"redis://127.0.0.1:{unused_tcp_port()}/0")  # nothing listens there
    client.force_login(employee)

    answers = guess(client, session, 12)

    assert answers == [400] * 10 + [429] * 2


def test_a_throttle_holds_when_redis_stops_in_the_middle(
    client, employee, session, own_redis, cache_on
):
    cache_on(own_redis.url)
    client.force_login(employee)
    before = guess(client, session, 4)  # counted in Redis
    own_redis.stop()

    during = guess(client, session, 12)  # counted by this process

    assert before == [400] * 4
    assert during == [400] * 10 + [429] * 2
