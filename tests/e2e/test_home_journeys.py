"""Issue 12: each role signs in and follows the first thing their home suggests."""

import re

import pytest
from playwright.sync_api import expect

from peertrain.accounts.models import User
from programmes.models import Skill
from sessions.models import Booking, LearningInterest

from ..factories import TrainingSessionFactory
from .conftest import signed_in

pytestmark = pytest.mark.e2e
# The button's name: what it says, and the skill for screen readers.
ASK_FOR_COMPLAINTS = re.compile(r"I want to learn this\W+Handling complaints")


def test_employee_asks_to_learn_their_top_gap_that_has_no_session(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")

    first_gap = page.get_by_test_id("home-gap").first
    expect(first_gap).to_contain_text("Handling complaints")
    first_gap.get_by_role("button", name=ASK_FOR_COMPLAINTS).click()

    expect(first_gap.get_by_test_id("want-to-learn-state")).to_have_text("You asked for this")
    assert LearningInterest.objects.filter(
        user__email="employee@example.com", skill__name="Handling complaints"
    ).exists()


def test_trainer_opens_their_workspace_and_proposes_a_session(demo, page, live_server):
    signed_in(page, live_server, "trainer@example.com")

    panel = page.get_by_test_id("trainer-panel")
    expect(panel.get_by_test_id("teaching-next")).to_contain_text("Python for spreadsheet people")
    panel.get_by_test_id("propose-session").click()

    expect(page).to_have_url(f"{live_server.url}/sessions/new/")
    expect(page.get_by_role("heading", name="Propose a session")).to_be_visible()
    page.get_by_test_id("main-nav").get_by_role("link", name="Teaching").click()
    expect(page.get_by_test_id("teaching-drafts")).to_contain_text("Testing in small steps")


def test_lead_books_a_member_below_target_on_the_session_for_the_top_gap(demo, page, live_server):
    demos = Skill.objects.get(name="Product demos")
    session = TrainingSessionFactory(skill=demos, title="Demos that sell", capacity=5)
    signed_in(page, live_server, "lead@example.com")

    first_gap = page.get_by_test_id("team-gap").first
    expect(first_gap).to_contain_text("Product demos")
    expect(first_gap).to_contain_text("Eli Moreno")
    first_gap.get_by_test_id("book-team").first.click()

    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/book-member/")
    page.get_by_role("button", name="Book Eli Moreno").click()
    expect(page.get_by_text("Eli Moreno is booked and has been told.")).to_be_visible()
    eli = User.objects.get(email="employee@example.com")
    assert Booking.objects.filter(session=session, user=eli, status="confirmed").exists()


def test_ld_staff_follow_the_first_item_that_needs_attention(demo, page, live_server):
    signed_in(page, live_server, "ld@example.com")

    attention = page.get_by_test_id("attention")
    first = attention.get_by_role("listitem").first
    expect(first).to_contain_text("less than half booked")
    first.get_by_role("link", name="Open “Python for spreadsheet people”").click()

    expect(page.get_by_role("heading", name="Python for spreadsheet people")).to_be_visible()
