"""The trainer directory on a phone: an employee finds who teaches a skill and their
sessions."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import signed_in

pytestmark = pytest.mark.e2e


def test_employee_finds_a_python_trainer_on_a_phone(demo, phone_page, live_server):
    page = phone_page
    signed_in(page, live_server, "employee@example.com")
    page.get_by_role("button", name="Show navigation").tap()
    page.get_by_test_id("main-nav").get_by_role("link", name="Trainers").tap()

    expect(page.get_by_role("heading", name="Peer trainers")).to_be_visible()
    skill = page.get_by_label("Skill", exact=True)
    python = skill.locator("option", has_text=re.compile(r"^Python \(")).get_attribute("value")
    skill.select_option(python)
    page.get_by_role("button", name="Filter").tap()

    expect(page.get_by_role("heading", name="Trainers for Python")).to_be_visible()
    card = page.get_by_test_id("trainer-card").filter(has_text="Tomás Rivera")
    expect(card).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    card.get_by_role("link", name="Sessions on Python").tap()
    expect(page).to_have_url(re.compile(r"/sessions/\?skill=\d+$"))
