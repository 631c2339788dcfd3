"""Nominating a trainer: an employee nominates a colleague from "my gaps", the colleague
says yes, and L&D accept them as a candidate in the review workspace."""

import re

import pytest
from playwright.sync_api import expect

from programmes.models import Skill
from trainers.models import TrainerProfile

from .conftest import signed_in

pytestmark = pytest.mark.e2e


def test_employee_nominates_a_colleague_and_ld_accepts_them(demo, page, live_server):
    signed_in(page, live_server, "employee@example.com")
    page.goto(f"{live_server.url}/skills/")
    gap = page.get_by_test_id("my-gaps").locator(
        '[data-testid="gap"][data-skill="handling-complaints"]'
    )
    gap.get_by_role("link", name=re.compile("nominate as trainer.*Ana Silva")).click()

    form = page.get_by_test_id("nominate-form")
    expect(form.get_by_test_id("nominee")).to_have_text("Ana Silva")
    complaints = Skill.objects.get(name="Handling complaints")
    expect(form.get_by_label("Skill to teach")).to_have_value(str(complaints.pk))
    form.get_by_label("Why would they teach it well?").fill(
        "Ana calmed three escalations last month and showed me how."
    )
    form.get_by_role("button", name="Nominate").click()

    expect(page).to_have_url(f"{live_server.url}/skills/")
    expect(page.get_by_text("Ana Silva is nominated to teach Handling complaints")).to_be_visible()

    page.context.clear_cookies()
    signed_in(page, live_server, "ana.silva@example.com")
    page.goto(f"{live_server.url}/trainers/nominations/")
    mine = page.get_by_test_id("nomination-about").filter(has_text="Handling complaints")
    expect(mine).to_contain_text("nominated by Eli Moreno")
    expect(mine).to_contain_text("Ana calmed three escalations")
    mine.get_by_role("button", name=re.compile("Yes, I'd like to teach it")).click()
    expect(page.get_by_text("L&D will review your nomination")).to_be_visible()

    page.context.clear_cookies()
    signed_in(page, live_server, "ld@example.com")
    page.goto(f"{live_server.url}/trainers/review/")
    card = page.get_by_test_id("review-nomination").filter(
        has_text="Ana Silva for Handling complaints"
    )
    expect(card).to_contain_text("level 4")
    expect(card).to_contain_text("Nominated by Eli Moreno")
    card.get_by_role("button", name=re.compile("Accept as candidate")).click()

    expect(
        page.get_by_text("Ana Silva is a candidate trainer for Handling complaints.")
    ).to_be_visible()
    expect(page.get_by_test_id("review-trainer").filter(has_text="Ana Silva")).to_contain_text(
        "Candidate"
    )
    assert TrainerProfile.objects.get(user__email="ana.silva@example.com").status == "candidate"
