"""Company sign-in (OpenID Connect) against a real provider: existing accounts are matched
and keep their password, only a boolean ``email_verified: true`` vouches for an address,
new accounts only for verified company addresses, and a provider that is down is a page,
not a 500."""

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from peertrain.accounts.models import User

from ..factories import TEST_PASSWORD, UserFactory
from ..oidc import LOGIN_PATH, closed_port_url, provider_settings, sso_sign_in

pytestmark = pytest.mark.django_db

COMPANY = "peertrain.test"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def signup_domains(settings):
    """Sign-up open to the company's domain, as an administrator switches it on."""
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = [COMPANY]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # what the settings require with it


def signed_in_as(client) -> User | None:
    from django.contrib.auth import get_user

    user = get_user(client)
    return user if user.is_authenticated else None


def password_works(client, email: str) -> bool:
    client.logout()
    response = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    return response.status_code == 302 and response["Location"] == "/"


# --- existing accounts -----------------------------------------------------------------------
@pytest.mark.parametrize("domains", [False, True], ids=["sign-up closed", "sign-up domains"])
def test_existing_account_is_matched_on_first_sso_sign_in_and_keeps_its_password(
    client, oidc_provider, settings, domains
):
    if domains:
        settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = [COMPANY]
        settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    person = UserFactory(email=f"ada@{COMPANY}")  # made by L&D: no EmailAddress row
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)

    response = sso_sign_in(client, oidc_provider, "ada-sub")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == person
    person.refresh_from_db()
    assert person.has_usable_password()
    assert SocialAccount.objects.get(user=person).uid == "ada-sub"
    assert EmailAddress.objects.get(user=person).verified
    assert password_works(client, f"ada@{COMPANY}")


def test_the_provider_may_send_the_address_in_another_case(client, oidc_provider):
    person = UserFactory(email=f"ada@{COMPANY}")
    oidc_provider.add_person("ada-sub", email=f"Ada@{COMPANY.upper()}", email_verified=True)

    sso_sign_in(client, oidc_provider, "ada-sub")

    assert signed_in_as(client) == person


def test_returning_sso_user_signs_in_straight_away_with_sign_up_domains(
    client, oidc_provider, signup_domains
):
    person = UserFactory(email=f"ada@{COMPANY}")
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)
    sso_sign_in(client, oidc_provider, "ada-sub")
    client.logout()

    response = sso_sign_in(client, oidc_provider, "ada-sub")

    assert response["Location"] == "/"
    assert signed_in_as(client) == person


def test_an_unconfirmed_self_sign_up_loses_the_password_nobody_proved(
    client, oidc_provider, signup_domains
):
    """Someone signed up with Ada's address and never confirmed it: the password they chose
    must not survive Ada's own sign-in (allauth's reason for wiping, kept for this case)."""
    client.post(
        "/accounts/signup/",
        {
            "email": f"ada@{COMPANY}",
            "password1": "squatter passphrase",
            "password2": "squatter passphrase",
        },
    )
    squatted = User.objects.get(email=f"ada@{COMPANY}")
    assert not EmailAddress.objects.get(user=squatted).verified
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)

    sso_sign_in(client, oidc_provider, "ada-sub")

    squatted.refresh_from_db()
    assert signed_in_as(client) == squatted
    assert not squatted.has_usable_password()
    assert EmailAddress.objects.get(user=squatted).verified


def test_a_secondary_unverified_address_never_matches(client, oidc_provider, signup_domains):
    """Someone added a new hire's address to their own account (unverified): the new hire's
    sign-in must not land in that account."""
    squatter = UserFactory(email=f"sam@{COMPANY}")
    EmailAddress.objects.create(user=squatter, email=f"sam@{COMPANY}", verified=True, primary=True)
    EmailAddress.objects.create(user=squatter, email=f"nia@{COMPANY}", verified=False)
    oidc_provider.add_person("nia-sub", email=f"nia@{COMPANY}", email_verified=True, name="Nia")

    response = sso_sign_in(client, oidc_provider, "nia-sub")

    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert response.status_code == 403
    assert "already" in response.content.decode()


# --- password users when sign-up domains are set ------------------------------------------
def test_accounts_made_by_ld_still_sign_in_with_a_password_when_sign_up_opens(
    client, signup_domains
):
    UserFactory(email=f"ada@{COMPANY}")

    assert password_works(client, f"ada@{COMPANY}")


def test_an_unconfirmed_self_sign_up_still_has_to_confirm(client, signup_domains):
    form = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}
    client.post("/accounts/signup/", form | {"email": f"new@{COMPANY}"})

    response = client.post(
        "/accounts/login/", {"login": f"new@{COMPANY}", "password": "a long enough passphrase"}
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_as(client) is None


# --- what counts as verified -------------------------------------------------------------
@pytest.mark.parametrize(
    "claims",
    [
        {"email_verified": "false"},
        {"email_verified": "true"},
        {"email_verified": 1},
        {"email_verified": False},
        {},
    ],
    ids=["string false", "string true", "number 1", "false", "missing"],
)
@pytest.mark.parametrize("domains", [False, True], ids=["sign-up closed", "sign-up domains"])
def test_a_claim_that_is_not_boolean_true_never_signs_in_as_a_colleague(
    client, oidc_provider, settings, claims, domains
):
    if domains:
        settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = [COMPANY]
        settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    colleague = UserFactory(email=f"ceo@{COMPANY}")
    oidc_provider.add_person("mallory", email=f"ceo@{COMPANY}", **claims)

    response = sso_sign_in(client, oidc_provider, "mallory")

    assert signed_in_as(client) is None
    assert response.status_code == 403
    assert "did not confirm" in response.content.decode()
    assert not SocialAccount.objects.exists()
    colleague.refresh_from_db()
    assert colleague.has_usable_password()
    assert User.objects.count() == 1


def test_an_unverified_claim_creates_no_account(client, oidc_provider, signup_domains):
    oidc_provider.add_person("nia-sub", email=f"nia@{COMPANY}", email_verified="true")

    response = sso_sign_in(client, oidc_provider, "nia-sub")

    assert response.status_code == 403
    assert not User.objects.exists()


# --- new accounts ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claims", "display_name"),
    [
        ({"name": "Nia Hire", "given_name": "Nia", "family_name": "Hire"}, "Nia Hire"),
        ({"given_name": "Nia", "family_name": "Hire"}, "Nia Hire"),
        ({"given_name": "Nia"}, "Nia"),
        ({}, ""),
    ],
)
def test_new_hire_at_a_company_domain_gets_an_account_named_from_the_claims(
    client, oidc_provider, signup_domains, claims, display_name
):
    oidc_provider.add_person("nia-sub", email=f"nia@{COMPANY}", email_verified=True, **claims)

    response = sso_sign_in(client, oidc_provider, "nia-sub")

    assert response["Location"] == "/"
    user = User.objects.get(email=f"nia@{COMPANY}")
    assert signed_in_as(client) == user
    assert user.display_name == display_name
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified


def test_an_address_outside_the_company_domains_is_refused_with_the_reason(
    client, oidc_provider, signup_domains
):
    oidc_provider.add_person("gmail-sub", email="nia@gmail.com", email_verified=True)

    response = sso_sign_in(client, oidc_provider, "gmail-sub")
    page = response.content.decode()

    assert response.status_code == 403
    assert "nia@gmail.com" in page
    assert COMPANY in page
    assert 'href="/accounts/login/"' in page
    assert not User.objects.exists()


def test_without_sign_up_domains_sso_makes_no_accounts_and_says_so(client, oidc_provider):
    oidc_provider.add_person("nia-sub", email=f"nia@{COMPANY}", email_verified=True)

    response = sso_sign_in(client, oidc_provider, "nia-sub")

    assert response.status_code == 403
    assert "no PeerTrain account" in response.content.decode()
    assert not User.objects.exists()


# --- the provider is down or misconfigured ---------------------------------------------------
def test_an_unreachable_provider_is_a_page_with_the_password_form(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(closed_port_url())

    response = client.post(LOGIN_PATH)
    page = response.content.decode()

    assert response.status_code == 503
    assert "Company sign-in is unavailable" in page
    assert 'data-testid="login-form"' in page


@pytest.mark.parametrize("path", ["/wrong-path", "/users/someone"])
def test_a_wrong_server_url_is_a_page_not_a_500(client, settings, oidc_server, path):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(oidc_server.url + path)

    response = client.post(LOGIN_PATH)

    assert response.status_code == 503
    assert "Company sign-in is unavailable" in response.content.decode()


def test_a_discovery_document_without_endpoints_is_a_page_not_a_500(client, settings, oidc_server):
    # The provider's key set is JSON, but not an OpenID configuration.
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(
        f"{oidc_server.url}/jwks?/.well-known/openid-configuration"
    )

    response = client.post(LOGIN_PATH)

    assert response.status_code == 503


def test_the_provider_going_down_before_the_callback_is_a_page_not_a_500(
    client, oidc_provider, settings
):
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)
    start = client.post(LOGIN_PATH)
    callback = oidc_provider.authorize(start["Location"], "ada-sub")
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(closed_port_url())

    response = client.get(callback.replace("http://testserver", ""))

    assert response.status_code in {502, 503}
    assert 'data-testid="login-form"' in response.content.decode()
    assert signed_in_as(client) is None


def test_a_callback_for_an_unknown_provider_is_not_found(client, oidc_provider):
    assert client.get("/accounts/oidc/nobody/login/callback/?code=x&state=y").status_code == 404


def test_a_cancelled_provider_sign_in_returns_to_the_sign_in_page_saying_so(client, oidc_provider):
    from urllib.parse import parse_qs, urlsplit

    start = client.post(LOGIN_PATH)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    # What a provider answers when the person clicks "Cancel" (RFC 6749 4.1.2.1). The mock's
    # own Deny button leaves out the state, which the next test covers.
    response = client.get(
        f"/accounts/oidc/oidc/login/callback/?error=access_denied&state={state}", follow=True
    )
    page = response.content.decode()

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "You cancelled signing in with Company sign-in." in page
    assert 'data-testid="login-form"' in page
    assert signed_in_as(client) is None


def test_a_provider_error_without_state_is_a_page_with_the_password_form(client, oidc_provider):
    import requests

    start = client.post(LOGIN_PATH)
    denied = requests.post(
        start["Location"], data={"action": "deny"}, allow_redirects=False, timeout=5
    )

    response = client.get(denied.headers["Location"].replace("http://testserver", ""))

    assert response.status_code == 502
    assert "Company sign-in is unavailable" in response.content.decode()
    assert 'data-testid="login-form"' in response.content.decode()
    assert signed_in_as(client) is None


# --- signing out at the provider (RP-initiated logout) --------------------------------------
def test_sso_session_may_sign_out_at_the_provider_too(client, oidc_provider):
    from urllib.parse import parse_qs, urlsplit

    UserFactory(email=f"ada@{COMPANY}")
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)
    sso_sign_in(client, oidc_provider, "ada-sub")

    menu = client.get("/").content.decode()
    page = client.get("/accounts/logout/").content.decode()
    response = client.post("/accounts/logout/", {"at_provider": "1"})

    assert '<a class="dropdown-item" href="/accounts/logout/">Sign out</a>' in menu
    assert "Sign out of PeerTrain and Company sign-in" in page
    assert "Sign out of PeerTrain only" in page
    target = urlsplit(response["Location"])
    assert (
        f"{target.scheme}://{target.netloc}{target.path}"
        == f"{oidc_provider.url}/oauth2/end_session"
    )
    query = parse_qs(target.query)
    assert query["client_id"] == ["peertrain"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    hint = jwt.decode(query["id_token_hint"][0], options={"verify_signature": False})
    assert hint["sub"] == "ada-sub"
    assert "peertrain" in hint["aud"]
    assert signed_in_as(client) is None


def test_sso_session_may_sign_out_of_peertrain_only(client, oidc_provider):
    UserFactory(email=f"ada@{COMPANY}")
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)
    sso_sign_in(client, oidc_provider, "ada-sub")

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None


def test_password_session_is_not_sent_to_the_provider(client, oidc_provider, employee):
    client.post("/accounts/login/", {"login": employee.email, "password": TEST_PASSWORD})

    menu = client.get("/").content.decode()
    page = client.get("/accounts/logout/").content.decode()
    response = client.post("/accounts/logout/", {"at_provider": "1"})

    assert '<button type="submit" class="dropdown-item">Sign out</button>' in menu
    assert "Company sign-in" not in page
    assert response["Location"] == "/accounts/login/"


@pytest.mark.parametrize("reason", ["switched off", "provider down"])
def test_without_a_provider_end_session_signing_out_still_works(
    client, oidc_provider, settings, reason
):
    UserFactory(email=f"ada@{COMPANY}")
    oidc_provider.add_person("ada-sub", email=f"ada@{COMPANY}", email_verified=True)
    sso_sign_in(client, oidc_provider, "ada-sub")
    if reason == "switched off":
        settings.SSO_LOGOUT_AT_PROVIDER = False
    else:
        settings.SOCIALACCOUNT_PROVIDERS = provider_settings(closed_port_url())

    page = client.get("/accounts/logout/").content.decode()
    response = client.post("/accounts/logout/", {"at_provider": "1"})

    assert "doesn't let PeerTrain sign you out there" in page
    assert response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "path", ["/accounts/microsoft/login/", "/accounts/microsoft/login/callback/"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_sign_in_method_not_switched_on_is_not_found(client, db, path, method):
    """allauth routes Microsoft's fixed URLs whether or not MICROSOFT_CLIENT_ID is set; without
    it they were a 500 (SocialApp.DoesNotExist)."""
    response = getattr(client, method)(path)
    assert response.status_code == 404
