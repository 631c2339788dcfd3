"""CSV downloads: formula injection is neutralised in every cell, and every export goes
through ``csv_response`` (the one guard), never ``csv.writer`` of its own."""

import ast
import csv
import io
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from peertrain.core.csv import FORMULA_TRIGGERS, csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (" =1+1", "' =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\r\n@SUM(A1)", "'\r\n@SUM(A1)"),
        ("  \n +1", "'  \n +1"),
        ("\xa0-2", "'\xa0-2"),
        ("\x00=1", "'\x00=1"),
        ("\u2028@x", "'\u2028@x"),
        ("Ana", "Ana"),
        (" Ana", " Ana"),
        ("\nAna", "\nAna"),
        ("Ana = Bo", "Ana = Bo"),
        ("", ""),
        ("   ", "   "),
        (3, 3),
        (-3, -3),
        (0.5, 0.5),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, expected):
    assert safe_cell(value) == expected


def first_visible(text: str) -> str:
    """The character a spreadsheet looks at: the first that isn't whitespace or control."""
    return next(
        (char for char in text if not (char.isspace() or unicodedata.category(char)[0] == "C")),
        "",
    )


blanks = st.text(st.sampled_from(" \t\r\n\x0b\x0c\xa0\u2028\u3000\x00\x1f"), max_size=5)


@given(st.text())
def test_a_cell_is_left_alone_or_only_gets_a_leading_quote(text):
    cell = safe_cell(text)

    assert cell in {text, "'" + text}
    assert first_visible(cell) not in FORMULA_TRIGGERS or first_visible(cell) == "'"
    assert not cell.startswith(("\t", "\r"))


@given(blanks, st.sampled_from(FORMULA_TRIGGERS), st.text())
def test_any_blanks_before_a_formula_sign_are_quoted(leading, sign, rest):
    text = leading + sign + rest

    assert safe_cell(text) == "'" + text


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_no_cell_of_a_written_file_starts_a_formula(cells):
    response = csv_response(name="check", header=["h"] * len(cells), rows=[cells])

    _, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert all(first_visible(cell) not in FORMULA_TRIGGERS or cell.startswith("'") for cell in row)


# --- One writer ----------------------------------------------------------------------------
CSV_MODULE = Path("peertrain/core/csv.py")


def _writes_csv(source: str) -> list[str]:
    """Where ``source`` writes CSV itself: a csv writer, or a response typed text/csv."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"writer", "DictWriter"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(ast.unparse(node))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("text/csv")
        ):
            found.append(node.value)
    return found


def _app_sources():
    """Every module of the project's own packages (not the tests)."""
    root = Path(settings.BASE_DIR)
    for package in sorted(root.glob("*/__init__.py")):
        if package.parent.name == "tests":
            continue
        for path in package.parent.rglob("*.py"):
            relative = path.relative_to(root)
            if "migrations" not in relative.parts:
                yield relative, path.read_text()


def test_every_export_is_written_by_csv_response():
    elsewhere = {
        str(path): found
        for path, source in _app_sources()
        if path != CSV_MODULE and (found := _writes_csv(source))
    }
    assert elsewhere == {}, "answer CSV downloads with peertrain.core.csv.csv_response"


def test_the_writer_check_sees_a_csv_written_by_hand():
    by_hand = (
        "import csv\n"
        "response = HttpResponse(content_type='text/csv')\n"
        "csv.writer(response).writerow(['=1+1'])\n"
    )
    assert len(_writes_csv(by_hand)) == 2
