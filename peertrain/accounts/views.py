from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import team_rosters_for_lead


@require_GET
@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    """The teams I lead and who is in them. Who: team leads only."""
    rosters = team_rosters_for_lead(lead=request.user)
    if not rosters:
        raise PermissionDenied("Only team leads can see a team roster.")
    return render(request, "accounts/my_team.html", {"rosters": rosters})
