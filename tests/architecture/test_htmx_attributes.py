"""htmx attributes are written ``data-hx-*``: the bare ``hx-*`` spelling is not valid HTML
(the Nu checker's run over every page, tests/e2e/test_valid_html.py, would say so only
where a page happens to show it)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE_HTMX = re.compile(r"(?<![\w-])hx-[a-z-]+=")
SOURCES = ("templates", "programmes", "trainers", "sessions", "portal", "peertrain")


def test_no_template_or_python_made_html_uses_a_bare_hx_attribute():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in SOURCES
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".html", ".py"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_HTMX.search(line)
    ]

    assert found == []
