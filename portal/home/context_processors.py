from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for
from .roles import ANONYMOUS, request_roles


def navigation(request: HttpRequest) -> dict:
    signup_open = bool(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS)
    user = getattr(request, "user", None)  # absent on pages rendered without middleware
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "roles": ANONYMOUS, "signup_open": signup_open}
    return {
        "nav_links": navigation_for(request),
        "roles": request_roles(request),
        "signup_open": signup_open,
    }
