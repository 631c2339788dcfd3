"""Each demo account signs in, sees its own navigation, reaches its own pages and signs out."""

import pytest
from playwright.sync_api import expect

from .conftest import login_page, nav_labels, sign_in, signed_in

pytestmark = pytest.mark.e2e

WRONG_PASSWORD_ERROR = "The email address and/or password you specified are not correct."


@pytest.mark.parametrize(
    ("email", "expected_nav"),
    [
        ("employee@example.com", ["Home", "Sessions", "My skills", "Programmes", "Trainers"]),
        (
            "trainer@example.com",
            ["Home", "Sessions", "My skills", "Programmes", "Trainers", "Teaching"],
        ),
        (
            "lead@example.com",
            ["Home", "Sessions", "My skills", "Programmes", "Trainers", "My team", "Skills matrix"],
        ),
        # The demo makes Lena lead of the L&D team too, so she also sees "My team".
        (
            "ld@example.com",
            [
                "Home",
                "Sessions",
                "My skills",
                "Programmes",
                "Trainers",
                "My team",
                "Skills matrix",
                "Gaps",
                "Demand",
                "Admin",
            ],
        ),
    ],
)
def test_each_demo_account_sees_its_own_navigation(page, live_server, demo, email, expected_nav):
    signed_in(page, live_server, email)

    assert nav_labels(page) == expected_nav
    home_link = page.get_by_test_id("main-nav").get_by_role("link", name="Home")
    expect(home_link).to_have_attribute("aria-current", "page")


def test_team_lead_opens_the_team_table(page, live_server, demo):
    signed_in(page, live_server, "lead@example.com")

    page.get_by_test_id("main-nav").get_by_role("link", name="My team").click()

    expect(page.get_by_role("heading", name="My team", level=1)).to_be_visible()
    team = page.get_by_role("region", name="Customer Success")
    expect(team.get_by_role("cell", name="Eli Moreno")).to_be_visible()
    expect(team.get_by_role("cell", name="Account manager")).to_be_visible()


def test_trainer_opens_the_certified_trainer_profile(page, live_server, demo):
    signed_in(page, live_server, "trainer@example.com")

    page.get_by_test_id("main-nav").get_by_role("link", name="Teaching").click()
    expect(page.get_by_role("heading", name="Teaching", exact=True)).to_be_visible()
    page.get_by_role("link", name="Your trainer profile").click()

    expect(page.get_by_role("heading", name="My trainer profile")).to_be_visible()
    expect(page.get_by_test_id("trainer-status")).to_have_text("Certified")
    expect(page.get_by_role("cell", name="Python", exact=True)).to_be_visible()


def test_ld_staff_opens_the_admin(page, live_server, demo):
    signed_in(page, live_server, "ld@example.com")

    page.get_by_test_id("main-nav").get_by_role("link", name="Admin").click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Run the programme")).to_be_visible()
    # The permissions the migrations gave the L&D group show up as admin models.
    expect(page.get_by_role("link", name="Users", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Trainer profiles", exact=True)).to_be_visible()


def test_wrong_password_is_refused_with_a_clear_error(page, live_server, demo):
    sign_in(page, live_server, "employee@example.com", "not-the-password")

    expect(page.get_by_test_id("login-form")).to_contain_text(WRONG_PASSWORD_ERROR)
    expect(page).to_have_url(login_page(live_server))
    expect(page.get_by_test_id("account-menu")).to_have_count(0)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(login_page(live_server))


def test_sign_out_from_the_account_menu_returns_to_the_login_page(page, live_server, demo):
    signed_in(page, live_server, "employee@example.com")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(login_page(live_server))
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(login_page(live_server))
