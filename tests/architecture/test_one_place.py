"""Rules that must be written once: a second copy of one fails here with its file and line.

Each rule names the one module allowed to spell it out; every other module of the
application (migrations aside) must call that module instead. The patterns are the ways the
copies found in review were written, so a new copy written the same way is caught.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ("peertrain", "programmes", "trainers", "sessions", "feedback", "portal")

# rule -> (what a copy looks like, the one module that may hold it)
ONE_PLACE = {
    "which teams a person leads": (
        re.compile(r"filter\(\s*lead=|led_teams__|lead=OuterRef"),
        "peertrain/accounts/selectors.py",
    ),
    "refusing someone who leads no team": (
        # "Only team leads can …", "… is for team leads." (not "for team leads and L&D")
        re.compile(r"\b(?:[Oo]nly|for) team leads\b(?! and)"),
        "peertrain/accounts/access.py",
    ),
    "refusing someone certified in nothing": (
        re.compile(r"\bfor (?:certified trainers|trainers certified)\b"),
        "trainers/access.py",
    ),
}


def application_modules():
    for package in APPLICATION:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def copies_of(pattern: re.Pattern, home: str) -> list[str]:
    found = []
    for path in application_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative == home:
            continue
        text = path.read_text()
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{relative}:{line}: {match.group(0)}")
    return found


@pytest.mark.parametrize("rule", ONE_PLACE)
def test_rule_is_written_in_one_place(rule):
    pattern, home = ONE_PLACE[rule]

    assert (ROOT / home).read_text(), f"{home} is gone; update this test"
    assert pattern.search((ROOT / home).read_text()), f"{home} no longer holds {rule!r}"
    assert copies_of(pattern, home) == [], f"{rule!r} belongs in {home} only"
