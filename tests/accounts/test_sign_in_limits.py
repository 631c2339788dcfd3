"""Sign-in limits that fit an office: many colleagues behind one address sign in freely,
guessing is still limited per account and per address, and a browser that signed in before
(device cookie) is never locked out by someone else's guessing."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client

from peertrain.accounts.sign_in_limits import DEVICE_COOKIE
from peertrain.notifications.models import Notification
from peertrain.notifications.services import notification_deliver

from ..conftest import unused_tcp_port
from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
OFFICE = "203.0.113.7"  # everyone in the office reaches the site from this address
ELSEWHERE = "198.51.100.23"
LOCKED_OUT = "Too many failed sign-ins"


def sign_in(client, email, password=TEST_PASSWORD, address=OFFICE, **headers):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def fail(client, email, times, address=OFFICE, **headers):
    for _ in range(times):
        response = sign_in(client, email, "not the password", address=address, **headers)
        assert not signed_in(response)


def returning_browser(person):
    """A browser that has signed in as ``person`` before (and signed out since)."""
    browser = Client()
    assert signed_in(sign_in(browser, person.email))
    browser.post("/accounts/logout/")
    assert DEVICE_COOKIE in browser.cookies
    return browser


# --- An office behind one address ----------------------------------------------------------
def test_forty_colleagues_sign_in_from_one_address_within_a_minute(client):
    """allauth's 30 sign-ins a minute per address refused the office's 31st colleague."""
    colleagues = UserFactory.create_batch(40)

    answers = []
    for person in colleagues:
        client.cookies.clear()
        answers.append(signed_in(sign_in(client, person.email)))

    assert all(answers), f"refused: {answers.count(False)}"


def test_a_colleagues_typos_do_not_lock_out_a_returning_browser_at_the_same_address(client):
    typist, colleague = UserFactory.create_batch(2)
    browser = returning_browser(colleague)
    others = UserFactory.create_batch(12)
    for person in others:  # someone at the office mistypes a dozen accounts: address locked
        fail(client, person.email, 1)

    assert sign_in(client, typist.email).status_code == 429  # a new browser waits
    assert signed_in(sign_in(browser, colleague.email))  # the colleague's own browser doesn't


def test_guessing_a_password_never_locks_the_owner_out_of_their_own_browser(client, employee):
    browser = returning_browser(employee)
    attacker = Client()
    fail(attacker, employee.email, 8, address=ELSEWHERE)

    assert sign_in(attacker, employee.email, address=ELSEWHERE).status_code == 429
    assert signed_in(sign_in(browser, employee.email, address=OFFICE))


# --- Guessing is still limited ---------------------------------------------------------------
def test_five_wrong_passwords_lock_the_account_for_new_browsers_even_with_the_right_one(
    client, employee
):
    fail(client, employee.email, 5)

    response = sign_in(client, employee.email)

    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    page = response.content.decode()
    assert f"{LOCKED_OUT} to this account. Wait 5 minutes" in page
    assert "reset your password" in page
    assert client.get("/").status_code == 302  # not signed in


def test_the_account_lock_holds_from_every_address(client, employee):
    """Spreading the guesses over many addresses doesn't help."""
    for number in range(5):
        fail(client, employee.email, 1, address=f"192.0.2.{number + 1}")

    assert sign_in(Client(), employee.email, address="192.0.2.99").status_code == 429


def test_ten_failures_from_one_address_lock_it_for_new_browsers(client):
    """One password tried on many accounts (spraying) is caught per address."""
    people = UserFactory.create_batch(11)
    for person in people[:10]:
        fail(client, person.email, 1)

    response = sign_in(client, people[10].email)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert f"{LOCKED_OUT} from your network. Wait 1 minute" in response.content.decode()
    # Another address is unaffected.
    assert signed_in(sign_in(client, people[10].email, address=ELSEWHERE))


def test_accounts_that_dont_exist_are_limited_the_same(client):
    """Otherwise the limit would tell who has an account."""
    fail(client, "nobody@example.com", 5)

    assert sign_in(client, "nobody@example.com").status_code == 429


def test_a_returning_browser_has_its_own_allowance_and_then_counts_as_new(employee):
    browser = returning_browser(employee)
    fail(browser, employee.email, 5)  # counted against this browser alone

    assert signed_in(sign_in(browser, employee.email))  # the account isn't locked by it
    browser.post("/accounts/logout/")
    fail(browser, employee.email, 5)  # the new cookie is fresh: five more of its own
    fail(browser, employee.email, 5)  # then it is a stranger and the account counts them

    assert sign_in(browser, employee.email).status_code == 429


def test_a_cookie_for_another_account_or_a_forged_one_exempts_nothing(
    client, employee, other_employee
):
    browser = returning_browser(other_employee)
    fail(browser, employee.email, 5)
    assert sign_in(browser, employee.email).status_code == 429

    client.cookies[DEVICE_COOKIE] = "forged:value"
    fail(client, other_employee.email, 5, address=ELSEWHERE)
    assert sign_in(client, other_employee.email, address=ELSEWHERE).status_code == 429


def test_right_passwords_use_up_nothing(client, employee):
    for _ in range(12):
        client.cookies.clear()
        assert signed_in(sign_in(client, employee.email))
        client.post("/accounts/logout/")
    fail(client, employee.email, 4)

    assert signed_in(sign_in(client, employee.email))


def test_a_password_reset_by_email_unlocks_the_account(
    client, employee, django_capture_on_commit_callbacks
):
    fail(client, employee.email, 5)
    assert sign_in(client, employee.email).status_code == 429

    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/password/reset/", {"email": employee.email}, REMOTE_ADDR=OFFICE)
    notification_deliver(notification_id=Notification.objects.get(recipient=employee).pk)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase"
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR=OFFICE,
    )

    assert signed_in(sign_in(client, employee.email, new_password))


def test_refusals_are_logged_with_account_and_address(client, employee, caplog):
    fail(client, employee.email, 5)
    with caplog.at_level(logging.WARNING, logger="peertrain.accounts.sign_in_limits"):
        sign_in(client, employee.email)

    assert f"Sign-in to {employee.email} from {OFFICE} refused" in caplog.text


def test_the_device_cookie_is_signed_http_only_and_kept_to_the_sign_in_pages(client, employee):
    sign_in(client, employee.email)

    cookie = client.cookies[DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["path"] == "/accounts/"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert employee.email not in cookie.value  # the accounts it knows aren't readable


# --- The client's address behind proxies -----------------------------------------------------
def test_a_made_up_x_forwarded_for_changes_nothing_without_trusted_proxies(client):
    people = UserFactory.create_batch(11)
    for number, person in enumerate(people[:10]):
        fail(client, person.email, 1, HTTP_X_FORWARDED_FOR=f"10.9.9.{number}")

    response = sign_in(client, people[10].email, HTTP_X_FORWARDED_FOR="10.9.9.200")

    assert response.status_code == 429


def test_behind_one_trusted_proxy_the_client_it_names_is_counted(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    people = UserFactory.create_batch(11)
    for person in people[:10]:  # one client behind the proxy, making up the first entry
        fail(client, person.email, 1, address=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.1, {OFFICE}")

    locked = sign_in(client, people[10].email, address=proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    other_client = sign_in(client, people[10].email, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert locked.status_code == 429
    assert signed_in(other_client)


def test_a_header_with_fewer_hops_than_trusted_proxies_falls_back_to_the_peer(
    client, settings, employee
):
    """allauth raised ImproperlyConfigured (a 500) for this; the peer is the safe answer."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    response = sign_in(client, employee.email, address=OFFICE, HTTP_X_FORWARDED_FOR="10.1.1.1")

    assert signed_in(response)


def test_a_trusted_client_ip_header_names_the_client(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    people = UserFactory.create_batch(11)
    for person in people[:10]:
        fail(client, person.email, 1, address="10.0.0.2", HTTP_X_REAL_IP=OFFICE)

    assert sign_in(client, people[10].email, HTTP_X_REAL_IP=OFFICE).status_code == 429
    assert signed_in(sign_in(client, people[10].email, HTTP_X_REAL_IP=ELSEWHERE))
    # Garbage in the header: the peer is counted instead (never a 500).
    assert signed_in(sign_in(client, people[10].email, address="10.0.0.3", HTTP_X_REAL_IP="x"))


# --- allauth's other limits, sized for an office -----------------------------------------------
def test_forty_colleagues_ask_for_a_password_reset_from_one_address(client):
    """Onboarding: L&D creates the accounts and everyone sets a password by email."""
    colleagues = UserFactory.create_batch(40)

    answers = [
        client.post(
            "/accounts/password/reset/", {"email": person.email}, REMOTE_ADDR=OFFICE
        ).status_code
        for person in colleagues
    ]

    assert answers == [302] * 40


def test_reset_mails_to_one_address_are_still_limited(client, employee):
    answers = [
        client.post(
            "/accounts/password/reset/", {"email": employee.email}, REMOTE_ADDR=OFFICE
        ).status_code
        for _ in range(6)
    ]

    assert answers == [302] * 5 + [429]


def test_forty_colleagues_sign_up_from_one_address(client, settings):
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["peertrain.test"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    form = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}

    answers = [
        client.post(
            "/accounts/signup/", form | {"email": f"new.hire{n}@peertrain.test"}, REMOTE_ADDR=OFFICE
        ).status_code
        for n in range(40)
    ]

    assert answers == [302] * 40


def test_a_flood_of_sign_ups_from_one_address_is_still_stopped(client, settings):
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["peertrain.test"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"signup": "3/m/ip"}
    form = {"email": "not-an-address", "password1": "x", "password2": "x"}

    answers = [
        client.post("/accounts/signup/", form, REMOTE_ADDR=OFFICE).status_code for _ in range(4)
    ]

    assert answers[-1] == 429


# --- Redis down: a limit per process, never none ------------------------------------------------
def closed_port_url() -> str:
    return f"redis://127.0.0.1:{unused_tcp_port()}/0"


def test_with_redis_down_forty_wrong_passwords_still_lock_the_account(client, employee, cache_on):
    """The cache failed open: 40 wrong passwords in 20 s, then the right one worked."""
    cache_on(closed_port_url())
    fail(client, employee.email, 40)

    assert sign_in(client, employee.email).status_code == 429


def test_with_redis_down_people_still_sign_in(client, employee, cache_on):
    cache_on(closed_port_url())

    assert signed_in(sign_in(client, employee.email))


def test_a_lock_holds_when_redis_stops_in_the_middle_of_an_attack(
    client, employee, own_redis, cache_on
):
    cache_on(own_redis.url)
    fail(client, employee.email, 3)  # counted in Redis
    own_redis.stop()
    fail(client, employee.email, 5)  # counted by this process

    assert sign_in(client, employee.email).status_code == 429


def test_with_redis_down_allauths_limits_hold_per_process(client, employee, cache_on):
    cache_on(closed_port_url())

    answers = [
        client.post(
            "/accounts/password/reset/", {"email": employee.email}, REMOTE_ADDR=OFFICE
        ).status_code
        for _ in range(6)
    ]

    assert answers == [302] * 5 + [429]
