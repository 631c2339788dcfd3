"""CSV downloads, every cell safe to open in a spreadsheet. Every export answers with
``csv_response`` (a test fails on a module that writes CSV itself), so the guard against
formula injection lives here once."""

import csv
import unicodedata
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), also
# after leading spaces, tabs or line breaks, which it drops first.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# OWASP's list: a cell starting with a tab or carriage return is quoted whatever follows.
QUOTED_STARTS = ("\t", "\r")


def _blank(char: str) -> bool:
    """Whitespace (any: a no-break space too) or a control character."""
    return char.isspace() or unicodedata.category(char)[0] == "C"


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is quoted; numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    first = next((index for index, char in enumerate(value) if not _blank(char)), len(value))
    if value.startswith(QUOTED_STARTS) or value[first:].startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_response(*, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download named ``<name>-<date>.csv``, every cell safe to open in a spreadsheet."""
    filename = f"{slugify(name)}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return response
