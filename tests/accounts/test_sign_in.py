import re
import time

import pytest
from django.core import mail

from peertrain.notifications.models import Notification
from peertrain.notifications.services import REDACTED_BODY, notification_deliver

from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-in attempts and confirmation mails in the cache, which (Redis in
    CI) outlives the test database: start each test from none."""
    from django.core.cache import cache

    cache.clear()


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_employee_signs_in_with_their_email_in_any_case(client, employee):
    response = sign_in(client, "Employee@Example.COM")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_clear_message(client, employee):
    response = sign_in(client, "employee@example.com", "not my password")

    assert response.status_code == 200
    assert "password you specified are not correct" in response.content.decode()
    assert client.get("/").status_code == 302


def test_repeated_failed_sign_ins_are_rate_limited(client, employee):
    for _ in range(5):
        sign_in(client, "employee@example.com", "wrong")

    response = sign_in(client, "employee@example.com", TEST_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins to this account" in response.content.decode()
    assert client.get("/").status_code == 302


def test_sign_up_is_closed_without_allowed_domains_and_says_where_to_go(client):
    response = client.get("/accounts/signup/")
    page = response.content.decode()

    assert "Sign-up is closed" in page
    assert "ask L&amp;D to add you" in page
    assert 'href="/accounts/login/"' in page
    assert "Create an account" not in client.get("/accounts/login/").content.decode()


def test_sign_up_accepts_only_the_listed_company_domains(client, settings):
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["peertrain.test"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # what the settings require with it
    form = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}

    refused = client.post("/accounts/signup/", form | {"email": "someone@gmail.com"})
    accepted = client.post("/accounts/signup/", form | {"email": "new.hire@peertrain.test"})

    assert "Use your work email address (ending in peertrain.test)" in refused.content.decode()
    assert accepted.status_code == 302
    from peertrain.accounts.models import User

    assert list(User.objects.values_list("email", flat=True)) == ["new.hire@peertrain.test"]


def test_password_reset_mail_goes_through_the_outbox_and_works(
    client, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/accounts/password/reset/", {"email": "employee@example.com"})
    assert response.status_code == 302

    notification = Notification.objects.get(recipient=employee)
    assert notification.kind == "account.password_reset_key"
    assert notification.sensitive
    assert notification.subject == "[PeerTrain] Password Reset Email"
    assert notification.body.startswith("Hello from PeerTrain!")
    assert "Thank you for using PeerTrain!" in notification.body
    assert "/accounts/password/reset/key/" in notification.body_html  # linked, escaped
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.body == REDACTED_BODY
    assert notification.body_html == ""  # the link is wiped from both parts
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"

    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase"
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    client.logout()
    assert sign_in(client, "employee@example.com", new_password).status_code == 302


def test_password_reset_answers_quickly_while_the_broker_is_down(
    client, employee, broker_unreachable, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "employee@example.com"})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1.0
    assert Notification.objects.filter(recipient=employee, sent_at=None).count() == 1


def test_single_sign_on_is_off_by_default(client):
    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in page


def test_configured_openid_connect_shows_its_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Company sign-in",
                    "client_id": "peertrain",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://id.example.com"},
                }
            ]
        }
    }

    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with Company sign-in" in page


def test_a_new_account_cannot_sign_in_until_its_address_is_confirmed(client, settings):
    """Sign-up by domain alone would let anyone claim a colleague's address."""
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["peertrain.test"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    form = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}
    email = "not.mine@peertrain.test"

    client.post("/accounts/signup/", form | {"email": email})

    assert client.get("/trainers/").status_code == 302  # still signed out
    from peertrain.notifications.models import Notification

    mail = Notification.objects.get(address=email)  # the link
    assert mail.body.startswith("Hello from PeerTrain!")
    assert "created a PeerTrain account with the address not.mine@peertrain.test" in mail.body
    assert "/accounts/confirm-email/" in mail.body


def test_confirming_an_address_at_sign_in_does_not_claim_someone_registered_it(client, settings):
    """The mail sent when an unconfirmed account signs in is not a sign-up: it used to say
    that someone 'has given your email address to register an account'."""
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["peertrain.test"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    form = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}
    email = "unconfirmed@peertrain.test"
    client.post("/accounts/signup/", form | {"email": email})
    from django.core.cache import cache

    cache.clear()  # allauth waits before mailing the same address twice

    client.post("/accounts/login/", {"login": email, "password": "a long enough passphrase"})

    mail = Notification.objects.filter(address=email).order_by("pk").last()
    assert mail.kind == "account.email_confirmation"
    assert "given your email address to register" not in mail.body
    assert "Hello from !" not in mail.body
    assert "Please confirm that unconfirmed@peertrain.test is your address on PeerTrain" in (
        mail.body
    )
