"""notify: a declared kind, rendered from its templates in the reader's language and time
zone, one outbox row per channel the reader receives it on."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.template.loader import get_template
from django.utils import timezone, translation

from peertrain.core.links import absolute_url
from peertrain.notifications.channels import Channel, register_channel, unregister_channel
from peertrain.notifications.kinds import UnknownKind, kinds
from peertrain.notifications.models import Notification, NotificationPreference
from peertrain.notifications.notify import notifications_recorded, notify
from peertrain.notifications.preferences import notification_preferences_save
from peertrain.notifications.services import notification_deliver, notifications_drain

from ..factories import TrainingSessionFactory

FEEDBACK = "training.feedback.requested"  # optional
PROMOTED = "training.booking.promoted"  # always sent


@pytest.fixture
def session(db):
    # Tuesday 12 January 2027, 09:00 UTC: 10:00 in Berlin (CET), 04:00 in New York (EST).
    starts = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    return TrainingSessionFactory(title="Q&A <basics>", starts_at=starts)


def feedback(person, session, key="k:1"):
    return notify(recipient=person, kind=FEEDBACK, key=key, context={"session": session})


def everything_but(*switched_off):
    return {
        (code, channel)
        for code in kinds()
        for channel in ("email", "fake")
        if (code, channel) not in switched_off
    }


# --- Rendering -----------------------------------------------------------------------------
def test_every_kind_has_a_subject_a_text_and_an_html_template():
    for kind in kinds().values():
        if kind.code.startswith("event_app."):
            continue  # tests/event_app's templates are found only while a test starts it
        for name in ("subject.txt", "body.txt", "body.html"):
            get_template(f"{kind.template_folder}/{name}")  # raises if missing


def test_every_optional_kind_says_how_to_switch_it_off():
    for kind in kinds().values():
        if kind.optional and not kind.code.startswith("event_app."):
            source = get_template(f"{kind.template_folder}/body.txt").template.source
            assert '{% include "notifications/_switch_off.txt" %}' in source, kind.code


def test_an_optional_message_links_to_the_preferences_page(employee, session):
    (row,) = feedback(employee, session)

    assert row.body.endswith(
        f"switch these messages off: {absolute_url('/account/notifications/')}"
    )
    assert f'href="{absolute_url("/account/notifications/")}"' in row.body_html


def test_text_is_not_escaped_and_html_is(employee, session):
    (row,) = feedback(employee, session)

    assert row.subject == "How was Q&A <basics>?"
    assert "Thanks for coming to Q&A <basics>." in row.body
    assert "<strong>Q&amp;A &lt;basics&gt;</strong>" in row.body_html
    assert f'href="{absolute_url(session.get_absolute_url())}"' in row.body_html


def test_the_subject_is_one_line_whatever_the_title_holds(employee, session):
    session.title = "Two\nlines\r\n and a tab\t"  # saved before titles were checked

    (row,) = feedback(employee, session)

    assert row.subject == "How was Two lines and a tab ?"


def test_a_berlin_reader_sees_berlin_time_whoever_acts(employee, session):
    employee.time_zone = "Europe/Berlin"
    with timezone.override("America/New_York"):  # the actor's zone, not the reader's
        (row,) = notify(recipient=employee, kind=PROMOTED, key="k:2", context={"session": session})

    assert "Tuesday 12 January, 10:00 CET" in row.body
    assert "10:00 CET" in row.body_html
    assert "04:00" not in row.body


def test_a_reader_without_a_zone_reads_the_sites(employee, session):
    employee.time_zone = ""

    (row,) = notify(recipient=employee, kind=PROMOTED, key="k:3", context={"session": session})

    assert "Tuesday 12 January, 09:00 GMT" in row.body  # Europe/London in January


def test_the_message_is_in_the_readers_language_not_the_actors(employee, session):
    with translation.override("de"):
        (row,) = notify(recipient=employee, kind=PROMOTED, key="k:4", context={"session": session})

    assert "Tuesday 12 January" in row.body
    assert "Dienstag" not in row.body
    assert '<html lang="en-gb">' in row.body_html


def test_the_message_is_in_the_language_on_the_readers_profile(employee, session, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("en-us", "English (US)")]
    employee.language = "en-us"
    employee.save()

    (row,) = notify(recipient=employee, kind=PROMOTED, key="k:5", context={"session": session})

    assert '<html lang="en-us">' in row.body_html


def test_a_language_no_longer_offered_reads_in_the_sites(employee, session):
    employee.language = "de"
    employee.save()

    (row,) = notify(recipient=employee, kind=PROMOTED, key="k:6", context={"session": session})

    assert '<html lang="en-gb">' in row.body_html


def test_an_undeclared_kind_is_a_loud_programming_error(employee, session):
    with pytest.raises(UnknownKind, match=r"training\.nope"):
        notify(recipient=employee, kind="training.nope", key="k", context={})
    assert not Notification.objects.exists()


def test_the_same_key_twice_records_one_row(employee, session):
    feedback(employee, session)
    feedback(employee, session)

    assert Notification.objects.count() == 1
    assert notifications_recorded(keys=["k:1", "k:other"]) == {"k:1"}


# --- Preferences ---------------------------------------------------------------------------
def test_a_kind_switched_off_records_nothing(employee, session):
    notification_preferences_save(user=employee, wanted=everything_but((FEEDBACK, "email")))

    assert feedback(employee, session) == []
    assert not Notification.objects.exists()


def test_a_transactional_kind_is_sent_even_if_a_row_says_off(employee, session):
    NotificationPreference.objects.create(
        user=employee, kind=PROMOTED, channel="email", enabled=False
    )
    notification_preferences_save(user=employee, wanted=set())  # everything optional off

    rows = notify(recipient=employee, kind=PROMOTED, key="k:5", context={"session": session})

    assert [row.kind for row in rows] == [PROMOTED]


def test_saving_preferences_leaves_locked_kinds_alone(employee):
    notification_preferences_save(user=employee, wanted=set())

    stored = set(NotificationPreference.objects.values_list("kind", flat=True))
    assert FEEDBACK in stored
    assert PROMOTED not in stored
    assert all(kinds()[code].optional for code in stored)


# --- Sending -------------------------------------------------------------------------------
def test_the_relay_sends_text_with_an_html_alternative(employee, session):
    (row,) = feedback(employee, session)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())

    assert notifications_drain(seconds=5).sent == 1

    (message,) = mail.outbox
    assert message.body == row.body
    assert message.alternatives[0].content == row.body_html
    assert message.alternatives[0].mimetype == "text/html"
    assert message.subject == "How was Q&A <basics>?"


# --- Channels ------------------------------------------------------------------------------
class FakeChat(Channel):
    """A chat integration as a later issue would add it."""

    code = "fake"
    label = "Fake chat"

    def __init__(self):
        self.delivered: list[tuple[str, str]] = []

    def address_of(self, recipient, *, email=None):
        return f"U{recipient.pk}" if recipient is not None else None

    def send(self, notification, *, hand_over, connection):
        hand_over()
        self.delivered.append((notification.address, notification.body))


@pytest.fixture
def fake_chat():
    channel = FakeChat()
    register_channel(channel)
    yield channel
    unregister_channel("fake")


def test_a_registered_channel_gets_its_own_row_and_delivers_it(employee, session, fake_chat):
    rows = feedback(employee, session)  # the caller is unchanged

    assert sorted((row.channel, row.address, row.unique_key) for row in rows) == [
        ("email", employee.email, "k:1"),
        ("fake", f"U{employee.pk}", "k:1@fake"),
    ]
    chat = next(row for row in rows if row.channel == "fake")
    assert notification_deliver(notification_id=chat.pk) is True
    assert fake_chat.delivered == [(f"U{employee.pk}", chat.body)]
    chat.refresh_from_db()
    assert chat.sent_at is not None
    assert notifications_recorded(keys=["k:1"]) == {"k:1"}


def test_a_kind_can_be_switched_off_on_one_channel_only(employee, session, fake_chat):
    notification_preferences_save(user=employee, wanted=everything_but((FEEDBACK, "fake")))

    assert [row.channel for row in feedback(employee, session)] == ["email"]


def test_account_mails_go_by_email_only(employee, fake_chat):
    rows = notify(
        recipient=employee,
        email="new.address@example.com",
        kind="account.email_confirmation",
        key="account:1",
        context={
            "template_prefix": "account/email/email_confirmation",
            "current_site": {"name": "PeerTrain", "domain": "testserver"},
            "activate_url": "http://testserver/accounts/confirm-email/abc/",
            "email": "new.address@example.com",
        },
    )

    assert [(row.channel, row.address, row.sensitive) for row in rows] == [
        ("email", "new.address@example.com", True)
    ]
    assert rows[0].subject.startswith("[PeerTrain] ")
