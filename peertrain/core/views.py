from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status
from .redirects import safe_next_url


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Who: anyone (load balancers, monitoring). 200 when all is up, 503 naming what is down."""
    components = {"database": database_status(), "broker": broker_status()}
    down = [name for name, status in components.items() if not status.ok]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        **{name: {"ok": status.ok, "detail": status.detail} for name, status in components.items()},
    }
    return JsonResponse(body, status=503 if down else 200)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Replace the admin's own login form, so every sign-in goes through allauth (and its
    rate limit). Who: anyone; non-staff people who are signed in are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("account_login"))
    if request.user.is_active and request.user.is_staff:
        return redirect(safe_next_url(request, reverse("admin:index")))
    raise PermissionDenied("The admin is for L&D staff.")
