"""The site's URLs plus baseline (b) of the booking benchmark: a Django view that touches no
database, served by the same gunicorn, behind the same middleware, so the booking figures
can be read against what Django and gunicorn cost on this machine before any SQL runs.
Mounted only by ``bench_settings``."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from peertrain.urls import handler500  # noqa: F401 — error handlers come from the root URLconf
from peertrain.urls import urlpatterns as site_urlpatterns


def baseline(request: HttpRequest) -> HttpResponse:
    """Answers a POST like the booking view does (CSRF checked by the middleware, a
    redirect), without a session cookie, so nothing reaches the database."""
    if request.method != "POST":  # the benchmark's readiness probe
        return HttpResponse("ready", content_type="text/plain")
    response = HttpResponse(status=302)
    response["Location"] = "/sessions/"
    return response


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *site_urlpatterns]
