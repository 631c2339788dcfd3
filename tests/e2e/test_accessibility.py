"""axe-core (tests/e2e/vendor) finds no serious or critical accessibility problem on any
main page of any role: contrast, labels, names, landmarks, ARIA. Inactive navbar links were
3.83:1 on the brand blue (WCAG AA asks 4.5:1) on every page until this ran."""

import pytest
from playwright.sync_api import Browser

from .axe import STILL, blocking_violations, load_axe
from .conftest import DESKTOP, TIMEOUT_MS, signed_in
from .main_pages import DEMO_ROLES, walk_main_pages

pytestmark = pytest.mark.e2e


def test_no_serious_accessibility_violation_on_any_main_page(browser: Browser, live_server, demo):
    problems: dict[str, list[dict]] = {}
    walked: set[str] = set()
    checked = 0
    for email in DEMO_ROLES:
        context = browser.new_context(viewport=DESKTOP, **STILL)
        context.set_default_timeout(TIMEOUT_MS)
        load_axe(context)
        page = context.new_page()
        for path in walk_main_pages(page, live_server, email, walked):
            violations = blocking_violations(page)
            checked += 1
            if violations:
                problems[f"{email} {path}"] = violations
        context.close()

    assert checked >= 20  # every role's navigation, and the pages one click from it
    assert problems == {}


def test_keyboard_focus_in_the_navbar_shows_on_its_blue(page, live_server, demo):
    """Bootstrap's focus ring in the navbar was a pale blue shadow on the brand blue."""
    signed_in(page, live_server, "employee@example.com")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the first entry of the navigation

    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {text: e.textContent.trim(), style: s.outlineStyle,
                           width: s.outlineWidth, color: s.outlineColor}; }"""
    )

    assert focused == {
        "text": "Home",
        "style": "solid",
        "width": "3px",
        "color": "rgb(255, 191, 71)",  # amber: 5.3:1 on the brand blue
    }
