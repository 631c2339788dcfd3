"""docs/events.md is the one table of every event code and query port: it must say what the
declarations, subscriptions and providers say."""

import re
from pathlib import Path
from typing import get_type_hints

from django.conf import settings

from peertrain.audit.events import ON_BEHALF, catalogue, handlers_for
from peertrain.core.ports import ports, provider_of

DOC = Path(settings.BASE_DIR) / "docs" / "events.md"
AUDITED = {True: "yes", False: "no", ON_BEHALF: "on behalf"}


def table_under(heading: str) -> list[list[str]]:
    """The rows of the first table after ``## heading``, cells stripped (``\\|`` kept)."""
    section = DOC.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    return [
        [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in lines[2:]  # after the header and its rule
    ]


def type_name(hint) -> str:
    return hint.__name__ if isinstance(hint, type) else str(hint)


def expected_event_row(spec) -> list[str]:
    optional = spec.payload.__optional_keys__
    payload = ", ".join(
        f"`{key}{'?' if key in optional else ''}: {type_name(hint)}`"
        for key, hint in get_type_hints(spec.payload).items()
    )
    app = spec.payload.__module__.rsplit(".", 1)[0]  # the TypedDict lives in <app>/events.py
    return [f"`{spec.code}`", f"`{app}`", payload or "—", AUDITED[spec.audited], spec.doc]


def test_every_declared_code_is_in_the_table_as_declared():
    rows = {row[0]: row for row in table_under("Every event code")}
    declared = catalogue()

    assert sorted(rows) == sorted(f"`{code}`" for code in declared)
    for code, spec in declared.items():
        assert rows[f"`{code}`"] == expected_event_row(spec), code


def test_each_app_declares_only_codes_under_its_own_label():
    labels = {"peertrain.accounts": "accounts", "peertrain.notifications": "notifications"}
    for code, spec in catalogue().items():
        app = spec.payload.__module__.rsplit(".", 1)[0]
        label = {"sessions": "training"}.get(app, labels.get(app, app))
        assert code.startswith(f"{label}."), (code, app)


def test_who_listens_today_is_every_subscription():
    rows = table_under("Who listens today")
    documented = {(pattern.strip("`"), handler.strip("`")) for pattern, handler, _ in rows}
    subscribed = {
        (code, f"{handler.__module__}.{handler.__qualname__}")
        for code in catalogue()
        for handler in handlers_for(code)
    }
    assert {(code, handler) for code, handler in subscribed} == documented


def test_every_port_is_in_the_table_with_its_provider():
    rows = {row[0].strip("`"): row for row in table_under("Every query port")}
    declared = ports()

    assert sorted(rows) == sorted(declared)
    for name, port in declared.items():
        asked_by = port.default.__module__.rsplit(".", 1)[0]  # declared in <app>/ports.py
        assert rows[name][1].startswith(f"`{asked_by}`"), name
        provider = provider_of(name)
        assert rows[name][2] == f"`{provider.__module__}.{provider.__qualname__}`", name
