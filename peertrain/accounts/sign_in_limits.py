"""Limits on guessing passwords that an office sharing one address can live with.

Failed sign-ins are limited per account and per client address (``LOGIN_FAILED_RATE_LIMIT``),
so neither guessing one person's password nor trying one password on many accounts gets far.
A successful sign-in is never counted, however many colleagues share the address.

A browser that has signed in to an account before carries a signed *device cookie* for it
(OWASP's "device cookies"): its attempts on that account count only against that cookie's own
allowance, never against the address or the account. So an attacker guessing a colleague's
password, or a typo storm behind the office NAT, can lock out browsers nobody has signed in
from, but not the colleague on the laptop they always use. A stolen device cookie gives its
thief nothing but that cookie's few attempts, and a cookie that used them up counts as unknown.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from peertrain.core.errors import DomainError
from peertrain.core.ratelimit import Attempt, RateLimit, Throttled, attempt, client_ip, parse_rates

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "peertrain_device"
DEVICE_COOKIE_MAX_AGE = timedelta(days=365)
# Only the sign-in pages read it (the admin's sign-in redirects to /accounts/login/).
DEVICE_COOKIE_PATH = "/accounts/"
DEVICE_COOKIE_SALT = "peertrain.accounts.device_cookie"
# Accounts remembered per browser (a shared kiosk); the oldest is forgotten first.
DEVICE_COOKIE_ACCOUNTS = 10


THROTTLED_CODES = ("too_many_login_attempts", "too_many_login_attempts_from_address")


class SignInThrottled(DomainError):
    """Too many failed sign-ins; ``message`` is for people, ``retry_after`` in seconds."""

    status_code = 429

    def __init__(self, message: str, *, code: str, retry_after: int):
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Limits:
    address: RateLimit
    account: RateLimit
    device: RateLimit


def _limits() -> _Limits:
    rates = parse_rates(
        settings.LOGIN_FAILED_RATE_LIMIT, setting="LOGIN_FAILED_RATE_LIMIT", scopes={"ip", "key"}
    )
    per_account = tuple(rate for rate in rates if rate.per == "key")
    return _Limits(
        address=RateLimit("sign-in:address", tuple(rate for rate in rates if rate.per == "ip")),
        account=RateLimit("sign-in:account", per_account),
        # A device cookie gets what an account gets, but counted for that browser alone.
        device=RateLimit("sign-in:device", per_account),
    )


def normalised_login(login: str) -> str:
    return login.strip().lower()


def _account_tag(login: str) -> str:
    # Keyed, so the cookie doesn't show which accounts a (shared) browser signed in to.
    return salted_hmac(DEVICE_COOKIE_SALT, normalised_login(login)).hexdigest()[:32]


def _device_entries(request: HttpRequest) -> list[list[str]]:
    """The browser's [account tag, device id] pairs, if its cookie is ours and not too old."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        entries = signing.loads(raw, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:  # forged, damaged or expired
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, list) and len(entry) == 2]


def _device_id(request: HttpRequest, login: str) -> str | None:
    tag = _account_tag(login)
    return next((device for owner, device in _device_entries(request) if owner == tag), None)


@dataclass
class SignInAttempt:
    counted: Attempt

    def succeeded(self) -> None:
        """A right password uses up nothing."""
        self.counted.undo()


def sign_in_attempt_start(request: HttpRequest, *, login: str) -> SignInAttempt:
    """Count a password attempt for ``login`` before it is checked, or raise SignInThrottled."""
    limits = _limits()
    login = normalised_login(login)
    device = _device_id(request, login)
    if device is not None:
        try:
            return SignInAttempt(attempt((limits.device, device)))
        except Throttled:
            # This browser used up its own allowance: from now on it is a stranger.
            logger.warning("Device cookie for sign-in to %s used up its attempts", login)
    address = client_ip(request)
    # Re-entering the password while signed in may come without the login (an account
    # without an email row); allauth limits that per person, so only the address counts here.
    checks = [(limits.address, address)] + ([(limits.account, login)] if login else [])
    try:
        return SignInAttempt(attempt(*checks))
    except Throttled as refused:
        logger.warning(
            "Sign-in to %s from %s refused: too many failed attempts (%s %s)",
            login,
            address,
            refused.limit.name,
            refused.rate,
        )
        raise _throttled_error(refused, limits) from refused


def _throttled_error(refused: Throttled, limits: _Limits) -> SignInThrottled:
    wait = refused.wait
    if refused.limit == limits.address:
        return SignInThrottled(
            f"Too many failed sign-ins from your network. Wait {wait} and try again, or sign "
            "in from a browser you have signed in with before.",
            code="too_many_login_attempts_from_address",
            retry_after=refused.retry_after,
        )
    return SignInThrottled(
        f"Too many failed sign-ins to this account. Wait {wait} and try again, sign in from "
        "a browser you have signed in with before, or reset your password.",
        code="too_many_login_attempts",
        retry_after=refused.retry_after,
    )


def sign_in_failures_clear(*, login: str) -> None:
    """Forget an account's failed sign-ins (its password was just reset by email)."""
    _limits().account.clear(normalised_login(login))


def device_cookie_remember(request: HttpRequest, response: HttpResponseBase, *, login: str):
    """This browser signed in to ``login``: give it a device cookie for that account (a new
    device id, so a cookie that had used up its attempts becomes good again)."""
    tag = _account_tag(login)
    others = [entry for entry in _device_entries(request) if entry[0] != tag]
    entries = [[tag, secrets.token_urlsafe(16)], *others][:DEVICE_COOKIE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(entries, salt=DEVICE_COOKIE_SALT),
        max_age=int(DEVICE_COOKIE_MAX_AGE.total_seconds()),
        path=DEVICE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
