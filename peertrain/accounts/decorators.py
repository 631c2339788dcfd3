from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .access import teams_led_or_refuse
from .selectors import request_user_is_ld_staff


def ld_staff_required(view):
    """Signed-in L&D staff only; anyone else gets a 403 that says why."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request_user_is_ld_staff(request):
            raise PermissionDenied("This page is for L&D staff.")
        return view(request, *args, **kwargs)

    return wrapper


def team_lead_required(view):
    """Signed-in team leads only; anyone else gets a 403 that says why. The view receives the
    teams the person leads, sub-teams included, as ``teams`` (read once, here)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        teams = teams_led_or_refuse(user=request.user)
        return view(request, *args, teams=teams, **kwargs)

    return wrapper
