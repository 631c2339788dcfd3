"""Company sign-in in a real browser against a real OpenID Connect provider (oidc-provider-mock,
started by the test): the journeys of issue 10, on the demo data."""

import re

import pytest
from playwright.sync_api import Page, expect

from peertrain.accounts.models import User

from ..oidc import PROVIDER_NAME, closed_port_url, provider_settings
from .conftest import login_page, sign_in

pytestmark = pytest.mark.e2e

# The provider's own pages link a stylesheet on a CDN; nothing may leave this machine.
OFF_MACHINE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")


@pytest.fixture
def sso(demo, oidc_server, settings, page: Page):
    """Demo data, sign-up open to the demo's company domain, the provider configured."""
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(oidc_server.url)
    settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS = ["example.com"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    page.context.route(OFF_MACHINE, lambda route: route.abort())
    return oidc_server


def sso_sign_in(page: Page, live_server, sub: str) -> None:
    """Click the company sign-in button, sign in as ``sub`` on the provider's page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_existing_colleague_is_matched_and_keeps_their_password(sso, page, live_server):
    sso.add_person(
        "eli-sub", email="employee@example.com", email_verified=True, name="Someone Else"
    )

    sso_sign_in(page, live_server, "eli-sub")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Hello, Eli")).to_be_visible()  # name kept
    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out of PeerTrain only").click()
    expect(page).to_have_url(login_page(live_server))

    sign_in(page, live_server, "employee@example.com")  # the demo password still works
    expect(page).to_have_url(f"{live_server.url}/")
    assert User.objects.get(email="employee@example.com").socialaccount_set.count() == 1


def test_new_hire_at_the_company_domain_gets_an_account_with_their_name(sso, page, live_server):
    sso.add_person(
        "nia-sub",
        email="nia.hire@example.com",
        email_verified=True,
        given_name="Nia",
        family_name="Hire",
    )

    sso_sign_in(page, live_server, "nia-sub")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()
    assert User.objects.get(email="nia.hire@example.com").display_name == "Nia Hire"


@pytest.mark.parametrize(
    "claim", [False, "true", "false"], ids=["false", "string true", "string false"]
)
def test_a_claim_for_a_colleagues_address_without_boolean_verification_is_refused(
    sso, page, live_server, claim
):
    sso.add_person("mallory", email="employee@example.com", email_verified=claim)

    sso_sign_in(page, live_server, "mallory")

    expect(page.get_by_test_id("sso-refused")).to_have_text("Your address couldn't be confirmed")
    expect(page.get_by_role("main")).to_contain_text(
        f"{PROVIDER_NAME} did not confirm that employee@example.com belongs to you"
    )
    expect(page.get_by_test_id("account-menu")).to_have_count(0)
    assert not User.objects.get(email="employee@example.com").socialaccount_set.exists()
    sign_in(page, live_server, "employee@example.com")  # the colleague's password still works
    expect(page).to_have_url(f"{live_server.url}/")


def test_an_address_outside_the_company_domain_is_refused_with_the_reason(sso, page, live_server):
    sso.add_person("gmail-sub", email="nia@gmail.com", email_verified=True, name="Nia")

    sso_sign_in(page, live_server, "gmail-sub")

    expect(page.get_by_test_id("sso-refused")).to_have_text("This address isn't a company address")
    expect(page.get_by_role("main")).to_contain_text(
        "nia@gmail.com is not a company address: PeerTrain creates accounts only for addresses "
        "ending in example.com"
    )
    page.get_by_role("link", name="Back to sign-in").click()
    expect(page).to_have_url(login_page(live_server))
    assert not User.objects.filter(email="nia@gmail.com").exists()


def test_provider_down_says_so_and_the_password_form_still_signs_in(
    sso, settings, page, live_server
):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(closed_port_url())
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()

    expect(page.get_by_role("heading", name="Company sign-in is unavailable")).to_be_visible()
    form = page.get_by_test_id("login-form")
    form.get_by_label("Email").fill("employee@example.com")
    form.get_by_label("Password").fill("peertrain-demo")
    form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_signing_out_at_the_provider_ends_there_and_comes_back(sso, page, live_server):
    sso.add_person("eli-sub", email="employee@example.com", email_verified=True)
    sso_sign_in(page, live_server, "eli-sub")
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name=f"Sign out of PeerTrain and {PROVIDER_NAME}").click()

    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(f"{sso.url}/oauth2/end_session?")))
    expect(page.locator("body")).to_contain_text(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(login_page(live_server))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(login_page(live_server))
