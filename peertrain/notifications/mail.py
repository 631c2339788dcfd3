"""Sending one outbox message so that "did it go out?" has an answer.

An SMTP server takes a message when it receives the final dot of the DATA command; a
connection that closes before that delivers nothing. So the outbox records the hand-over at
the last moment the message can still be withheld — after the server's "354 go ahead",
before the message itself — and sends the message only once that record is written. A send
that fails before the hand-over delivered nothing (retry it); one that fails after it,
without an error reply from the server, may have delivered (the outcome is unknown, and the
outbox never sends it again by itself).

Other backends (console, file, memory in tests) either write the whole message or raise,
so for them the hand-over is simply the moment before sending.
"""

import smtplib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.core.mail.message import EmailMessage

DATA_GO_AHEAD = 354  # the server's answer to DATA: send the message, end with "."

# The mixin below is only mixed into smtplib's connections, whose getreply it wraps.
if TYPE_CHECKING:
    _SMTPBase = smtplib.SMTP
else:
    _SMTPBase = object


class OutcomeUnknown(Exception):
    """The server may have taken the whole message, but its answer was lost."""


class _HandOverMixin(_SMTPBase):
    """Calls ``before_payload`` once the server has said "354 go ahead" to DATA. If it
    raises, the connection is dropped before the message is sent, so nothing is delivered."""

    before_payload: Callable[[], None] | None = None

    def getreply(self):
        code, text = super().getreply()
        if code == DATA_GO_AHEAD and self.before_payload is not None:
            try:
                self.before_payload()
            except BaseException:
                self.close()  # mid-DATA, without the final dot: the server discards it
                raise
        return code, text


class _SMTP(_HandOverMixin, smtplib.SMTP):
    pass


class _SMTPSSL(_HandOverMixin, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(SMTPEmailBackend):
    """Django's SMTP backend (same settings) whose connection calls back at hand-over."""

    connection: "_SMTP | _SMTPSSL | None"

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def open_connection() -> BaseEmailBackend:
    """The configured email backend, opened, to send one or many messages; SMTP gets the
    hand-over call-back. Close it when done."""
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        backend: BaseEmailBackend = HandOverEmailBackend()
    else:
        backend = get_connection()
    backend.open()
    return backend


def send_handing_over(
    message: EmailMessage, *, hand_over: Callable[[], None], connection: BaseEmailBackend
) -> None:
    """Send ``message``, calling ``hand_over()`` at the last moment it can be withheld; if
    ``hand_over`` raises, nothing is sent. Raises ``OutcomeUnknown`` when sending failed
    after the hand-over without a refusal from the server; any other error means the
    message was not delivered."""
    if not isinstance(connection, HandOverEmailBackend):
        hand_over()
        connection.send_messages([message])
        return
    handed_over = False

    def hook() -> None:
        nonlocal handed_over
        hand_over()
        handed_over = True

    if connection.connection is None:
        connection.open()
    smtp = connection.connection
    if smtp is None:  # open() raises instead, unless told to fail silently (this one isn't)
        raise smtplib.SMTPServerDisconnected("The SMTP connection could not be opened.")
    smtp.before_payload = hook
    try:
        connection.send_messages([message])
    except smtplib.SMTPResponseException:
        connection.close()
        raise  # the server answered with a refusal: not delivered
    except Exception as exc:
        connection.close()  # broken: the next message opens a new one
        if handed_over:
            raise OutcomeUnknown(f"{type(exc).__name__}: {exc}") from exc
        raise
    finally:
        if connection.connection is not None:
            connection.connection.before_payload = None
