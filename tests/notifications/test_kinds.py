"""The kinds catalogue: every message is of a declared kind, listed in docs/notifications.md
as declared."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from peertrain.notifications.kinds import Kind, declare_kinds, kind_named, kinds

DOC = Path(settings.BASE_DIR) / "docs" / "notifications.md"
TEST_APPS = ("event_app.",)  # tests/event_app declares its kind when a test starts it


def documented_rows() -> dict[str, list[str]]:
    section = DOC.read_text(encoding="utf-8").split("## Every kind\n", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("|")][2:]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines]
    return {row[0].strip("`"): row for row in rows}


def test_every_kind_is_documented_as_declared():
    declared = {code: kind for code, kind in kinds().items() if not code.startswith(TEST_APPS)}
    rows = documented_rows()

    assert sorted(rows) == sorted(declared)
    for code, kind in declared.items():
        assert rows[code] == [
            f"`{code}`",
            kind.label,
            "yes" if kind.optional else "no",
            f"`{kind.template_folder}/`",
        ], code


def test_transactional_messages_cannot_be_switched_off():
    for code in (
        "training.booking.promoted",
        "training.session.cancelled",
        "account.password_reset_key",
        "account.email_confirmation",
    ):
        assert kind_named(code).optional is False, code
    assert kind_named("account.password_reset_key").sensitive


def test_a_code_declared_twice_differently_is_refused():
    declare_kinds(Kind("training.reminder.24h", **_same("training.reminder.24h")))  # no change
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        declare_kinds(Kind("training.reminder.24h", "Something else", optional=False))


def _same(code: str) -> dict:
    kind = kind_named(code)
    return {
        "label": kind.label,
        "optional": kind.optional,
        "sensitive": kind.sensitive,
        "templates": kind.templates,
        "only_on": kind.only_on,
    }
