"""Time zones by name, for code that must not fail on a name it doesn't know."""

import functools
import zoneinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when there is none (a typo, an empty string, a
    name that isn't a zone key at all). Callers decide: refuse, or fall back."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        return None


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name people may choose, sorted. Read from disk once per process:
    ``zoneinfo.available_timezones()`` walks the whole zone database on each call."""
    return tuple(sorted(zoneinfo.available_timezones()))
