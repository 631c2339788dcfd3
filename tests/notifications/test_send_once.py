"""A message goes out once, even when the database connection drops around the send or the
worker dies mid-send: the hand-over to the mail server is recorded before the message is
sent, recording the send reconnects and tries again, and a row whose outcome is unknown is
never sent again by itself.

Mail goes over SMTP to a local sink (aiosmtpd) that counts what really arrived; the
connection cuts are real (``pg_terminate_backend`` on this test's own backend).
"""

import asyncio
import contextlib
import logging
from datetime import timedelta

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from peertrain.notifications.services import (
    message_id,
    notification_deliver,
    notification_record,
    notification_send_again,
    notifications_drain,
    notifications_flag_unknown,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, smtp_sink):
    controller, sink = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return sink


def record(user, key="once:1"):
    return notification_record(
        recipient=user,
        address=user.email,
        kind="test.once",
        unique_key=key,
        subject="Once",
        body="Sent once.",
    )


def arrived_ids(sink) -> list[str]:
    return [
        line.split(":", 1)[1].strip()
        for envelope in sink.messages
        for line in envelope.content.decode().splitlines()
        if line.lower().startswith("message-id:")
    ]


def terminate_own_backend() -> None:
    db = connection.settings_dict
    pid = connection.connection.get_backend_pid()
    with contextlib.closing(
        psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    ) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextlib.contextmanager
def cut_before(fragment: str, *, times: int = 1):
    """Terminate this test's connection just before the next ``times`` statements that
    contain ``fragment``."""
    cuts = {"left": times}

    def wrapper(execute, sql, params, many, context):
        if cuts["left"] and fragment in sql:
            cuts["left"] -= 1
            terminate_own_backend()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield cuts


def test_message_goes_over_smtp_with_its_own_message_id(employee, smtp):
    notification = record(employee)

    assert notification_deliver(notification_id=notification.pk) is True

    notification.refresh_from_db()
    assert arrived_ids(smtp) == [message_id(notification)]
    assert notification.handed_over_at is not None
    assert notification.sent_at >= notification.handed_over_at


def test_message_id_is_the_same_every_time_and_differs_between_rows(employee):
    first, second = record(employee, key="once:a"), record(employee, key="once:b")

    assert message_id(first) == message_id(Notification.objects.get(pk=first.pk))
    assert message_id(first) != message_id(second)
    assert message_id(first).endswith("@localhost>")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_recording_the_send_survives_a_dropped_connection(employee, smtp):
    """The fault behind the duplicates: the connection dropped between sending and
    recording sent_at. Now the mark reconnects, so the row is sent, once."""
    notification = record(employee)

    with cut_before('SET "sent_at"') as cuts:
        assert notification_deliver(notification_id=notification.pk) is True

    assert cuts["left"] == 0
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(smtp.messages) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_recording_the_hand_over_survives_a_dropped_connection(employee, smtp):
    notification = record(employee)

    with cut_before('SET "handed_over_at"') as cuts:
        assert notification_deliver(notification_id=notification.pk) is True

    assert cuts["left"] == 0
    assert len(smtp.messages) == 1
    assert Notification.objects.get(pk=notification.pk).sent_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hand_over_that_cannot_be_recorded_sends_nothing(employee, smtp, monkeypatch):
    monkeypatch.setattr("peertrain.core.db.RECONNECT_PAUSES", (0, 0))
    notification = record(employee)

    with cut_before('SET "handed_over_at"', times=2), pytest.raises(OperationalError):
        notification_deliver(notification_id=notification.pk)

    assert smtp.messages == []  # the connection closed mid-DATA: the server dropped it
    notification.refresh_from_db()
    assert notification.handed_over_at is None
    assert notification.sent_at is None


def dead_worker_left(notification, *, handed_over: bool, minutes_ago: int = 5) -> None:
    """What a worker killed mid-send leaves: a claim, and maybe a hand-over, never confirmed."""
    past = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=past,
        attempts=1,
        handed_over_at=past if handed_over else None,
        next_attempt_at=past,
    )


def test_a_dead_workers_claim_without_hand_over_is_sent_again(employee, smtp):
    notification = record(employee)
    dead_worker_left(notification, handed_over=False)

    assert notifications_drain(seconds=5).sent == 1
    assert len(smtp.messages) == 1


def test_a_row_handed_over_but_never_confirmed_is_not_sent_again(employee, smtp, caplog):
    notification = record(employee)
    dead_worker_left(notification, handed_over=True)

    assert notification_deliver(notification_id=notification.pk) is False
    assert notifications_drain(seconds=5).sent == 0
    with caplog.at_level(logging.WARNING):
        assert notifications_flag_unknown() == 1
    assert notifications_flag_unknown() == 0  # logged once

    assert smtp.messages == []
    notification.refresh_from_db()
    assert notification.status == "outcome unknown"
    assert "Outcome unknown" in notification.last_error
    assert f"Notification {notification.pk}: outcome unknown" in caplog.text


def test_a_recent_hand_over_is_still_in_progress_not_unknown(employee):
    notification = record(employee)
    dead_worker_left(notification, handed_over=True, minutes_ago=0)

    assert notifications_flag_unknown() == 0
    assert Notification.objects.get(pk=notification.pk).status == "sending"


def test_ld_staff_send_an_unknown_outcome_again_with_the_same_message_id(
    employee, ld_staff, smtp, django_capture_on_commit_callbacks
):
    notification = record(employee)
    dead_worker_left(notification, handed_over=True)
    notifications_flag_unknown()

    with django_capture_on_commit_callbacks(execute=False):
        notification_send_again(notification=notification, by=ld_staff)
    assert notification_deliver(notification_id=notification.pk) is True

    assert arrived_ids(smtp) == [message_id(notification)]
    assert AuditEvent.objects.get(action="notifications.notification.sent_again").actor == ld_staff


def test_sending_again_refuses_a_row_whose_outcome_is_known(employee, ld_staff):
    notification = record(employee)

    notification_send_again(notification=notification, by=ld_staff)

    assert not AuditEvent.objects.filter(action="notifications.notification.sent_again").exists()
    assert Notification.objects.get(pk=notification.pk).outcome_unknown is False


def test_a_taken_over_claim_cannot_hand_over(employee, smtp, monkeypatch):
    """A slow worker whose claim went stale and was taken over must not send too."""
    notification = record(employee)
    real_get = Notification.objects.get

    def slow_then_taken_over(**kwargs):
        found = real_get(**kwargs)
        Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())
        return found

    monkeypatch.setattr(Notification.objects, "get", slow_then_taken_over)
    assert notification_deliver(notification_id=notification.pk) is False
    assert smtp.messages == []


def test_a_lost_answer_after_the_hand_over_leaves_the_outcome_unknown(
    employee, smtp, smtp_sink, settings
):
    """The server took the message but its answer never came (timeout): maybe delivered,
    so not released for another attempt."""
    settings.EMAIL_TIMEOUT = 1
    _, sink = smtp_sink
    real = sink.handle_DATA

    async def take_it_and_say_nothing(server, session, envelope):
        await real(server, session, envelope)
        await asyncio.sleep(3)
        return "250 too late"

    sink.handle_DATA = take_it_and_say_nothing
    notification = record(employee)

    assert notification_deliver(notification_id=notification.pk) is False

    notification.refresh_from_db()
    assert len(smtp.messages) == 1
    assert notification.sent_at is None
    assert notification.handed_over_at is not None
    assert notification.claimed_at is not None  # not released: never re-sent by itself


def test_a_refusal_after_data_releases_the_row_for_a_later_attempt(employee, smtp, smtp_sink):
    _, sink = smtp_sink

    async def refuse(server, session, envelope):
        return "451 Try again later"

    sink.handle_DATA = refuse
    notification = record(employee)

    with pytest.raises(Exception, match="451"):
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.handed_over_at is None
    assert notification.claimed_at is None
    assert notification.next_attempt_at > timezone.now()


def test_nobody_else_can_see_the_send_again_action(client, employee):
    User.objects.filter(pk=employee.pk).update(is_staff=True)  # staff, but not L&D
    client.force_login(employee)

    response = client.get("/admin/notifications/notification/")

    assert response.status_code == 403


def test_ld_staff_use_the_send_again_action_in_the_admin(
    client, employee, ld_staff, django_capture_on_commit_callbacks
):
    unknown, known = record(employee, key="once:unknown"), record(employee, key="once:known")
    dead_worker_left(unknown, handed_over=True)
    notifications_flag_unknown()
    client.force_login(ld_staff)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/admin/notifications/notification/",
            {"action": "send_again", "_selected_action": [unknown.pk, known.pk]},
            follow=True,
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 message(s) queued to be sent again." in page
    assert "1 message(s) left alone" in page
    unknown.refresh_from_db()
    assert unknown.outcome_unknown is False
    assert unknown.handed_over_at is None
