"""Every main page of every role, walked in one browser page per role.

A role's main pages are the entries of its navigation (the admin aside: it is Django's own
layout), the pages of its account menu (my profile, notifications) and the pages one click
from them, one per kind of address (``/sessions/7/`` stands
for every session), so a page added to the product is checked without anyone listing it here.
Pages already walked for an earlier role are not walked again unless they are in this role's
navigation (those are where roles see different things).
"""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from playwright.sync_api import Page

from .conftest import signed_in

DEMO_ROLES = ["employee@example.com", "trainer@example.com", "lead@example.com", "ld@example.com"]
# Not pages to check: the admin, sign-in and account pages, downloads (CSV, calendars).
NOT_MAIN = re.compile(r"^/(admin|accounts|static)/|\.(csv|ics)$|/calendar/")


def address_kind(path: str) -> str:
    """``/sessions/7/`` and ``/sessions/8/`` are one kind of page; so are skills' histories."""
    path = re.sub(r"/\d+(?=/)", "/<id>", path)
    return re.sub(r"^/skills/history/[^/]+/", "/skills/history/<slug>/", path)


def _links_in_main(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all('main a[href^="/"]', "els => els.map(e => e.href)")
    return [href for href in hrefs if not NOT_MAIN.search(urlsplit(href).path)]


def walk_main_pages(
    page: Page, live_server, email: str, walked: set[str] | None = None
) -> Iterator[str]:
    """Sign in as ``email`` and open each main page in turn, yielding its address once it
    has loaded (status 200 asserted). ``walked`` carries the kinds of page already walked."""
    walked = set() if walked is None else walked
    signed_in(page, live_server, email)
    nav = page.get_by_test_id("main-nav").locator("a")
    nav_paths = nav.evaluate_all("els => els.map(e => e.pathname)")
    nav_paths = [path for path in nav_paths if not NOT_MAIN.search(path)]
    one_click: dict[str, str] = {}
    for href in page.locator('[data-testid="account-menu"] + ul a').evaluate_all(
        "els => els.map(e => e.href)"
    ):
        if not NOT_MAIN.search(urlsplit(href).path):
            one_click.setdefault(address_kind(urlsplit(href).path), href)
    for path in nav_paths:
        _open(page, live_server.url + path)
        walked.add(address_kind(path))
        for href in _links_in_main(page):
            one_click.setdefault(address_kind(urlsplit(href).path), href)
        yield path
    for kind, href in one_click.items():
        if kind in walked:
            continue
        walked.add(kind)
        _open(page, href)
        yield href.removeprefix(live_server.url)


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
