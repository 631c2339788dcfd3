"""The site's URLs plus views that fail in each way, for tests/core/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.urls import path

from peertrain.urls import handler404, handler500
from peertrain.urls import urlpatterns as site_urlpatterns

FAILURES = {
    "bad-request": lambda: SuspiciousOperation("a tampered cookie named sessionid"),
    "forbidden": lambda: PermissionDenied("The skills matrix is for team leads and L&D staff."),
    "not-found": lambda: Http404("No such session."),
    "no-object": lambda: Http404("No TrainingSession matches the given query."),
    "bug": lambda: ZeroDivisionError("secret_internal_detail"),
}


def failing(request, kind: str) -> HttpResponse:
    raise FAILURES[kind]()


urlpatterns = [path("fail/<str:kind>/", failing), *site_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
