"""The W3C Nu HTML checker (vnu, from the npm registry) finds no error on any main page of
any role, as the server sends it. htmx's attributes are written ``data-hx-*`` (htmx reads
both spellings; only the ``data-`` one is valid HTML): 193 errors over 35 pages before."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ..conftest import VNU_JAR
from .conftest import DESKTOP, TIMEOUT_MS
from .main_pages import DEMO_ROLES, walk_main_pages

pytestmark = [pytest.mark.e2e, pytest.mark.vnu]


def vnu_errors(files: list[Path]) -> list[dict]:
    """The checker's errors over ``files``, one JVM for all of them."""
    run = subprocess.run(
        [
            shutil.which("java") or "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    # It writes its JSON report to standard error, and exits 1 when it found errors.
    return json.loads(run.stderr or run.stdout)["messages"]


def test_every_main_page_of_every_role_is_valid_html(browser: Browser, live_server, demo, tmp_path):
    pages: dict[Path, str] = {}
    walked: set[str] = set()
    for email in DEMO_ROLES:
        context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        for path in walk_main_pages(page, live_server, email, walked):
            # What the server sent, not the DOM after scripts ran.
            html = page.request.get(live_server.url + path).text()
            saved = tmp_path / f"page-{len(pages):03d}.html"
            saved.write_text(html, encoding="utf-8")
            pages[saved] = f"{email} {path}"
        context.close()

    errors = [
        f"{pages[Path(error['url'].removeprefix('file:'))]} line {error.get('lastLine')}: "
        f"{error['message']}"
        for error in vnu_errors(list(pages))
    ]

    assert len(pages) >= 20  # every role's navigation, and the pages one click from it
    assert errors == []
