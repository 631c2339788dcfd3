from allauth.account.views import LoginView
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .http import AuthenticatedHttpRequest
from .selectors import team_rosters_for_lead
from .sign_in_limits import THROTTLED_CODES


@require_GET
@login_required
def my_team(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The teams I lead and who is in them. Who: team leads only."""
    rosters = team_rosters_for_lead(lead=request.user)
    if not rosters:
        raise PermissionDenied("Only team leads can see a team roster.")
    return render(request, "accounts/my_team.html", {"rosters": rosters})


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
