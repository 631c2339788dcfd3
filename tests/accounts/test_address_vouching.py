"""Addresses the organisation gave (accounts made by L&D, an admin or a script) count as
verified -- by migration 0005 for the accounts that existed, at first sign-in for later ones --
while an address someone typed at self sign-up must still be confirmed by email."""

from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from peertrain.accounts.services import user_address_vouch
from peertrain.audit.models import AuditEvent

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

migration = import_module("peertrain.accounts.migrations.0005_vouch_organisation_addresses")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()  # allauth's sign-in counts live in the cache (Redis outlives the test)


def rows(user) -> list[tuple[str, bool, bool]]:
    return list(
        EmailAddress.objects.filter(user=user)
        .order_by("email")
        .values_list("email", "verified", "primary")
    )


def test_migration_marks_addresses_the_organisation_gave_as_verified():
    made_by_ld = UserFactory(email="ada@example.com")

    migration.vouch_addresses(apps, None)

    assert rows(made_by_ld) == [("ada@example.com", True, True)]


def test_migration_leaves_an_unconfirmed_self_sign_up_unconfirmed():
    self_signed = UserFactory(email="new@example.com")
    EmailAddress.objects.create(user=self_signed, email="new@example.com", primary=True)

    migration.vouch_addresses(apps, None)

    assert rows(self_signed) == [("new@example.com", False, True)]


def test_migration_never_gives_an_address_someone_else_proved():
    owner = UserFactory(email="owner@example.com")
    EmailAddress.objects.create(user=owner, email="shared@example.com", verified=True)
    other = UserFactory(email="shared@example.com")

    migration.vouch_addresses(apps, None)

    assert rows(other) == []


def test_migration_makes_the_current_address_primary_after_an_admin_changed_it():
    person = UserFactory(email="old@example.com")
    EmailAddress.objects.create(user=person, email="old@example.com", verified=True, primary=True)
    person.email = "new@example.com"
    person.save()

    migration.vouch_addresses(apps, None)

    assert rows(person) == [("new@example.com", True, True), ("old@example.com", True, False)]


def test_vouching_is_recorded_once_and_audited():
    person = UserFactory(email="Ada@Example.com")

    assert user_address_vouch(user=person) is True
    assert user_address_vouch(user=person) is False
    assert rows(person) == [("ada@example.com", True, True)]
    assert AuditEvent.objects.filter(action="accounts.address.vouched").count() == 1


def test_account_made_after_the_migration_is_vouched_at_its_first_sign_in(client, settings):
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["example.com"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    person = UserFactory(email="later@example.com")

    response = client.post(
        "/accounts/login/", {"login": "later@example.com", "password": TEST_PASSWORD}
    )

    assert response["Location"] == "/"
    assert rows(person) == [("later@example.com", True, True)]


def test_wrong_password_vouches_nothing(client):
    person = UserFactory(email="ada@example.com")

    client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong"})

    assert rows(person) == []
