"""Counting attempts and refusing too many: the one rate-limit building block.

A ``RateLimit`` allows ``amount`` attempts per ``seconds`` for each subject (an account, a
client address, a person on a session). Counters live in the default cache: Redis, shared by
every process; while Redis is unreachable each process counts alone (``core/cache.py``), so a
limit degrades to per process and never switches off. A window starts with its first attempt
and refused attempts don't move it, so hammering a lock never makes it last longer.

An attempt is counted *before* the guarded work (checking a password or a code) and undone
when it turns out not to count (the password was right): counting only failures afterwards
would let a burst of parallel guesses all pass the check before the first one is recorded.
"""

import hashlib
import ipaddress
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from .cache import window_counters
from .durations import duration_words

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(?P<amount>[0-9]+)/(?P<count>[0-9]*)(?P<unit>[smhd])(?:/(?P<per>[a-z]+))?")
# Addresses in one IPv6 /64 are one client: a single host is usually given a whole /64.
IPV6_PREFIX = 64


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str = ""  # what the rate is counted per, for settings that mix several kinds

    def __str__(self) -> str:
        return f"{self.amount}/{self.seconds}s"


def parse_rates(value: str, *, setting: str, scopes: Collection[str] = ()) -> tuple[Rate, ...]:
    """``"10/m/ip,5/300s/key"`` → rates (allauth's notation: amount / [n]unit / per). ``scopes``
    lists the ``per`` values the setting takes (empty: none). Raises ImproperlyConfigured naming
    ``setting``, so a typo stops start-up instead of silently switching a limit off."""
    allowed = set(scopes) or {""}
    rates = []
    for part in (piece.strip() for piece in value.split(",")):
        match = _RATE.fullmatch(part)
        per = (match.group("per") or "") if match else ""
        if not match or per not in allowed:
            kinds = f" with /{' or /'.join(sorted(scopes))} at the end" if scopes else ""
            raise ImproperlyConfigured(
                f"{setting} must be comma-separated rates like 10/5m{kinds} "
                f"(attempts / period in s, m, h or d), not {value!r}"
            )
        seconds = int(match.group("count") or 1) * _UNITS[match.group("unit")]
        if int(match.group("amount")) < 1 or seconds < 1:
            raise ImproperlyConfigured(f"{setting}: each rate needs at least 1 attempt per 1s")
        rates.append(Rate(int(match.group("amount")), seconds, per))
    return tuple(rates)


class Throttled(Exception):
    """Too many attempts: ``rate`` of ``limit`` is spent; it frees up within ``retry_after``."""

    def __init__(self, limit: "RateLimit", rate: Rate):
        super().__init__(f"rate limit {limit.name} ({rate}) reached")
        self.limit = limit
        self.rate = rate
        self.retry_after = rate.seconds

    @property
    def wait(self) -> str:
        """The longest wait, for messages: "5 minutes", "1 minute", "30 seconds"."""
        if self.retry_after < 60:
            return duration_words(timedelta(seconds=self.retry_after))
        return duration_words(timedelta(minutes=-(-self.retry_after // 60)))


@dataclass(frozen=True)
class RateLimit:
    name: str
    rates: tuple[Rate, ...]

    def key(self, rate: Rate, subject: str) -> str:
        # Hashed: subjects are addresses and emails, which don't belong in Redis in clear
        # (and may hold characters a cache key can't).
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"rl:{self.name}:{rate.amount}/{rate.seconds}:{digest}"

    def clear(self, subject: str) -> None:
        cache.delete_many([self.key(rate, subject) for rate in self.rates])


@dataclass
class Attempt:
    """One counted attempt; ``undo`` it when it turns out not to count."""

    counted: list[tuple[str, Rate]]

    def undo(self) -> None:
        for key, rate in self.counted:
            window_counters().incr_window(key, -1, rate.seconds)
        self.counted = []


def attempt(*checks: tuple[RateLimit, str]) -> Attempt:
    """Count one attempt against every ``(limit, subject)``. If any rate is spent, raise
    ``Throttled`` and count nothing: a refused attempt tried nothing, so it mustn't use up
    someone else's allowance (a locked account mustn't lock its sender's whole office)."""
    counted = Attempt([])
    for limit, subject in checks:
        for rate in limit.rates:
            key = limit.key(rate, subject)
            count = window_counters().incr_window(key, 1, rate.seconds)
            counted.counted.append((key, rate))
            if count > rate.amount:
                counted.undo()
                raise Throttled(limit, rate)
    return counted


def _address(value: str | None) -> str | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def client_ip(request: HttpRequest) -> str:
    """The address a client's attempts are counted under.

    The peer the server sees (``REMOTE_ADDR``), unless settings say how the site's own reverse
    proxies pass the client on: ``TRUSTED_CLIENT_IP_HEADER`` (a header the proxy sets to one
    address) or ``TRUSTED_PROXY_COUNT`` (that many proxies each append to X-Forwarded-For, so
    the client is that many entries from the end; anything before it came from the client and
    may be made up). A header that doesn't fit the setting (a request that bypassed the
    proxies) falls back to the peer instead of trusting it.
    """
    forwarded = None
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if header:
        forwarded = request.headers.get(header)
    elif proxies:
        hops = request.headers.get("X-Forwarded-For", "").split(",")
        if len(hops) >= proxies:
            forwarded = hops[-proxies]
    return _address(forwarded) or _address(request.META.get("REMOTE_ADDR")) or "unknown"
