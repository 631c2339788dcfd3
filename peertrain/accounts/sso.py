"""Company sign-in: what a provider's claims say about a person, and who may get an account.

A provider "vouches" for an address only in a way that can't be faked by a person editing
their own profile:

* OpenID Connect: the JSON boolean ``email_verified: true``. A string (``"true"``,
  ``"false"``), a number or a missing claim is not verified -- ``"false"`` is truthy in
  Python, which once let an identity claiming a colleague's address sign in as them. For
  Microsoft Entra ID (which sends no ``email_verified``) the boolean optional claim
  ``xms_edov: true`` ("email domain owner verified") in an Entra-issued ID token counts too.
  Any source (userinfo or ID token) carrying the address that says otherwise wins.
* Microsoft (allauth's Graph provider): Graph's ``mail`` is a free-text attribute that a
  tenant's administrators -- any tenant's -- can set to anything, so it counts only when its
  domain is the domain of the ``userPrincipalName``, which Entra only allows in a domain the
  tenant has proved it owns (guest accounts, ``…#EXT#@…``, never count).
"""

import re
import unicodedata
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings

from .models import User

DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
ENTRA_ISSUERS = (
    "https://login.microsoftonline.com/",
    "https://login.microsoftonline.us/",
    "https://login.partner.microsoftonline.cn/",
    "https://sts.windows.net/",
)


@dataclass(frozen=True)
class ProviderIdentity:
    """The address a provider gave (lower-cased), whether it vouched for it, and a name."""

    email: str | None
    email_verified: bool
    display_name: str

    def vouches_for(self, email: str | None) -> bool:
        return bool(self.email_verified and email and email.lower() == self.email)


def identity_from_claims(provider: str, data: object) -> ProviderIdentity:
    """``provider`` is allauth's provider type (``openid_connect``, ``microsoft``); ``data``
    what allauth keeps as the account's ``extra_data``. Unknown providers vouch for nothing."""
    if not isinstance(data, dict):
        return ProviderIdentity(email=None, email_verified=False, display_name="")
    if provider == "openid_connect":
        return _openid_connect_identity(data)
    if provider == "microsoft":
        return _microsoft_graph_identity(data)
    return ProviderIdentity(
        email=_address(data.get("email")), email_verified=False, display_name=""
    )


def identity_of(sociallogin) -> ProviderIdentity:
    return identity_from_claims(sociallogin.provider.id, sociallogin.account.extra_data)


def _openid_connect_identity(data: dict) -> ProviderIdentity:
    userinfo, id_token = data.get("userinfo"), data.get("id_token")
    if not isinstance(userinfo, dict) and not isinstance(id_token, dict):
        userinfo, id_token = data, None  # allauth before 65.11 kept the claims flat
    sources = [claims for claims in (userinfo, id_token) if isinstance(claims, dict) and claims]
    # The address is the one allauth uses: userinfo's, else the ID token's.
    email = next((_address(claims.get("email")) for claims in sources), None)
    issuer = id_token.get("iss") if isinstance(id_token, dict) else None
    carrying = [claims for claims in sources if _address(claims.get("email")) == email]
    verified = (
        email is not None
        and any(_vouches(claims, issuer) for claims in carrying)
        and not any(_denies(claims) for claims in carrying)
    )
    return ProviderIdentity(
        email=email,
        email_verified=verified,
        display_name=_name(sources, "name", "given_name", "family_name"),
    )


def _vouches(claims: dict, issuer) -> bool:
    if claims.get("email_verified") is True:
        return True
    entra = isinstance(issuer, str) and issuer.startswith(ENTRA_ISSUERS)
    return entra and claims.get("iss") == issuer and claims.get("xms_edov") is True


def _denies(claims: dict) -> bool:
    return "email_verified" in claims and claims["email_verified"] is not True


def _microsoft_graph_identity(data: dict) -> ProviderIdentity:
    upn = _address(data.get("userPrincipalName"))
    email = _address(data.get("mail")) or upn
    upn_domain = _domain(upn) if upn and "#ext#" not in upn else None
    return ProviderIdentity(
        email=email,
        email_verified=bool(email and upn_domain and _domain(email) == upn_domain),
        display_name=_name([data], "displayName", "givenName", "surname"),
    )


def _address(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else None


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[1]


def _name(sources: list[dict], full: str, given: str, family: str) -> str:
    for claims in sources:
        name = _clean(claims.get(full)) or " ".join(
            part for part in (_clean(claims.get(given)), _clean(claims.get(family))) if part
        )
        if name:
            return name[:DISPLAY_NAME_MAX].strip()
    return ""


def _clean(value) -> str:
    """A name as one line of text: control and format characters out, spaces collapsed."""
    if not isinstance(value, str):
        return ""
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in value)
    return " ".join(kept.split())


# --- who may get an account through company sign-in -----------------------------------------
REFUSAL_NO_ADDRESS = "no_address"
REFUSAL_UNVERIFIED = "unverified"
REFUSAL_TAKEN = "taken"
REFUSAL_CLOSED = "closed"
REFUSAL_OUTSIDE = "outside"


def email_domain_allowed(email: str) -> bool:
    return _domain(email.lower()) in settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS


def account_refusal(identity: ProviderIdentity) -> str | None:
    """Why company sign-in may not create an account for this identity, or None.

    Called only when no existing account matched: existing accounts are matched by a
    verified address equal to their own (see ``SocialAccountAdapter.authenticate_by_email``).
    """
    if identity.email is None:
        return REFUSAL_NO_ADDRESS
    if not identity.email_verified:
        return REFUSAL_UNVERIFIED
    taken = (
        User.objects.filter(email__iexact=identity.email).exists()
        or EmailAddress.objects.filter(email__iexact=identity.email).exists()
    )
    if taken:
        return REFUSAL_TAKEN
    if not settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS:
        return REFUSAL_CLOSED
    if not email_domain_allowed(identity.email):
        return REFUSAL_OUTSIDE
    return None


# --- signing out at the provider (RP-initiated logout) --------------------------------------
DISCOVERY_CACHE_SECONDS = 600
DISCOVERY_FAILURE_CACHE_SECONDS = 60
DISCOVERY_TIMEOUT_SECONDS = 3


def session_provider(request) -> str | None:
    """The provider (allauth's id, e.g. ``oidc``) this browser session signed in with, if the
    sign-in was a company sign-in."""
    from allauth.account.authentication import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    for record in reversed(get_authentication_records(request, user)):
        if record.get("method") == "socialaccount" and record.get("provider"):
            return record["provider"]
        if record.get("method") == "password":
            return None
    return None


def session_logout_url(request) -> str | None:
    """Where to send the browser to sign out of the provider as well, then come back to
    PeerTrain's sign-in page; None when the provider offers no such endpoint or can't be
    reached (signing out of PeerTrain must work regardless)."""
    from allauth.socialaccount.adapter import get_adapter
    from django.urls import reverse
    from django.utils.http import urlencode

    key = session_provider(request)
    if key is None or not settings.SSO_LOGOUT_AT_PROVIDER:
        return None
    try:
        provider = get_adapter(request).get_provider(request, key)
    except Exception:  # the provider was unconfigured since this session signed in
        return None
    back = request.build_absolute_uri(reverse("account_login"))
    if provider.id == "openid_connect":
        from .oidc import ID_TOKEN_SESSION_KEY

        endpoint = _end_session_endpoint(provider.app.settings.get("server_url", ""))
        params = {"client_id": provider.app.client_id, "post_logout_redirect_uri": back}
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        if id_token:
            params["id_token_hint"] = id_token
    elif provider.id == "microsoft":
        app_settings = provider.app.settings
        login_url = app_settings.get("login_url", "https://login.microsoftonline.com")
        endpoint = f"{login_url}/{app_settings.get('tenant', 'common')}/oauth2/v2.0/logout"
        params = {"post_logout_redirect_uri": back}
    else:
        return None
    if not endpoint:
        return None
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def _end_session_endpoint(server_url: str) -> str | None:
    """The provider's ``end_session_endpoint`` from its discovery document, cached."""
    import requests
    from django.core.cache import cache

    if not server_url:
        return None
    if "/.well-known/" not in server_url:
        server_url = server_url.rstrip("/") + "/.well-known/openid-configuration"
    cache_key = f"sso:end-session:{server_url}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached or None
    try:
        response = requests.get(server_url, timeout=DISCOVERY_TIMEOUT_SECONDS)
        response.raise_for_status()
        endpoint = response.json().get("end_session_endpoint")
    except (requests.RequestException, ValueError, AttributeError):
        cache.set(cache_key, "", DISCOVERY_FAILURE_CACHE_SECONDS)
        return None
    endpoint = endpoint if isinstance(endpoint, str) and endpoint.startswith("http") else ""
    cache.set(cache_key, endpoint, DISCOVERY_CACHE_SECONDS)
    return endpoint or None
