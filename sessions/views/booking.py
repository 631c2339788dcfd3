"""Booking a seat on a session, cancelling it, and claiming a seat that came free: actions
answered with the session page (or, for htmx, its booking panel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..access import own_active_booking, training_session_for_viewer
from ..errors import BookingError
from ..models import TrainingSession
from ..selectors_booking_states import FreedSeat, freed_seat_fate
from ..services.booking import booking_cancel, booking_claim_free_seat, booking_create
from .detail import booking_panel


def _answer(
    request: HttpRequest, booking, *, done: str, level: int = messages.SUCCESS
) -> HttpResponse:
    """Post/redirect/get with ``done`` as a message for the next page; an htmx request gets
    the refreshed booking panel instead, saying ``done`` itself (a message stored then
    would pop up on whatever page comes next). A refusal (``BookingError``) is answered by
    ``DomainErrorMiddleware``: 409, or 503 with Retry-After when the session is busy."""
    if not request.htmx:
        messages.add_message(request, level, done)
        return redirect("training:detail", pk=booking.session_id)
    return booking_panel(request, booking.session, done=done)


@require_POST
@login_required
def booking_create_view(request: HttpRequest, pk: int) -> HttpResponse:
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
        training_session_for_viewer(user=request.user, pk=pk)
        raise
    if booking.status == booking.Status.CONFIRMED:
        return _answer(request, booking, done="You're booked. See you there!")
    return _answer(
        request,
        booking,
        done=f"This session is full: you're number {booking.waitlist_position} on the waitlist.",
        level=messages.INFO,
    )


@require_http_methods(["GET", "POST"])
@login_required
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel my seat or leave the waitlist, confirmed first: GET asks (a page of its own,
    or for htmx in the booking panel's place), POST cancels. A real step rather than
    ``hx-confirm``'s browser dialog, which works only with JavaScript and reads poorly on
    phones and to screen readers. Who: the booking's own person only."""
    booking = own_active_booking(user=request.user, session_pk=pk)
    if request.method == "GET":
        template = "training/_booking_cancel_confirm.html" if request.htmx else None
        context = {"session": booking.session, "booking": booking, "inline": bool(template)}
        return render(request, template or "training/booking_cancel_confirm.html", context)
    had_seat = booking.status == booking.Status.CONFIRMED
    booking = booking_cancel(booking=booking, by=request.user)
    return _answer(request, booking, done=_cancelled(booking, had_seat=had_seat))


def _cancelled(booking, *, had_seat: bool) -> str:
    title = booking.session.title
    if not had_seat:
        return f"You've left the waitlist for “{title}”."
    fate = freed_seat_fate(booking.session)
    if fate == FreedSeat.GIVEN:
        return f"Your booking on “{title}” is cancelled; your seat went to the next person waiting."
    if fate == FreedSeat.OFFERED:
        return f"Your booking on “{title}” is cancelled; your seat is offered to everyone waiting."
    return f"Your booking on “{title}” is cancelled."


@require_POST
@login_required
def booking_claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a seat that came free shortly before the start. Who: people on the waitlist."""
    booking = own_active_booking(user=request.user, session_pk=pk)
    booking = booking_claim_free_seat(booking=booking)
    return _answer(request, booking, done="The seat is yours.")
