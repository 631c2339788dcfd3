from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for
from .roles import request_roles


def navigation(request: HttpRequest) -> dict:
    links = navigation_for(request) if request.user.is_authenticated else []
    return {
        "nav_links": links,
        "roles": request_roles(request),
        "signup_open": bool(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS),
    }
