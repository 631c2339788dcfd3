"""The list of upcoming sessions, with its filters."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peertrain.core.pagination import PageWithoutCount

from ..forms import SessionFilterForm
from ..selectors import upcoming_sessions
from ..selectors_booking_states import booking_states_for
from ..selectors_demand import learning_offer

SESSIONS_PER_PAGE = 20


@require_GET
@login_required
def training_session_list_view(request: HttpRequest) -> HttpResponse:
    """Upcoming published sessions with filters, each marked with the viewer's booking
    state; "I want to learn this" when filtered to a skill no upcoming session teaches.
    Who: any signed-in person."""
    form = SessionFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "training/session_list.html", {"form": form, "page": None}, status=400
        )
    sessions = upcoming_sessions(filters=form.filters() if form.is_bound else None)
    page = PageWithoutCount(sessions, number=request.GET.get("page"), size=SESSIONS_PER_PAGE)
    states = booking_states_for(user=request.user, sessions=page.object_list)
    rows = [(session, states[session.pk]) for session in page.object_list]
    context = {"form": form, "page": page, "rows": rows}
    skill = form.cleaned_data.get("skill") if form.is_bound else None
    if skill is not None and not rows:  # nothing to book: maybe nothing is coming at all
        offer = learning_offer(user=request.user, skill=skill)
        context |= {"want_skill": skill, "offer": offer if offer.offered else None}
    return render(request, "training/session_list.html", context)
