"""allauth's OpenID Connect callback, keeping the raw ID token for signing out at the provider.

RP-initiated logout sends ``id_token_hint``: several providers (Okta, Duende IdentityServer)
only return to PeerTrain after signing out, or skip their confirmation page, when they get it.
allauth decodes the ID token and drops the raw one, so this callback keeps it in the session
(which ends at sign-out). Everything else is allauth's view, unchanged.
"""

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest

ID_TOKEN_SESSION_KEY = "sso_id_token"  # noqa: S105 - a session key name, not a secret


class IdTokenKeepingAdapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        id_token = kwargs.get("response", {}).get("id_token")
        if isinstance(id_token, str):
            request.session[ID_TOKEN_SESSION_KEY] = id_token
        return login


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    """Anyone: the provider sends the browser back here (allauth checks the state)."""
    try:
        view = OAuth2CallbackView.adapter_view(IdTokenKeepingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
