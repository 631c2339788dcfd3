"""On a 360 px phone no main page of any role scrolls sideways: wide tables scroll inside
themselves or stack into cards. /skills/ was 580 px wide (a visually hidden label inside its
table's scroller stretched the page), and the gap list's shortfall, risk and nominate columns
were off-screen. axe runs on the phone layout too (a folded navigation, stacked tables,
scrollers a keyboard must reach), since the desktop run never sees it. A table that does
scroll sideways joins the tab order (static/js/scroll-regions.js), so arrow keys scroll it."""

import re

import pytest
from playwright.sync_api import Browser, expect

from sessions.models import TrainingSession

from .axe import STILL, blocking_violations, load_axe
from .conftest import TIMEOUT_MS, signed_in
from .main_pages import DEMO_ROLES, walk_main_pages

pytestmark = pytest.mark.e2e
PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def phone_context(browser: Browser):
    context = browser.new_context(**PHONE_360, **STILL)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_no_main_page_scrolls_sideways_or_fails_axe_at_360_px(browser: Browser, live_server, demo):
    too_wide: dict[str, int] = {}
    problems: dict[str, list[dict]] = {}
    walked: set[str] = set()
    checked = 0
    for email in DEMO_ROLES:
        context = phone_context(browser)
        load_axe(context)
        page = context.new_page()
        for path in walk_main_pages(page, live_server, email, walked):
            width = page.evaluate("document.documentElement.scrollWidth")
            checked += 1
            if width > 360:
                too_wide[f"{email} {path}"] = width
            if violations := blocking_violations(page):
                problems[f"{email} {path}"] = violations
        context.close()

    assert checked >= 20  # every role's navigation, and the pages one click from it
    assert too_wide == {}
    assert problems == {}


def test_the_gap_list_shows_shortfall_risk_and_nominate_on_a_phone(
    browser: Browser, live_server, demo
):
    context = phone_context(browser)
    page = context.new_page()
    signed_in(page, live_server, "ld@example.com")
    page.goto(f"{live_server.url}/skills/gaps/")

    row = page.get_by_test_id("gap-row").first
    shortfall = row.locator('[data-label="Shortfall"]')
    risk = row.locator('[data-label="Risk"]')
    nominate = page.get_by_test_id("gap-row").get_by_role("button", name="Nominate as trainer")
    for cell in (shortfall, risk, nominate.first):
        expect(cell).to_be_visible()
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
    # Each value says what it is: the label is shown (and read) before it.
    expect(shortfall).to_have_accessible_name(re.compile(r"^Shortfall \d+ levels?$"))
    context.close()


def test_a_table_wider_than_the_phone_scrolls_from_the_keyboard(
    browser: Browser, live_server, demo
):
    """The rotation table (L&D) is wider than 360 px: its scroller was out of the tab order,
    so only a mouse or a finger could see its right-hand columns."""
    python = TrainingSession.objects.get(title="Python for spreadsheet people")
    context = phone_context(browser)
    load_axe(context)
    page = context.new_page()
    signed_in(page, live_server, "ld@example.com")
    page.goto(f"{live_server.url}/sessions/{python.pk}/rotation/")
    scroller = page.locator(".table-responsive").filter(has=page.get_by_test_id("rotation"))

    expect(scroller).to_have_attribute("tabindex", "0")
    expect(scroller).to_have_attribute("role", "region")
    scroller.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")

    assert scroller.evaluate("element => element.scrollLeft") > 0
    assert blocking_violations(page) == []
    context.close()
