"""Which kinds people receive, on which channel: read by ``notify``, written by the
preferences page (``/account/notifications/``).

No row means "on". Only optional kinds can be switched off; a transactional kind is sent
whatever a stale or forged row says, and asking costs it no query.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from peertrain.accounts.models import User

from .channels import Channel, channels
from .kinds import Kind, kinds
from .models import NotificationPreference


def switched_off(*, user: User, kind: Kind) -> set[str]:
    """The channels ``user`` switched ``kind`` off on (always none for a locked kind)."""
    if not kind.optional:
        return set()
    return set(
        NotificationPreference.objects.filter(user=user, kind=kind.code, enabled=False).values_list(
            "channel", flat=True
        )
    )


def channels_for(*, recipient: User | None, kind: Kind, email: str | None = None) -> list[Channel]:
    """The channels ``recipient`` receives ``kind`` on, each with an address for them."""
    off = switched_off(user=recipient, kind=kind) if recipient is not None else set()
    return [
        channel
        for channel in channels()
        if channel.code not in off
        and (not kind.only_on or channel.code in kind.only_on)
        and channel.address_of(recipient, email=email) is not None
    ]


@dataclass(frozen=True)
class KindChoice:
    """One row of the preferences page: a kind, and whether it is on, per channel."""

    kind: Kind
    on: Mapping[str, bool]  # channel code → on


def preferences_of(*, user: User) -> list[KindChoice]:
    """Every kind ``user`` can choose about (optional ones first, then those always sent),
    with their current choice per channel; one query."""
    stored = {
        (row.kind, row.channel): row.enabled
        for row in NotificationPreference.objects.filter(user=user)
    }
    codes = [channel.code for channel in channels()]
    ordered = sorted(kinds().values(), key=lambda kind: (not kind.optional, kind.code))
    return [
        KindChoice(
            kind=kind,
            on={
                code: (stored.get((kind.code, code), True) if kind.optional else True)
                for code in codes
            },
        )
        for kind in ordered
    ]


def notification_preferences_save(*, user: User, wanted: Iterable[tuple[str, str]]) -> int:
    """Make ``wanted`` (pairs of kind code and channel code) the optional kinds ``user``
    receives, on each channel; everything optional not in it is switched off. Locked kinds
    and unknown channels are left alone. Returns how many choices changed."""
    wanted = set(wanted)
    codes = [channel.code for channel in channels()]
    optional = [kind for kind in kinds().values() if kind.optional]
    with transaction.atomic():
        stored = {
            (row.kind, row.channel): row
            for row in NotificationPreference.objects.select_for_update().filter(user=user)
        }
        changed = 0
        for kind in optional:
            for code in codes:
                enabled = (kind.code, code) in wanted
                row = stored.get((kind.code, code))
                if row is None and enabled:
                    continue  # no row means on
                if row is None:
                    NotificationPreference.objects.create(
                        user=user, kind=kind.code, channel=code, enabled=False
                    )
                elif row.enabled != enabled:
                    row.enabled = enabled
                    row.save(update_fields=["enabled", "updated_at"])
                else:
                    continue
                changed += 1
    return changed
