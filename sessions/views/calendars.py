"""Calendar files: one session as .ics, and my bookings as a subscription feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..access import training_session_for_viewer
from ..calendars import personal_feed, training_session_calendar
from ..models import CalendarFeed
from ..selectors import (
    active_booking_of,
    feed_sessions_of,
    feed_video_link_session_ids,
    sees_video_link,
)
from ..services.calendar_feed import calendar_feed_reset


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def training_session_calendar_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The session as an .ics file. Who: anyone who may see the session; the video link
    only for booked attendees and trainers."""
    session = training_session_for_viewer(user=request.user, pk=pk)
    booking = active_booking_of(session=session, user=request.user)
    with_link = sees_video_link(session=session, user=request.user, booking=booking)
    page_url = request.build_absolute_uri(reverse("training:detail", args=[pk]))
    content = training_session_calendar(session, page_url=page_url, with_video_link=with_link)
    return _ics_response(content, f"peertrain-session-{pk}.ics")


@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """My bookings as a calendar subscription. Who: whoever holds the secret URL (calendar
    apps can't sign in); resetting it revokes the old one."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("This calendar link is no longer valid.")
    sessions = [
        (session, request.build_absolute_uri(reverse("training:detail", args=[session.pk])))
        for session in feed_sessions_of(user=feed.user)
    ]
    content = personal_feed(
        sessions,
        owner_name=str(feed.user),
        video_link_ids=feed_video_link_session_ids(user=feed.user),
    )
    return _ics_response(content, "peertrain.ics")


@require_POST
@login_required
def calendar_feed_reset_view(request: HttpRequest) -> HttpResponse:
    """Give my calendar feed a new secret URL. Who: any signed-in person, for themselves."""
    calendar_feed_reset(user=request.user)
    messages.success(
        request, "Your calendar link is new; subscribe again with it. The old one stopped working."
    )
    return redirect("training:mine")
