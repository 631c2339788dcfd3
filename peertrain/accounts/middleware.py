import logging

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation

from peertrain.core.timezones import zone_named

logger = logging.getLogger(__name__)


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and user.time_zone:
            zone = zone_named(user.time_zone)
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """Show pages in the signed-in person's own language; everyone else gets the site's.

    The choice is the person's stored preference, not the browser's Accept-Language: one
    account reads one language on every device, and in the messages it is sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = settings.LANGUAGE_CODE
        if user is not None and user.is_authenticated:
            language = user.reading_language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SingleSignOnUnavailableMiddleware:
    """A company sign-in that can't talk to its provider -- down, unreachable, or
    ``OIDC_SERVER_URL`` pointing at something that isn't an OpenID provider -- answers a page
    that says so, with the password form, instead of a 500. allauth reads the provider's
    discovery document while starting the sign-in and lets such errors escape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.socialaccount.models import SocialApp
        from allauth.socialaccount.providers.base import ProviderException
        from allauth.socialaccount.providers.oauth2.client import OAuth2Error
        from requests import RequestException

        match = getattr(request, "resolver_match", None)
        if match is None or not match.func.__module__.startswith(SSO_VIEW_MODULES):
            return None
        if isinstance(exception, SocialApp.DoesNotExist):
            # allauth routes every installed provider (Microsoft's URLs are fixed), also one
            # this site hasn't switched on: that sign-in method isn't here.
            raise Http404("This sign-in method is not set up here.")
        # KeyError/TypeError/ValueError: a discovery document without the expected fields.
        failures = (
            RequestException,
            OAuth2Error,
            ProviderException,
            KeyError,
            TypeError,
            ValueError,
        )
        if not isinstance(exception, failures):
            return None
        logger.warning(
            "Company sign-in could not use its provider: %r", exception, exc_info=exception
        )
        return sso_unavailable_response(request)


SSO_VIEW_MODULES = ("allauth.socialaccount.providers.", "peertrain.accounts.oidc")


def sso_unavailable_response(request, *, status: int = 503):
    from django.shortcuts import render

    from .forms import LoginForm

    return render(
        request, "account/sso_unavailable.html", {"form": LoginForm(request=request)}, status=status
    )
