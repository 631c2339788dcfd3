"""Issue 4's journeys in a real browser: an employee rates a skill and sees "my gaps"
change, and asks to learn a gap no session teaches; a team lead opens the team's skills
matrix."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import LearningInterest

from .conftest import signed_in

pytestmark = pytest.mark.e2e
# The button's name: what it says, and the skill for screen readers.
ASK_FOR_COMPLAINTS = re.compile(r"I want to learn this\W+Handling complaints")


def test_employee_rates_a_skill_and_the_gap_closes(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/skills/")
    gaps = page.get_by_test_id("my-gaps")
    demos_gap = gaps.locator('[data-testid="gap"][data-skill="product-demos"]')
    expect(demos_gap).to_be_visible()

    form = page.get_by_test_id("rate-form")
    form.get_by_label("Skill").select_option(label="Product demos")
    form.get_by_label("2 · Working", exact=False).check()
    form.get_by_role("button", name="Save my rating").click()

    expect(page.get_by_test_id("rate-notice")).to_be_visible()
    expect(demos_gap).to_have_count(0)  # at target now: no longer a gap
    expect(page.get_by_test_id("my-levels")).to_contain_text("Product demos")


def test_employee_asks_to_learn_a_gap_from_my_gaps_and_it_stays_asked(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/skills/")
    gap = page.get_by_test_id("my-gaps").locator(
        '[data-testid="gap"][data-skill="handling-complaints"]'
    )
    expect(gap).to_contain_text("No sessions scheduled for this skill yet.")

    gap.get_by_role("button", name=ASK_FOR_COMPLAINTS).click()

    action = gap.get_by_test_id("want-to-learn")
    expect(action.get_by_test_id("want-to-learn-state")).to_have_text("You asked for this")
    expect(action.get_by_test_id("want-to-learn-message")).to_contain_text("Noted")  # htmx
    withdraw = action.get_by_role("button", name="withdraw your request to learn Handling")
    expect(withdraw).to_be_focused()  # the keyboard stays where it was
    assert LearningInterest.objects.filter(
        user__email="employee@example.com", skill__slug="handling-complaints"
    ).exists()

    page.reload()

    expect(action.get_by_test_id("want-to-learn-state")).to_have_text("You asked for this")
    expect(action.get_by_role("button", name="I want to learn this")).to_have_count(0)


def test_lead_opens_the_team_skills_matrix(demo, page, live_server):
    signed_in(page, live_server, "lead@example.com")
    page.get_by_test_id("main-nav").get_by_role("link", name="Skills matrix").click()

    matrix = page.get_by_test_id("matrix")
    expect(matrix).to_be_visible()
    expect(matrix).to_contain_text("Eli Moreno")
    expect(matrix).to_contain_text("Product demos")
    expect(page.get_by_test_id("spok-summary")).to_be_visible()
