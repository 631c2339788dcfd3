"""How a session's time reads in a message to one person."""

from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.core.timezones import zone_named

from .models import TrainingSession


def starts_for(session: TrainingSession, person: User, *, with_time: bool = True) -> str:
    """When ``session`` starts, in ``person``'s own time zone and naming it ("Tuesday 01
    December, 14:00 GMT"). Messages are written while someone else acts — a trainer moves
    the session, a colleague cancels and frees a seat, the reminder task runs — so the
    zone active at that moment is not the reader's."""
    zone = zone_named(person.time_zone) or timezone.get_default_timezone()
    local = session.starts_at.astimezone(zone)
    return f"{local:%A %d %B, %H:%M %Z}" if with_time else f"{local:%A %d %B}"
