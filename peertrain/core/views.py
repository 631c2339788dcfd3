import sys

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template import loader
from django.urls import Resolver404, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .db import connection_lost
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


# Long enough for a restarted database or a failover; people and scripts retry after it.
DATABASE_RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = "The database is unavailable for a moment. Please try again."


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON for htmx and API calls, otherwise a page that needs no
    database (no context processors, no signed-in user)."""
    wants_json = request.headers.get("HX-Request") == "true" or (
        request.accepts("application/json") and not request.accepts("text/html")
    )
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"error": DATABASE_UNAVAILABLE, "retry_after": DATABASE_RETRY_AFTER_SECONDS},
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"message": DATABASE_UNAVAILABLE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database connection lost outside a view (a middleware's query) is a 503
    "try again" like one lost inside it; anything else is the plain 500 page."""
    error = sys.exc_info()[1]
    if error is not None and connection_lost(error):
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: says what is missing when our code said so (``Http404("No such team.")``);
    a wrong address gets the general sentence, never the resolver's list of URL patterns nor
    Django's "No <Model> matches the given query"."""
    message = exception.args[0] if exception.args else ""
    if (
        isinstance(exception, Resolver404)
        or not isinstance(message, str)
        or message.endswith("matches the given query.")
    ):
        message = ""
    page = loader.render_to_string("404.html", {"message": message}, request)
    return HttpResponseNotFound(page)
