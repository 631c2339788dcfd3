"""allauth hooks: who may sign up, how company sign-in matches and creates accounts, every
account email goes through the outbox, and failed sign-ins are limited the office-friendly way
(``sign_in_limits``)."""

import logging
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render

from peertrain.core.ratelimit import client_ip
from peertrain.core.redirects import local_path
from peertrain.notifications.notify import notify

from . import sso
from .middleware import sso_unavailable_response
from .models import User
from .services import user_address_confirm_by_provider, user_address_vouch
from .sign_in_limits import (
    SignInAttempt,
    SignInThrottled,
    device_cookie_remember,
    sign_in_attempt_start,
    sign_in_failures_clear,
)
from .sso import email_domain_allowed

__all__ = ["AccountAdapter", "SocialAccountAdapter", "email_domain_allowed"]

logger = logging.getLogger(__name__)


def site_for_mail() -> SimpleNamespace:
    """What allauth's mail templates call ``current_site``: PeerTrain's name and address
    (django.contrib.sites' default row says "example.com")."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    # The password attempt pre_authenticate counted, marked a success in authenticate.
    _sign_in_attempt: SignInAttempt | None = None

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS and not email_domain_allowed(email):
            allowed = ", ".join(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS)
            raise forms.ValidationError(f"Use your work email address (ending in {allowed}).")
        return email

    def pre_login(self, request: HttpRequest, user, **kwargs):
        # Before allauth's verification step: an address the organisation gave counts as proven.
        user_address_vouch(user=user)
        return super().pre_login(request, user, **kwargs)

    def is_safe_url(self, url: str | None) -> bool:
        """A ``next`` for sign-in, sign-out and sign-up: a path on this site only, the rule
        every form here follows (allauth's own accepts ``abc`` and same-site absolute URLs)."""
        return local_path(url) is not None

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Signing out "of company sign-in too" continues at the provider's end-session
        endpoint (RP-initiated logout), which comes back to the sign-in page."""
        if request.method == "POST" and request.POST.get("at_provider"):
            url = sso.session_logout_url(request)
            if url:
                return url
        return super().get_logout_redirect_url(request)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own limits (sign-up, password reset) count per the same address."""
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Replaces allauth's failed-login limit (``login_failed`` is off in the settings)."""
        self._sign_in_attempt = None
        try:
            self._sign_in_attempt = sign_in_attempt_start(
                request, login=credentials.get("email") or credentials.get("username") or ""
            )
        except SignInThrottled as refused:
            raise forms.ValidationError(
                str(refused), code=refused.code, params={"retry_after": refused.retry_after}
            ) from refused

    def authenticate(self, request: HttpRequest, **credentials):
        # allauth calls pre_authenticate first in here, which starts (or resets) the attempt.
        user = super().authenticate(request, **credentials)
        if user is not None and self._sign_in_attempt is not None:
            self._sign_in_attempt.succeeded()
        return user

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials) -> None:
        """allauth calls this after a password reset by email: the account is unlocked."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        sign_in_failures_clear(login=credentials.get("email", ""))

    def post_login(self, request: HttpRequest, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        device_cookie_remember(request, response, login=user.email)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's mail through ``notify``: its kind is ``account.<name>``
        (``accounts/notifications.py``), rendered from allauth's templates (or ours that
        override them) by templates/notifications/account/, and recorded in the outbox for
        the worker. Account mails carry one-time links, so their body is wiped once sent."""
        user = context.get("user")
        notify(
            recipient=user if getattr(user, "pk", None) else None,
            email=email,
            kind=f"account.{template_prefix.rsplit('/', 1)[-1]}",
            key=f"account:{uuid.uuid4()}",
            context={
                "email": email,
                "current_site": site_for_mail(),
                **context,
                "template_prefix": template_prefix,
            },
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Company sign-in. The provider's claims are read once, strictly (``sso.identity_of``):
    only an address the provider really vouched for is marked verified, and only a verified
    address equal to an account's own address signs in to that account."""

    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        identity = sso.identity_of(sociallogin)
        # allauth copied the claim as given ("false" is truthy); what counts is our reading.
        for address in sociallogin.email_addresses:
            address.verified = identity.vouches_for(address.email)
        user.email = (user.email or "").lower()
        user.display_name = identity.display_name
        return user

    def authenticate_by_email(self, sociallogin):
        """Match an existing account only by its own address (``User.email``), never by a
        secondary address someone added to their account without proving it."""
        for address in sociallogin.email_addresses:
            if address.verified is not True:
                continue
            if not self.can_authenticate_by_email(sociallogin, address.email):
                continue
            user = User.objects.filter(email__iexact=address.email).first()
            if user is not None:
                sociallogin.peertrain_linking = True
                return user, address.email
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        identity = sso.identity_of(sociallogin)
        if sociallogin.is_existing:
            if identity.vouches_for(sociallogin.user.email):
                user_address_confirm_by_provider(
                    user=sociallogin.user,
                    email=sociallogin.user.email,  # the address the provider vouched for
                    provider=sociallogin.account.provider,
                    linking=getattr(sociallogin, "peertrain_linking", False),
                )
            return
        refusal = sso.account_refusal(identity)
        if refusal is not None:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "account/sso_refused.html",
                    {
                        "reason": refusal,
                        "email": identity.email,
                        "provider_name": sociallogin.provider.name,
                        "allowed_domains": settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS,
                    },
                    status=403,
                )
            )

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """The same rule as ``pre_social_login`` applies, which has explained any refusal."""
        return sso.account_refusal(sso.identity_of(sociallogin)) is None

    def on_authentication_error(
        self, request: HttpRequest, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Back from the provider without a sign-in: cancelled there, or the provider (or
        the way to it) failed. Either way the person gets the password form, never a dead end."""
        from allauth.socialaccount.providers.base.constants import AuthError
        from requests import RequestException

        if error == AuthError.CANCELLED:
            messages.info(request, f"You cancelled signing in with {provider.name}.")
            raise ImmediateHttpResponse(redirect("account_login"))
        logger.warning(
            "Company sign-in with %s failed: %s %r",
            provider.id,
            error,
            exception,
            exc_info=exception,
        )
        unreachable = isinstance(exception, RequestException)
        raise ImmediateHttpResponse(
            sso_unavailable_response(request, status=503 if unreachable else 502)
        )
