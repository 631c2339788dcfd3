"""A real Chromium, driven by Playwright, against pytest-django's live server.

The live server answers from another thread, so these tests commit their data
(`transactional_db`) and pytest-django empties every table afterwards. Like every test that
commits, each starts from the migrated state (the `L&D staff` group and its permissions
included), loaded back by a serialized rollback (``from_the_migrated_state`` in
tests/conftest.py).
"""

import os
import re
import uuid

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from portal.demo.seeding import DEMO_PASSWORD, seed_demo

from ..conftest import CHROMIUM

# Playwright's sync API runs an asyncio event loop in this thread, so Django thinks every
# ORM call from the test is made from async code and refuses it (SynchronousOnlyOperation).
# The test thread never awaits anything itself, so the check is a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TIMEOUT_MS = 10_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SERIALIZED = "_test_serialized_contents"  # where Django's setup_databases keeps it

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Browser:
    # While Playwright's loop runs in this thread, Django keeps its connections per context
    # instead of per thread, so the test gets fresh connection objects. Hand them the
    # migrated state that setup_databases saved for serialized_rollback on the old ones.
    saved = {alias: getattr(connections[alias], SERIALIZED, None) for alias in connections}
    playwright = sync_playwright().start()
    for alias, contents in saved.items():
        if contents is not None:
            setattr(connections[alias], SERIALIZED, contents)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()
    # The per-context connections are not the ones pytest-django closes: close them here.
    connections.close_all()
    playwright.stop()


def _new_page(browser: Browser, **context_options) -> Page:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Page:
    page = _new_page(browser, viewport=DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Page:
    page = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture(autouse=True)
def own_cache_namespace(settings):
    """Failed sign-ins are counted per address and per account (5 in five minutes) in the
    cache, and Redis keeps the counts between runs: a namespace per test keeps repeated runs,
    and the rest of the suite, from tripping these limits."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"e2e-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def demo(transactional_db):
    """The demo accounts, committed so the live server thread sees them."""
    return seed_demo()


def sign_in(page: Page, live_server, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()


def signed_in(page: Page, live_server, email: str) -> None:
    """Sign in with the demo password and wait for the home page."""
    sign_in(page, live_server, email)
    expect(page).to_have_url(f"{live_server.url}/")


def login_page(live_server) -> re.Pattern:
    """The login page, with or without a ?next= parameter."""
    return re.compile(re.escape(f"{live_server.url}/accounts/login/") + r"(\?.*)?$")


def nav_labels(page: Page) -> list[str]:
    links = page.get_by_test_id("main-nav").locator("a")
    return [text.strip() for text in links.all_text_contents()]
