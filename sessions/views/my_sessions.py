"""My sessions: what I booked, what I'm invited to co-teach, and what I teach."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..selectors import pending_co_teaching_invitations, sessions_taught_by
from ..selectors_booking_states import PAST_SHOWN, my_sessions
from ..services.calendar_feed import calendar_feed_for


@require_GET
@login_required
def my_sessions_view(request: HttpRequest) -> HttpResponse:
    """My upcoming, cancelled and past bookings, each with its state; invitations to
    co-teach waiting for my answer; and the sessions I teach. Who: any signed-in person, for
    themselves."""
    mine = my_sessions(user=request.user)
    teaching = list(sessions_taught_by(user=request.user)[:50])
    feed = calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(reverse("training:feed", args=[feed.token]))
    context = {
        "upcoming": mine.upcoming,
        "cancelled": mine.cancelled,
        "past": mine.past,
        "past_shown": PAST_SHOWN,
        "teaching": teaching,
        "invitations": pending_co_teaching_invitations(user=request.user),
        "feed_url": feed_url,
    }
    return render(request, "training/my_sessions.html", context)
