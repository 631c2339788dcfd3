"""iCalendar files for sessions: one event per session, and a personal feed of my bookings.

Events keep a stable UID and the session's SEQUENCE, so a calendar that imported one
updates it in place when the session moves or is cancelled.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from peertrain.core.timezones import zone_named

from .models import TrainingSession

PRODID = "-//PeerTrain//Training sessions//EN"
REMINDER_BEFORE = timedelta(minutes=30)


def _calendar(*, method: str, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(session: TrainingSession, *, page_url: str, with_video_link: bool) -> Event:
    # A zone name the admin mistyped must not make the file fail: times are exact in UTC.
    zone = zone_named(session.time_zone) or UTC
    event = Event()
    event.add("uid", f"training-session-{session.pk}@{settings.SITE_NAME.lower()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("sequence", session.calendar_sequence)
    event.add("url", page_url)
    where = [session.location] if session.location else []
    description = [session.description, f"Details and booking: {page_url}"]
    if session.video_url:
        if with_video_link:
            where.append(session.video_url)
            description.append(f"Video call: {session.video_url}")
        else:
            where.append("Online")
    event.add("location", ", ".join(where) or "To be confirmed")
    event.add("description", "\n\n".join(part for part in description if part))
    cancelled = session.status == TrainingSession.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{session.title} starts soon")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def training_session_calendar(
    session: TrainingSession, *, page_url: str, with_video_link: bool
) -> bytes:
    """One session; METHOD:CANCEL once it is cancelled, so calendars drop it."""
    cancelled = session.status == TrainingSession.Status.CANCELLED
    calendar = _calendar(method="CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_event(session, page_url=page_url, with_video_link=with_video_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def personal_feed(
    sessions: Iterable[tuple[TrainingSession, str]], *, owner_name: str, video_link_ids: set[int]
) -> bytes:
    """Subscription feed: every session I'm booked on, waiting for or teach, with page URLs;
    the video link only where I have a seat or teach."""
    calendar = _calendar(method="PUBLISH", name=f"PeerTrain — {owner_name}")
    for session, page_url in sessions:
        with_link = session.pk in video_link_ids
        calendar.add_component(_event(session, page_url=page_url, with_video_link=with_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()
