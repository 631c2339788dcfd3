"""How much and how far people may enter: sensible bounds a typo can't get past.

A goal of 100 KB, a programme starting in year 1 or a session ending in 9999 are typos or
probes, never plans; past the bounds here the answer is a message beside the field, not a
stored absurdity (or a database error once a year-9999 time is converted to UTC).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Descriptions, goals, bios: a couple of pages, more than anyone writes in such a box.
LONG_TEXT_MAX_LENGTH = 5000
# Any date typed: within this many years of today, either way. Fields with their own rule
# (a session within two years) are stricter still.
DATE_WINDOW_YEARS = 25
# Ids typed or posted: what an id in a URL may be (peertrain.core.converters), below 2**63.
MAX_ID = 10**18 - 1


@deconstructible(path="peertrain.core.limits.DateWindowValidator")
class DateWindowValidator:
    """A date (or a date and time, read in its own zone) within ``years`` of today."""

    code = "date_out_of_range"

    def __init__(self, years: int = DATE_WINDOW_YEARS):
        self.years = years

    def bounds(self) -> tuple[date, date]:
        today = timezone.localdate()
        return date(today.year - self.years, 1, 1), date(today.year + self.years, 12, 31)

    def __call__(self, value) -> None:
        # The date as written, without converting it to another zone: year 9999 in a zone
        # behind UTC has no UTC equivalent.
        day = value.date() if isinstance(value, datetime) else value
        first, last = self.bounds()
        if not first <= day <= last:
            raise ValidationError(
                f"Choose a date between {first:%-d %B %Y} and {last:%-d %B %Y}.", code=self.code
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DateWindowValidator) and other.years == self.years

    def __hash__(self) -> int:
        return hash((type(self), self.years))


validate_date_window = DateWindowValidator()
