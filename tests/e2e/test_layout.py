"""The layout works in a real browser: our static files load, the CSP lets our own scripts
run, and the navigation folds into a toggler on a phone."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import signed_in

pytestmark = pytest.mark.e2e


def browser_errors(page: Page) -> list[str]:
    """Console errors (a CSP violation or a missing static file shows up as one) and uncaught
    script errors, collected from now on."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def test_login_and_home_pages_run_our_scripts_without_errors(page, live_server, demo):
    errors = browser_errors(page)

    signed_in(page, live_server, "employee@example.com")
    page.wait_for_load_state("load")

    assert page.evaluate("typeof window.bootstrap") == "object"
    assert page.evaluate("typeof window.htmx") == "object"
    assert errors == []


def test_phone_navigation_opens_from_the_toggler(phone_page, live_server, demo):
    page = phone_page
    errors = browser_errors(page)
    signed_in(page, live_server, "lead@example.com")
    nav = page.get_by_test_id("main-nav")
    toggler = page.get_by_role("button", name="Show navigation")
    expect(toggler).to_be_visible()
    expect(nav).to_be_hidden()

    toggler.tap()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(nav.get_by_role("link", name="My team")).to_be_visible()
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    assert errors == []
