from functools import cached_property

from django.http import HttpRequest

from . import sso


class SingleSignOnSession:
    """What the account menu and the sign-out page need to know about a company sign-in.
    Lazy: the provider's discovery document is read (and cached) only by the sign-out page."""

    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def provider(self) -> str | None:
        return sso.session_provider(self.request)

    @cached_property
    def provider_name(self) -> str:
        from allauth.socialaccount.adapter import get_adapter

        try:
            return get_adapter(self.request).get_provider(self.request, self.provider).name
        except Exception:  # unconfigured since this session signed in
            return "company sign-in"

    @cached_property
    def can_sign_out_at_provider(self) -> bool:
        return bool(self.provider and sso.session_logout_url(self.request))


def single_sign_on(request: HttpRequest) -> dict:
    return {"sso": SingleSignOnSession(request)}
