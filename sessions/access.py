"""Named access helpers for sessions and bookings."""

from django.http import Http404

from peertrain.accounts.models import User
from peertrain.accounts.selectors import user_is_ld_staff

from .models import Booking, TrainingSession
from .selectors import ACTIVE, session_detail
from .services.booking import teaches


def session_for_viewer(*, user: User, pk: int) -> TrainingSession:
    """Published, cancelled and completed sessions are public to signed-in people;
    a draft only to its trainers and L&D staff."""
    try:
        session = session_detail(pk=pk)
    except TrainingSession.DoesNotExist as exc:
        raise Http404("No such session.") from exc
    if session.status == TrainingSession.Status.DRAFT and not (
        teaches(session, user) or user_is_ld_staff(user)
    ):
        raise Http404("No such session.")
    return session


def own_active_booking(*, user: User, session_pk: int) -> Booking:
    """The signed-in person's own active booking on a session; nobody else's."""
    booking = (
        Booking.objects.select_related("session")
        .filter(session_id=session_pk, user=user, status__in=ACTIVE)
        .first()
    )
    if booking is None:
        raise Http404("You have no booking on this session.")
    return booking
