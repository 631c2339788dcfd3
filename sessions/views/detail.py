"""One session's page: what it is, who teaches it, and the viewer's booking panel (which the
booking actions in ``booking.py`` answer an htmx request with)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import may_manage_session, training_session_page_for
from ..models import CoTrainer
from ..selectors import (
    accepted_co_trainers,
    co_trainer_rows_of,
    own_pending_invitations_in_series,
    sees_video_link,
    teaches,
)
from ..selectors_booking_states import booking_state_of
from ..services.booking import booking_refusal


def booking_panel(request: HttpRequest, session, *, done: str | None = None) -> HttpResponse:
    """The session page, or for htmx only its booking panel (saying ``done``, what the
    action just did), with the viewer's state on the session."""
    state = booking_state_of(user=request.user, session=session)
    booking = state.active_booking
    context = {
        "session": session,
        "state": state,
        "done": done,
        "refusal": None if booking else booking_refusal(session=session, user=request.user),
        "is_trainer": teaches(session, request.user),
        "sees_video_link": sees_video_link(session=session, user=request.user, booking=booking),
    }
    if request.htmx:
        # An htmx GET of the page is "Keep my booking" on the cancel confirmation.
        context["refocus_cancel"] = request.method == "GET"
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
def training_session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One session and the right booking button, and an invitation to co-teach it for the
    person invited. Who: any signed-in person; a draft: its trainers and L&D, and the
    colleague invited to co-teach it, who sees only the invitation."""
    session, invitation_only = training_session_page_for(user=request.user, pk=pk)
    if invitation_only:
        context = {
            "session": session,
            "series_dates_invited": _series_dates_invited(request, session),
        }
        return render(request, "training/co_teach_invitation.html", context)
    return booking_panel(request, session)
