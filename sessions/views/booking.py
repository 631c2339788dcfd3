from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from peertrain.core.pagination import PageWithoutCount

from ..access import may_manage_session, own_active_booking, session_for_viewer, session_page_for
from ..calendars import personal_feed, session_calendar
from ..errors import BookingError
from ..forms import SessionFilterForm
from ..models import CalendarFeed, CoTrainer, TrainingSession
from ..selectors import (
    PAST_SHOWN,
    accepted_co_trainers,
    active_booking_of,
    co_trainer_rows_of,
    feed_sessions_of,
    feed_video_link_session_ids,
    my_bookings,
    own_pending_invitations_in_series,
    pending_co_teaching_invitations,
    sees_video_link,
    sessions_taught_by,
    teaches,
    upcoming_sessions,
)
from ..services.booking import (
    booking_cancel,
    booking_claim_free_seat,
    booking_create,
    booking_refusal,
)
from ..services.calendar_feed import calendar_feed_for, calendar_feed_reset

SESSIONS_PER_PAGE = 20


@require_GET
@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """Upcoming published sessions with filters. Who: any signed-in person."""
    form = SessionFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "training/session_list.html", {"form": form, "page": None}, status=400
        )
    sessions = upcoming_sessions(filters=form.filters() if form.is_bound else None)
    page = PageWithoutCount(sessions, number=request.GET.get("page"), size=SESSIONS_PER_PAGE)
    return render(request, "training/session_list.html", {"form": form, "page": page})


def _booking_panel(request: HttpRequest, session, booking) -> HttpResponse:
    context = {
        "session": session,
        "booking": booking,
        "refusal": None if booking else booking_refusal(session=session, user=request.user),
        "is_trainer": teaches(session, request.user),
        "sees_video_link": sees_video_link(session=session, user=request.user, booking=booking),
    }
    if request.htmx:
        return render(request, "training/_booking_panel.html", context)
    context |= _trainers_context(request, session)
    return render(request, "training/session_detail.html", context)


def _trainers_context(request: HttpRequest, session) -> dict:
    """Who teaches the session; the viewer's own invitation to co-teach it, if they have
    one to answer; and for the people who manage it, everyone asked and their answers."""
    invited = getattr(session, "viewer_invitation_state", None) == CoTrainer.State.INVITED
    manages = may_manage_session(user=request.user, session=session)
    return {
        "co_trainers": accepted_co_trainers(session),
        "invited": invited,
        "series_dates_invited": _series_dates_invited(request, session) if invited else 0,
        "co_trainer_rows": co_trainer_rows_of(session=session) if manages else None,
    }


def _series_dates_invited(request: HttpRequest, session) -> int:
    """How many dates of the session's series (this one included) the viewer is invited
    to and hasn't answered: "answer for every date" is offered when there are several."""
    if not session.series_id:
        return 0
    invitations = own_pending_invitations_in_series(user=request.user, series_id=session.series_id)
    return invitations.count()


@require_GET
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One session and the right booking button, and an invitation to co-teach it for the
    person invited. Who: any signed-in person; a draft: its trainers and L&D, and the
    colleague invited to co-teach it, who sees only the invitation."""
    session, invitation_only = session_page_for(user=request.user, pk=pk)
    if invitation_only:
        context = {
            "session": session,
            "series_dates_invited": _series_dates_invited(request, session),
        }
        return render(request, "training/co_teach_invitation.html", context)
    return _booking_panel(request, session, active_booking_of(session=session, user=request.user))


def _answer(request: HttpRequest, booking, *, done: str, level: int = messages.SUCCESS):
    """Post/redirect/get with ``done`` as a message for the next page; an htmx request gets
    the refreshed booking panel instead, which says the same itself (a message stored then
    would pop up on whatever page comes next). A refusal (``BookingError``) is answered by
    ``DomainErrorMiddleware``: 409, or 503 with Retry-After when the session is busy."""
    if not request.htmx:
        messages.add_message(request, level, done)
        return redirect("training:detail", pk=booking.session_id)
    shown = None if booking.status == booking.Status.CANCELLED else booking
    return _booking_panel(request, booking.session, shown)


@require_POST
@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a seat or join the waitlist. Who: any signed-in person, for themselves."""
    # A reference is enough: the service reloads the row under its lock. (Drafts are not
    # hidden here; booking refuses them with a clear message.)
    session = TrainingSession(pk=pk)
    try:
        booking = booking_create(session=session, user=request.user)
    except TrainingSession.DoesNotExist as exc:
        raise Http404("No such session.") from exc
    except BookingError:
        # Only on a refusal, so a booking costs no extra query: a draft they may not see
        # stays "no such session" (404) rather than saying why it can't be booked.
        session_for_viewer(user=request.user, pk=pk)
        raise
    if booking.status == booking.Status.CONFIRMED:
        return _answer(request, booking, done="You're booked. See you there!")
    return _answer(
        request,
        booking,
        done=f"This session is full: you're number {booking.waitlist_position} on the waitlist.",
        level=messages.INFO,
    )


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel my seat or leave the waitlist. Who: the booking's own person only."""
    booking = own_active_booking(user=request.user, session_pk=pk)
    booking = booking_cancel(booking=booking, by=request.user)
    return _answer(request, booking, done="Your booking is cancelled.")


@require_POST
@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a seat that came free shortly before the start. Who: people on the waitlist."""
    booking = own_active_booking(user=request.user, session_pk=pk)
    booking = booking_claim_free_seat(booking=booking)
    return _answer(request, booking, done="The seat is yours.")


@require_GET
@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    """My upcoming and past bookings, invitations to co-teach waiting for my answer, and the
    sessions I teach. Who: any signed-in person, for themselves."""
    upcoming, past = my_bookings(user=request.user)
    teaching = list(sessions_taught_by(user=request.user)[:50])
    feed = calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(reverse("training:feed", args=[feed.token]))
    context = {
        "upcoming": upcoming,
        "past": past,
        "past_shown": PAST_SHOWN,
        "teaching": teaching,
        "invitations": pending_co_teaching_invitations(user=request.user),
        "feed_url": feed_url,
    }
    return render(request, "training/my_sessions.html", context)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def session_calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The session as an .ics file. Who: anyone who may see the session; the video link
    only for booked attendees and trainers."""
    session = session_for_viewer(user=request.user, pk=pk)
    booking = active_booking_of(session=session, user=request.user)
    with_link = sees_video_link(session=session, user=request.user, booking=booking)
    page_url = request.build_absolute_uri(reverse("training:detail", args=[pk]))
    content = session_calendar(session, page_url=page_url, with_video_link=with_link)
    return _ics_response(content, f"peertrain-session-{pk}.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
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
