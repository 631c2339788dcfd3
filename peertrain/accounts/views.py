from allauth.account.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .decorators import team_lead_required
from .http import AuthenticatedHttpRequest
from .models import Team
from .selectors import team_rosters
from .sign_in_limits import THROTTLED_CODES


@require_GET
@team_lead_required
def my_team(request: AuthenticatedHttpRequest, *, teams: list[Team]) -> HttpResponse:
    """The teams I lead, sub-teams included, and who is in them. Who: team leads only."""
    return render(request, "accounts/my_team.html", {"rosters": team_rosters(teams=teams)})


class SignInView(LoginView):
    """allauth's sign-in page, answering 429 (with Retry-After) when too many failed attempts
    lock it, instead of 200 with the message. Who: anyone."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        throttled = [
            error
            for error in form.non_field_errors().as_data()
            if error.code in THROTTLED_CODES and error.params
        ]
        if throttled:
            response.status_code = 429
            response["Retry-After"] = str(throttled[0].params["retry_after"])
        return response
