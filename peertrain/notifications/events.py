"""What the outbox tells other apps happened (the catalogue: docs/events.md)."""

from typing import TypedDict

from peertrain.audit.events import EventSpec, declare


class SentAgain(TypedDict):
    kind: str
    address: str


declare(
    EventSpec(
        "notifications.notification.sent_again",
        payload=SentAgain,
        audited=True,
        doc="L&D sent a message again after checking with its recipient.",
    ),
)
