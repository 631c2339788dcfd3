"""Lengths of time in words for people ("15 minutes", "1 hour"), so a message states the
constant the code uses instead of repeating its value in text."""

from datetime import timedelta

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def duration_words(length: timedelta) -> str:
    """``length`` in the largest unit that measures it exactly: 90 s is "90 seconds",
    15 min "15 minutes", 24 h "1 day". Whole seconds only."""
    seconds = int(length.total_seconds())
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "0 seconds"
