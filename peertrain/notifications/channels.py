"""Channels: the ways a message reaches a person. Email is the only one today.

A channel says where a person receives messages on it (``address_of``; None: they can't be
reached there) and delivers one outbox row (``send``). ``notify`` records one row per
registered channel the person receives the kind on, and the outbox delivers each row through
its own channel, so adding Slack or Microsoft Teams is ``register_channel(SlackChannel())``
in that integration's ``AppConfig.ready()``: no caller of ``notify`` changes.
"""

import hashlib
from collections.abc import Callable
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import EmailMessage

from peertrain.accounts.models import User

from .mail import open_connection, send_handing_over

if TYPE_CHECKING:
    from .models import Notification


class Channel:
    """One way of reaching people. Subclasses set ``code`` and ``label`` and implement
    ``address_of`` and ``send``; ``open``/``close`` bracket a batch of sends (a mail
    connection), and do nothing by default."""

    code: str = ""
    label: str = ""

    def address_of(self, recipient: User | None, *, email: str | None = None) -> str | None:
        """Where ``recipient`` gets messages on this channel (``email``: the address a
        message must go to, for account mails), or None if they can't be reached on it."""
        raise NotImplementedError

    def open(self) -> Any:
        return None

    def close(self, connection: Any) -> None:
        return None

    def send(
        self, notification: "Notification", *, hand_over: Callable[[], None], connection: Any
    ) -> None:
        """Deliver ``notification``, calling ``hand_over()`` at the last moment it can still
        be withheld (nothing may be delivered if it raises). Raise ``mail.OutcomeUnknown``
        when it failed after the hand-over without a refusal; any other exception means
        nothing was delivered and the outbox retries."""
        raise NotImplementedError


class EmailChannel(Channel):
    code = "email"
    label = "Email"

    def address_of(self, recipient: User | None, *, email: str | None = None) -> str | None:
        return email or (recipient.email if recipient is not None else None) or None

    def open(self) -> Any:
        return open_connection()

    def close(self, connection: Any) -> None:
        connection.close()

    def send(
        self, notification: "Notification", *, hand_over: Callable[[], None], connection: Any
    ) -> None:
        send_handing_over(email_message(notification), hand_over=hand_over, connection=connection)


def message_id(notification: "Notification") -> str:
    """The same Message-ID every time this row is sent, so that a receiving system can
    drop a second copy if L&D staff send a message of unknown outcome again."""
    digest = hashlib.sha256(notification.unique_key.encode()).hexdigest()[:16]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "peertrain.invalid"
    return f"<peertrain.{notification.pk}.{digest}@{domain}>"


def email_message(notification: "Notification") -> EmailMessage:
    """The email for one row: plain text, with the HTML part beside it when there is one."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"Message-ID": message_id(notification)},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


_channels: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    """Make ``channel`` available to ``notify`` and the outbox (registering it again
    replaces it: a test's fake, a reloaded integration)."""
    _channels[channel.code] = channel


def unregister_channel(code: str) -> None:
    """Undo ``register_channel`` (tests; email stays)."""
    if code != EmailChannel.code:
        _channels.pop(code, None)


def channels() -> tuple[Channel, ...]:
    return tuple(_channels.values())


def channel_named(code: str) -> Channel | None:
    return _channels.get(code)


register_channel(EmailChannel())
