from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .roles import request_roles
from .selectors import home_summary


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My home. Who: any signed-in person; each role sees its own panels."""
    summary = home_summary(user=request.user, roles=request_roles(request))
    return render(request, "home/home.html", {"summary": summary})
