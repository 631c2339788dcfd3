"""``notify``: the one way PeerTrain sends a message.

A service (or an event handler) says who should hear what, and with which facts::

    notify(recipient=booking.user, kind="training.booking.promoted",
           key=f"training.booking.promoted:{booking.pk}", context={"session": session})

and ``notify`` renders the kind's templates for that person (``rendering.py``), then records
one outbox row per channel they receive the kind on (``preferences.py``, ``channels.py``),
inside the caller's transaction. Recording the same key again records nothing new, so a task
run twice tells people once. No service builds message text.
"""

from typing import Any

from django.db import models

from peertrain.accounts.models import User

from .channels import EmailChannel, channels
from .kinds import kind_named
from .models import Notification
from .preferences import channels_for
from .rendering import render
from .services import notification_record


def unique_key_on(key: str, channel: str) -> str:
    """The outbox key of ``key`` on ``channel``. Email keeps the caller's key as it is, so
    rows recorded before there were channels still count as sent."""
    return key if channel == EmailChannel.code else f"{key}@{channel}"


def notify(
    *,
    recipient: User | None,
    kind: str,
    key: str,
    context: dict[str, Any],
    related: models.Model | None = None,
    email: str | None = None,
) -> list[Notification]:
    """Tell ``recipient`` about ``kind`` (rendered from ``templates/notifications/<kind>/``
    with ``context``), once per ``key``, on every channel they receive it on; returns the
    rows recorded (none if they switched the kind off). ``email`` sends to that address
    instead of the person's own (account mails: confirming a new address; ``recipient`` may
    then be None). An undeclared ``kind`` raises ``UnknownKind``."""
    spec = kind_named(kind)
    receiving = channels_for(recipient=recipient, kind=spec, email=email)
    if not receiving:
        return []
    message = render(spec, recipient=recipient, context=context)
    return [
        notification_record(
            channel=channel.code,
            address=channel.address_of(recipient, email=email) or "",
            recipient=recipient,
            kind=spec.code,
            unique_key=unique_key_on(key, channel.code),
            related=related,
            subject=message.subject,
            body=message.text,
            body_html=message.html,
            sensitive=spec.sensitive,
        )
        for channel in receiving
    ]


def notifications_recorded(*, keys: list[str]) -> set[str]:
    """Which of ``keys`` (as given to ``notify``) have a message recorded on any channel:
    for a periodic task that skips what it told people already, without rendering it again."""
    variants = {unique_key_on(key, channel.code): key for key in keys for channel in channels()}
    found = Notification.objects.filter(unique_key__in=variants).values_list(
        "unique_key", flat=True
    )
    return {variants[unique_key] for unique_key in found}
