"""Team leads book people from their teams onto a session.

Who: a team lead, for the active members of the teams they lead and those teams'
sub-teams (``team_lead_required``, ``member_of_teams``). L&D staff who lead no
team are refused too: booking someone else is a lead's call. The seat rules are the
booking service's, the same as for booking oneself (its refusals are answered by
``DomainErrorMiddleware``); the member is told and can decline by cancelling on the
session page.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peertrain.accounts.access import member_of_teams
from peertrain.accounts.decorators import team_lead_required
from peertrain.accounts.models import Team

from ..access import training_session_for_viewer
from ..models import TrainingSession
from ..selectors import MemberBooking, teaches, team_bookings_on
from ..services.booking import booking_create, booking_refusal


@team_lead_required
@require_http_methods(["GET", "POST"])
def team_bookings_view(request: HttpRequest, pk: int, *, teams: list[Team]) -> HttpResponse:
    """GET: my teams' members and their booking state on this session.
    POST ``member``: book that person (a seat, or the waitlist when full)."""
    session = training_session_for_viewer(user=request.user, pk=pk)
    if request.method == "GET":
        return _page(request, session, teams)
    member_id = request.POST.get("member", "").strip()
    if not member_id:
        return _page(request, session, teams, error="Choose who to book.", status=400)
    member = member_of_teams(teams=teams, member_id=member_id)
    booking = booking_create(session=session, user=member, booked_by=request.user)
    if booking.status == booking.Status.CONFIRMED:
        messages.success(request, f"{member} is booked and has been told.")
    else:
        messages.info(
            request,
            f"The session is full: {member} is number {booking.waitlist_position} on the "
            "waitlist and has been told.",
        )
    return redirect("training:book_member", pk=session.pk)


def _page(
    request: HttpRequest,
    session: TrainingSession,
    teams: list[Team],
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    rows = [
        {"member": row.member, "booking": row.booking, "refusal": _why_not(session, row)}
        for row in team_bookings_on(session=session, teams=teams)
        if row.member.pk != request.user.pk
    ]
    context = {"session": session, "rows": rows, "error": error, "teams": teams}
    return render(request, "training/lead_book.html", context, status=status)


def _why_not(session: TrainingSession, row: MemberBooking) -> str | None:
    """Why this member can't be booked, in words about them (not "you")."""
    if row.booking is not None:
        return None
    if teaches(session, row.member):
        return "Teaches this session."
    return booking_refusal(session=session, user=row.member)
