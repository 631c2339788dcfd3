"""What counts as a verified address for each provider, on the claim sets real providers send.

Microsoft can't be run locally, so its rules are tested here on Microsoft-shaped data, through
allauth's own Microsoft provider code (``sociallogin_from_response``) and the whole sign-in
flow after the provider round trip (``complete_social_login``). The OpenID Connect round trip
itself is in test_sso.py, against a real provider.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware

from peertrain.accounts.models import User
from peertrain.accounts.sso import ProviderIdentity, identity_from_claims

from ..factories import UserFactory

COMPANY = "contoso.com"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
ENTRA_ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"


# --- OpenID Connect ------------------------------------------------------------------------
def oidc(userinfo=None, id_token=None) -> ProviderIdentity:
    data = {}
    if userinfo is not None:
        data["userinfo"] = userinfo
    if id_token is not None:
        data["id_token"] = id_token
    return identity_from_claims("openid_connect", data)


@pytest.mark.parametrize(
    ("value", "verified"),
    [(True, True), (False, False), ("true", False), ("false", False), (1, False), (None, False)],
)
def test_only_the_json_boolean_true_verifies_an_address(value, verified):
    identity = oidc(userinfo={"sub": "1", "email": "ada@contoso.com", "email_verified": value})

    assert identity.email == "ada@contoso.com"
    assert identity.email_verified is verified


def test_a_missing_email_verified_claim_is_not_verified():
    assert not oidc(userinfo={"sub": "1", "email": "ada@contoso.com"}).email_verified


def test_the_id_token_vouches_when_userinfo_leaves_the_claim_out():
    identity = oidc(
        userinfo={"sub": "1", "email": "Ada@Contoso.com"},
        id_token={
            "iss": "https://id.contoso.com",
            "email": "ada@contoso.com",
            "email_verified": True,
        },
    )

    assert identity.email == "ada@contoso.com"
    assert identity.email_verified


def test_a_source_that_denies_the_address_wins():
    identity = oidc(
        userinfo={"sub": "1", "email": "ada@contoso.com", "email_verified": True},
        id_token={
            "iss": "https://id.contoso.com",
            "email": "ada@contoso.com",
            "email_verified": "false",
        },
    )

    assert not identity.email_verified


def test_a_verified_id_token_address_does_not_vouch_for_another_userinfo_address():
    identity = oidc(
        userinfo={"sub": "1", "email": "ceo@contoso.com"},
        id_token={
            "iss": "https://id.contoso.com",
            "email": "ada@contoso.com",
            "email_verified": True,
        },
    )

    assert identity.email == "ceo@contoso.com"
    assert not identity.email_verified


@pytest.mark.parametrize("email", [None, "", "not an address", ["ada@contoso.com"], 42])
def test_a_malformed_email_claim_is_no_address(email):
    identity = oidc(userinfo={"sub": "1", "email": email, "email_verified": True})

    assert identity.email is None
    assert not identity.email_verified


def test_flat_claims_from_older_allauth_are_read_too():
    identity = identity_from_claims(
        "openid_connect", {"sub": "1", "email": "ada@contoso.com", "email_verified": True}
    )

    assert identity.email_verified


# --- Microsoft Entra ID through OpenID Connect (ID token optional claims) -----------------------
def entra_id_token(**claims) -> dict:
    return {"iss": ENTRA_ISSUER, "tid": TENANT, "sub": "x", "email": "ada@contoso.com", **claims}


def test_entra_xms_edov_true_verifies_the_email_claim():
    """Entra sends no email_verified; its optional claim xms_edov says the email's domain is
    one the user's tenant verified."""
    identity = oidc(
        userinfo={"sub": "x", "email": "ada@contoso.com", "name": "Ada Lovelace"},
        id_token=entra_id_token(xms_edov=True),
    )

    assert identity.email_verified
    assert identity.display_name == "Ada Lovelace"


@pytest.mark.parametrize("value", ["true", "1", 1, False, None])
def test_entra_xms_edov_must_be_the_boolean_true(value):
    assert not oidc(id_token=entra_id_token(xms_edov=value)).email_verified


def test_entra_email_claim_alone_is_not_verified():
    """Entra's email claim comes from a mutable attribute; without xms_edov it proves nothing."""
    assert not oidc(id_token=entra_id_token()).email_verified


def test_xms_edov_counts_only_in_a_token_microsoft_issued():
    token = entra_id_token(xms_edov=True, iss="https://id.example.net")

    assert not oidc(id_token=token).email_verified


def test_xms_edov_never_overrides_an_explicit_email_verified():
    assert not oidc(id_token=entra_id_token(xms_edov=True, email_verified=False)).email_verified


# --- Display names -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"name": "  Ada   Lovelace "}, "Ada Lovelace"),
        ({"name": "Ada\x00\u202eLovelace\n"}, "Ada Lovelace"),
        ({"name": "", "given_name": "Ada", "family_name": "Lovelace"}, "Ada Lovelace"),
        ({"name": ["Ada"], "family_name": "Lovelace"}, "Lovelace"),
        ({"name": "A" * 400}, "A" * 150),
        ({}, ""),
    ],
)
def test_display_name_comes_from_the_name_claims_as_one_clean_line(claims, expected):
    identity = oidc(userinfo={"sub": "1", "email": "ada@contoso.com", **claims})

    assert identity.display_name == expected


# --- Microsoft (allauth's Graph provider) --------------------------------------------------
def graph_me(**fields) -> dict:
    """What GET https://graph.microsoft.com/v1.0/me answers, as allauth's Microsoft provider
    keeps it."""
    me = {
        "id": "0f3e1c1a-1111-4a44-9c9c-000000000001",
        "displayName": "Ada Lovelace",
        "givenName": "Ada",
        "surname": "Lovelace",
        "userPrincipalName": f"ada@{COMPANY}",
        "mail": f"ada@{COMPANY}",
        "jobTitle": None,
    }
    me.update(fields)
    return me


@pytest.mark.parametrize(
    ("fields", "email", "verified"),
    [
        ({}, f"ada@{COMPANY}", True),
        ({"mail": None}, f"ada@{COMPANY}", True),  # no mailbox: the UPN is the address
        ({"mail": f"Ada.Lovelace@{COMPANY.upper()}"}, f"ada.lovelace@{COMPANY}", True),
        # nOAuth: another tenant's admin set "mail" to a Contoso address.
        (
            {"userPrincipalName": "mallory@fabrikam.onmicrosoft.com", "mail": f"ceo@{COMPANY}"},
            f"ceo@{COMPANY}",
            False,
        ),
        # A guest: the UPN is in the host tenant's domain, the mail is their own.
        (
            {
                "userPrincipalName": "nia_gmail.com#EXT#@contoso.onmicrosoft.com",
                "mail": "nia@gmail.com",
            },
            "nia@gmail.com",
            False,
        ),
        (
            {"userPrincipalName": f"nia_gmail.com#EXT#@{COMPANY}", "mail": None},
            f"nia_gmail.com#ext#@{COMPANY}",
            False,
        ),
        ({"userPrincipalName": None, "mail": f"ada@{COMPANY}"}, f"ada@{COMPANY}", False),
    ],
    ids=["mail is upn", "no mail", "mail at upn domain", "noauth", "guest", "guest upn", "no upn"],
)
def test_microsoft_graph_mail_counts_only_at_the_upn_domain(fields, email, verified):
    identity = identity_from_claims("microsoft", graph_me(**fields))

    assert identity.email == email
    assert identity.email_verified is verified


def test_microsoft_display_name_is_the_directory_display_name():
    assert identity_from_claims("microsoft", graph_me()).display_name == "Ada Lovelace"
    nameless = graph_me(displayName=None)

    assert identity_from_claims("microsoft", nameless).display_name == "Ada Lovelace"


def test_unknown_providers_vouch_for_nothing():
    identity = identity_from_claims("github", {"email": "ada@contoso.com", "email_verified": True})

    assert not identity.email_verified


# --- The whole sign-in after Microsoft's round trip -----------------------------------------
@pytest.fixture
def microsoft(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "microsoft": {
            "APPS": [{"client_id": "app-id", "secret": "s3cret", "settings": {"tenant": TENANT}}]
        }
    }
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = [COMPANY]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    from django.core.cache import cache

    cache.clear()


def microsoft_sign_in(rf, me: dict):
    """Everything after Microsoft answered: allauth's Microsoft provider reads the Graph
    profile, then the usual matching, creation and sign-in."""
    request = rf.get("/accounts/microsoft/login/callback/")
    for middleware in (SessionMiddleware, AuthenticationMiddleware, MessageMiddleware):
        middleware(lambda r: None).process_request(request)
    with context.request_context(request):
        provider = get_adapter(request).get_provider(request, "microsoft")
        sociallogin = provider.sociallogin_from_response(request, me)
        sociallogin.state = {"process": "login"}
        response = complete_social_login(request, sociallogin)
    return request, response


@pytest.mark.django_db
def test_microsoft_existing_account_is_matched_and_keeps_its_password(rf, microsoft):
    person = UserFactory(email=f"ada@{COMPANY}")

    request, response = microsoft_sign_in(rf, graph_me())

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert request.user == person
    person.refresh_from_db()
    assert person.has_usable_password()
    assert SocialAccount.objects.get(user=person).provider == "microsoft"
    assert EmailAddress.objects.get(user=person).verified


@pytest.mark.django_db
def test_microsoft_mail_set_by_another_tenant_is_refused(rf, microsoft):
    ceo = UserFactory(email=f"ceo@{COMPANY}")
    me = graph_me(userPrincipalName="mallory@fabrikam.onmicrosoft.com", mail=f"ceo@{COMPANY}")

    request, response = microsoft_sign_in(rf, me)

    assert response.status_code == 403
    assert "did not confirm" in response.content.decode()
    assert not request.user.is_authenticated
    assert not SocialAccount.objects.exists()
    ceo.refresh_from_db()
    assert ceo.has_usable_password()


@pytest.mark.django_db
def test_microsoft_new_hire_gets_an_account_with_the_directory_name(rf, microsoft):
    me = graph_me(userPrincipalName=f"nia@{COMPANY}", mail=None, displayName="Nia Hire")

    request, response = microsoft_sign_in(rf, me)

    assert response["Location"] == "/"
    user = User.objects.get(email=f"nia@{COMPANY}")
    assert request.user == user
    assert user.display_name == "Nia Hire"


@pytest.mark.django_db
def test_microsoft_guest_from_outside_is_refused(rf, microsoft):
    me = graph_me(
        userPrincipalName="nia_gmail.com#EXT#@contoso.onmicrosoft.com", mail="nia@gmail.com"
    )

    _, response = microsoft_sign_in(rf, me)

    assert response.status_code == 403
    assert not User.objects.exists()
