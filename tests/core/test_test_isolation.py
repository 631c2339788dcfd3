"""Every test starts from the migrated database, whatever kind of test ran before it.

Tests that commit (``transaction=True``, ``live_server``) are emptied afterwards. The browser
tests bring back what the migrations wrote (the `L&D staff` group and its permissions) with
a serialized rollback; a plain committing test used to find that rollback's leftovers (an
empty content-type table while Django's in-memory content-type cache still held the old
ids), and a serialized one used to collide with the content types a plain one re-created
under new ids. The tests below run in that order (pytest-django keeps file order among
committing tests): serialized, plain, serialized, plain.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.models import User

SERIALIZED = pytest.mark.django_db(transaction=True, serialized_rollback=True)
COMMITTING = pytest.mark.django_db(transaction=True)


def assert_migrated_state() -> None:
    # The cached id is the one in the table, and what data migrations wrote is there.
    content_type = ContentType.objects.get_for_model(User)
    assert ContentType.objects.filter(pk=content_type.pk, model="user").exists()
    assert Group.objects.get(name=LD_STAFF_GROUP).permissions.exists()


def record_a_row_pointing_at_a_cached_content_type() -> None:
    Permission.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        codename="test_isolation",
        name="A row with a foreign key to a content type from Django's cache",
    )


@SERIALIZED
def test_a_serialized_rollback_test_starts_from_the_migrated_state():
    assert_migrated_state()
    record_a_row_pointing_at_a_cached_content_type()


@COMMITTING
def test_a_committing_test_after_a_serialized_one_starts_from_the_migrated_state():
    assert_migrated_state()
    record_a_row_pointing_at_a_cached_content_type()
    assert Permission.objects.filter(codename="view_user").count() == 1


@SERIALIZED
def test_a_serialized_rollback_test_after_a_committing_one_starts_from_the_migrated_state():
    assert_migrated_state()
    record_a_row_pointing_at_a_cached_content_type()


@COMMITTING
def test_a_committing_test_after_that_still_starts_from_the_migrated_state():
    assert_migrated_state()
    assert ContentType.objects.filter(app_label="accounts", model="user").count() == 1
